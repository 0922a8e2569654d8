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

#include "card_digest.h"
#include "card_set.h"
#include "db.h"
#include "diag.h"
#include "err.h"
#include "home.h"
#include "manifest.h"
#include "month_totals.h"

#define NAME_BYTES_MAX 512       /* names, streets, towns, ids */
#define ID_BYTES_MAX 64

/* One card's ledger: what its bookings add up to (load_bookings). */
struct ledger_sum {
	int64_t debit_gr, credit_gr;
};

struct load {
	struct db *db;
	const char *dir;
	const struct home *home;         /* load_documents: its document store */
	struct diag *diag;
	uint64_t rows[FILE_COUNT];       /* records read per file */
	uint64_t components;             /* charge components (naliczenia) */
	/* For load_bookings and load_charges, or NULL: the cards they may
	 * refer to (checked here, so that the database's foreign keys may be
	 * off: load_charges's db may be a database of its own, see
	 * load_charges_schema), the per-card digest streams they add their
	 * rows to (card_digest.h) and, for load_bookings, the sums of each
	 * card's ledger; the last two indexed by card_set number. */
	const struct card_set *cards;
	struct card_digest *digest;
	/* For load_people and load_premises, or NULL: a card_digest of one
	 * stream their rows are added to ('P' and 'L' of card_digest.h). */
	struct card_digest *table_digest;
	struct ledger_sum *sums;
	/* For load_charges only: where it appends the total of every charge
	 * it writes (month_totals.h; needs cards), or NULL; and a flag
	 * another thread sets to make it stop early (it then fails with
	 * ERR_INTERNAL "cancelled"). */
	struct month_totals *totals;
	struct sha256_set *file_sha;  /* stream 0 gets naliczenia.xml's bytes */
	const _Atomic int *cancel;
};

int load_premises(struct load *l, struct err *e);
int load_people(struct load *l, struct err *e);
int load_cards(struct load *l, struct err *e);
int load_bookings(struct load *l, struct err *e);
int load_charges(struct load *l, struct err *e);

/* SQL that creates the tables load_charges writes (charge, charge_kind)
 * in a database of their own, exactly as schema/001-init.sql has them
 * but without the foreign key to card (that database has no cards):
 * `INSERT INTO charge SELECT * FROM aux.charge` then copies whole pages
 * (SQLite's transfer optimisation, with foreign keys off). */
extern const char load_charges_schema[];
int load_announcements(struct load *l, struct err *e);
/* odczyty.csv, then each meter's consumption and the reading warnings
 * (load_readings.c says how); after the premises. */
int load_readings(struct load *l, struct err *e);
/* dokumenty.xml, each PDF checked and added to l->home's document store,
 * which is synced before it returns 0 (load_documents.c says how); after
 * the premises, people and cards. */
int load_documents(struct load *l, struct err *e);

/* Turns a failed insert into a message about the row: a UNIQUE failure
 * names key_col as "duplicate key", a FOREIGN KEY failure names fk_col as
 * "unknown ..." (fk_what).  Other failures pass through.  Returns -1. */
struct csv_record;
int load_insert_error(struct err *e, enum db_constraint c, const struct csv_record *rec,
    size_t key_col, size_t fk_col, const char *fk_what);

#endif
