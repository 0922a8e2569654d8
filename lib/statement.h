/*
 * statement.h — everything one resident may see, read from the database.
 *
 * The one query path behind `czynsze statement`, the generated site and
 * the printed statement: what is here is what a resident is shown.
 *
 * A struct statement owns all its strings (one arena); release it with
 * statement_free().  Open a struct statement_query once and load many
 * people with it (its statements are prepared once).
 */
#ifndef CZYNSZE_STATEMENT_H
#define CZYNSZE_STATEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "db.h"
#include "err.h"

#define STATEMENT_DIGEST_BYTES 32

struct st_entry {
	const char *id, *date, *period, *doc_type;
	const char *doc_no, *description;      /* NULL when empty */
	int64_t debit_gr, credit_gr;
};

struct st_component {
	const char *code, *name, *basis;
	int64_t quantity_e4, rate_e4, amount_gr;
};

struct st_charge {
	const char *period;
	int64_t total_gr;
	size_t ncomponents;
	struct st_component *components;
};

struct st_premises {
	const char *id, *building, *street, *number, *postcode, *town, *kind, *legal_title;
	int64_t area_e2, persons;
	int64_t rooms;                         /* -1 when unknown */
	const char *floor, *held_since;        /* NULL when unknown */
};

struct st_account {
	const char *id, *kind, *bank_account, *balance_date;
	struct st_premises *premises;          /* NULL for cards without premises */
	int64_t ksm_balance_gr, ledger_balance_gr;
	size_t nentries;
	struct st_entry *entries;              /* date order, ties by id */
	size_t ncharges;
	struct st_charge *charges;             /* period order */
};

/* A meter reading (meter_reading, schema/005). */
struct st_reading {
	const char *id, *date;
	int64_t state_e3;
	char kind;                             /* 'O' read, 'S' estimated, 'Z' by the
	                                        * resident, 'M' meter replaced */
	int has_usage;                         /* 0 for a meter's first row and 'M' rows */
	int64_t usage_e3;                      /* computed by the importer */
	int warning;                           /* 1 when a reading_warning names it */
};

struct st_meter {
	const char *premises_id, *serial, *medium;
	size_t nreadings;
	struct st_reading *readings;           /* date order, oldest first, ties by id */
};

/* A document's metadata (document, schema/005); the PDF is in the
 * document store under sha256 (docstore.h). */
struct st_document {
	const char *id, *kind, *date, *title, *path, *sha256, *owner_kind, *owner_id;
	int64_t bytes;
};

struct statement {
	struct arena arena;
	const char *person_id, *surname, *first_name, *email;   /* NULL when empty */
	const char *street, *postcode, *town;
	const char *coop_name, *coop_nip, *coop_street, *coop_postcode, *coop_town;
	const char *data_as_of;                /* export timestamp */
	size_t naccounts;
	struct st_account *accounts;           /* card id order */
	/* the meters of the premises of the person's cards, in premises id,
	 * medium, serial order (none for a v1 export) */
	size_t nmeters;
	struct st_meter *meters;
	/* the person's own documents (person_document: not the public
	 * ones), newest date first, then id (none for a v1 export) */
	size_t ndocuments;
	struct st_document *documents;
	/* What tells whether this statement changed is statement_digest()
	 * (the generator calls it before loading anybody): anything a
	 * statement shows must come from a row that digest hashes. */
};

struct statement_query;

/* A database imported before card_digest existed is ERR_DATA (import
 * it again). */
int statement_query_open(struct statement_query **out, struct db *db, struct err *e);
void statement_query_close(struct statement_query *q);

/* Loads person_id.  An unknown person is ERR_DATA "unknown person (ID)";
 * a ledger whose sum does not fit 64 bits is ERR_DATA too. */
int statement_load(struct statement **out, struct statement_query *q,
    const char *person_id, struct err *e);
void statement_free(struct statement *s);

/*
 * SHA-256 over what person_id's statement is made of, without reading
 * the ledger: the charge kinds, the person's row, the cooperative's (not
 * the export timestamp), each card's row with its premises (a balance
 * dated the export's own day hashed as "the export's day", not as that
 * date: see render_statement.h), and each
 * card's card_digest (the importer's hash of the card's bookings and
 * charges, schema/), then the rows of the person's meter readings and
 * documents as statement_load() reads them (metadata and SHA-256, not
 * the PDFs; nothing when there are none, so a v1 export's digests are
 * what they were before schema 005).  A few rows per person, plus the
 * readings of the person's premises, so the generator can tell who
 * changed in one pass.  Errors as statement_load(); a card without
 * a card_digest row is ERR_DATA.
 */
int statement_digest(struct statement_query *q, const char *person_id,
    unsigned char out[STATEMENT_DIGEST_BYTES], struct err *e);

/* Appends the statement as JSON (the shape documented in README.md). */
int statement_json(struct buf *out, const struct statement *s, int pretty, struct err *e);

#endif
