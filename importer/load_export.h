/*
 * load_export.h — loading every file of an export into a new database:
 * the parallel machinery of the import (import.h decides whether to
 * load, verifies and renames).
 *
 * The phases (load_export.c, one function each):
 *   1. the small files (lokale, osoby, kartoteki), and the cards they
 *      define, in memory (card_set.h);
 *   2. a second thread starts loading naliczenia.xml into a side
 *      database of its own (AUX), hashing it as it reads it;
 *   3. meanwhile the main thread loads obroty.csv (the ledger), applies
 *      the schema's indexes and checks the balances (warnings.h);
 *   4. then checks each month's charges against the ledger as the
 *      thread hands its totals over (month_totals.h);
 *   5. joins the thread: its errors, naliczenia.xml's checksum and rows;
 *   6. copies the charges in (whole pages), builds their unique index,
 *      stores the per-card digests, loads komunikaty.xml.
 * An error in any phase after which naliczenia.xml turns out not to
 * match its checksum is reported as that (a broken transfer explains
 * any error in the data).
 */
#ifndef CZYNSZE_LOAD_EXPORT_H
#define CZYNSZE_LOAD_EXPORT_H

#include <stdio.h>

#include "db.h"
#include "err.h"
#include "load.h"
#include "manifest.h"

/*
 * Loads every file of l->dir into l->db (created by load_db_create at
 * db_path, schema 001 applied) and applies the later migrations; on
 * success leaves a transaction open for the caller to commit.  aux_path
 * (and aux_path-totals) are the side files, removed before it returns.
 * progress: a terminal for load_progress.h, or NULL.  Returns 0, or -1
 * with e set and every data error in l->diag.
 */
int load_export(struct load *l, const struct manifest *m, const char *db_path,
    const char *aux_path, FILE *progress, struct err *e);

/* Creates path (owner-only, replacing it) and opens it for a bulk load:
 * no journal, no sync (nothing reads it until it is complete and renamed
 * into place; a crash leaves it to be deleted). */
int load_db_create(struct db **out, const char *path, struct err *e);

#endif
