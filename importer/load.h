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
#include "manifest.h"

#define NAME_BYTES_MAX 512       /* names, streets, towns, ids */
#define ID_BYTES_MAX 64

struct load {
	struct db *db;
	const char *dir;
	struct diag *diag;
	uint64_t rows[FILE_COUNT];       /* records read per file */
	uint64_t components;             /* charge components (naliczenia) */
	/* For load_bookings and load_charges, or NULL: the cards they may
	 * refer to (checked here: load_charges's db may be a database of its
	 * own, see load_charges_schema), and the per-card digest streams
	 * they add their rows to (card_digest.h; needs cards). */
	const struct card_set *cards;
	struct card_digest *digest;
	/* For load_charges only: a flag another thread sets to make it stop
	 * early (it then fails with ERR_INTERNAL "cancelled"). */
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

/* Turns a failed insert into a message about the row: a UNIQUE failure
 * names key_col as "duplicate key", a FOREIGN KEY failure names fk_col as
 * "unknown ..." (fk_what).  Other failures pass through.  Returns -1. */
struct csv_record;
int load_insert_error(struct err *e, enum db_constraint c, const struct csv_record *rec,
    size_t key_col, size_t fk_col, const char *fk_what);

#endif
