/*
 * load.h — one loader per export file, all writing into one database.
 *
 * Each loader reads its file (csv_reader / xml_reader), checks every
 * field, and inserts rows with prepared statements inside the caller's
 * transaction.  Referential integrity is enforced by SQLite's foreign keys
 * and reported against the row that broke it, so the files must be loaded
 * in the order of enum export_file.  A loader returns 0, or -1 with e set
 * and every data error found in the file recorded in l->diag.
 */
#ifndef CZYNSZE_LOAD_H
#define CZYNSZE_LOAD_H

#include <stdint.h>

#include "db.h"
#include "diag.h"
#include "err.h"
#include "manifest.h"

#define NAME_BYTES_MAX 512       /* names, streets, towns, ids */
#define ID_BYTES_MAX 64

struct load {
	struct db *db;
	const char *dir;
	struct diag *diag;
	uint64_t rows[FILE_COUNT];       /* records read per file */
	uint64_t components;             /* charge components (naliczenia) */
};

int load_premises(struct load *l, struct err *e);
int load_people(struct load *l, struct err *e);
int load_cards(struct load *l, struct err *e);
int load_bookings(struct load *l, struct err *e);
int load_charges(struct load *l, struct err *e);
int load_announcements(struct load *l, struct err *e);

/* Turns a failed insert into a message about the row: a UNIQUE failure
 * names key_col as "duplicate key", a FOREIGN KEY failure names fk_col as
 * "unknown ..." (fk_what).  Other failures pass through.  Returns -1. */
struct csv_record;
int load_insert_error(struct err *e, enum db_constraint c, const struct csv_record *rec,
    size_t key_col, size_t fk_col, const char *fk_what);

#endif
