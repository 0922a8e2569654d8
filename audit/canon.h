/*
 * canon.h — the audit snapshot's canonical text files.
 *
 * A snapshot is a tree of UTF-8 text files written from HOME/czynsze.db,
 * byte-for-byte the same for the same data on any machine: no wall-clock
 * time, no directory order, no locale.  Every data line is one record:
 *
 *     TAG <TAB> FIELD1 <TAB> FIELD2 ...
 *
 * fields in the fixed order of canon_schemas[] below; an empty field is a
 * NULL (optional and empty in the export).  Inside a field, backslash,
 * tab, line feed and carriage return are written \\ \t \n \r.  Lines
 * starting with '#' are comments (a header naming the fields).  Money is
 * "-1234.56" (zł with a dot, no separators), quantities and rates keep
 * their significant decimals ("48.30", "0.0512"), areas m² "48.30".
 *
 * The layout (also the tree's own README, canon_readme()):
 *
 *   README                    this layout
 *   export.txt                the export: system, version, time, manifest SHA-256
 *   cooperative.txt           the cooperative's details
 *   people.txt                one line per person, by id
 *   premises.txt              one line per premises, by id
 *   announcements.txt         announcements and their blocks
 *   warnings.txt              KSM figures that disagree with the rows
 *   balance-dates.txt         per card, the date of its KSM balance (changes nightly)
 *   cards/XX/ID.txt           per card: the card line, then every booking by id_operacji
 *   charges/XX/ID.txt         per card: the charge components, by period and position
 *
 * and, only for an export of format 2 (export.format; the README then
 * gains a section on them), so that a v1 export's tree stays byte for
 * byte the same as before format 2 existed:
 *
 *   readings/XX/ID.txt        per premises with readings: every reading by
 *                             meter, date and id, then its reading_warning lines
 *   documents/YYYY-MM.txt     documents dated in that month, by id: metadata and
 *                             SHA-256, never the PDF's bytes
 *
 * XX is two lowercase hex digits of the FNV-1a hash of the card (or
 * premises) id, so ids of any shape spread over at most 256 folders.  ID
 * is the id with bytes outside [A-Za-z0-9._-] written %XX.
 *
 * Format 2 lines (exact: written from the database's integers, no floats):
 *
 *   reading  id premises meter medium date state kind usage ksm_usage
 *            state, usage, ksm_usage: thousandths written with exactly three
 *            decimals ("1234.500"); usage is the importer's, empty for a
 *            meter's first row, 'M' rows and rows with a decrease warning;
 *            ksm_usage empty when KSM gave none
 *   reading_warning  reading kind expected found   (thousandths as above)
 *   document id date kind owner_kind owner title path bytes sha256
 *            owner empty for public documents; bytes an integer; sha256
 *            lowercase hex.  The order in dokumenty.xml (document.seq) is
 *            not written: it is presentation, and a document inserted at
 *            the top of the index would otherwise change every line.
 *
 * Nothing of format 2 is reused from an earlier snapshot: every night
 * writes these files from the database (see snapshot.h for the cost).
 */
#ifndef CZYNSZE_CANON_H
#define CZYNSZE_CANON_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "db.h"
#include "err.h"

#define CANON_FIELDS_MAX 16
#define CANON_PATH_MAX 512        /* bytes, NUL included */
#define CANON_ID_BYTES_MAX 128    /* longest id given a file name */
#define CANON_FILE_BYTES_MAX ((size_t)1 << 30)

/* One kind of record line. */
struct canon_schema {
	const char *tag;
	size_t nkey;              /* leading fields that identify the record */
	size_t nfields;
	const char *fields[CANON_FIELDS_MAX];
};

/* NULL when tag is not a known record kind.  Can't fail. */
const struct canon_schema *canon_schema_find(const char *tag);

/* One parsed line; fields[i] is NULL for an empty field.  Arena-owned. */
struct canon_rec {
	const struct canon_schema *schema;
	const char *fields[CANON_FIELDS_MAX];
	size_t line;
};

/*
 * Parses one canonical file (data[0..n), not necessarily NUL-terminated)
 * into an arena-allocated array of records, in file order.  A line with an
 * unknown tag or the wrong number of fields is ERR_DATA naming path:line.
 */
int canon_parse(struct canon_rec **out, size_t *nout, struct arena *a,
    const char *data, size_t n, const char *path, struct err *e);

/* The path of a card's (or premises') file under dir ("cards", "charges",
 * "readings"): out gets "dir/XX/ID.txt".  ERR_DATA when the id is empty
 * or too long. */
int canon_card_path(char out[CANON_PATH_MAX], const char *dir, const char *card_id,
    struct err *e);

/* Parses canonical money "-1234.56" into grosze.  0, or -1 when s is not
 * exactly that shape or out of range.  Can't set errors: callers name the
 * place. */
int canon_money_parse(int64_t *out, const char *s);

/* What a snapshot holds, counted while it is written. */
struct canon_counts {
	uint64_t premises, people, cards, bookings, components, announcements;
	uint64_t warnings_balance, warnings_charge;
	int64_t format;                     /* export.format: 1, or 2 with the below */
	uint64_t readings, premises_with_readings, reading_warnings, documents;
	char generated_at[20];
	char manifest_sha256[65];
};

/*
 * Called once per file, in a fixed order; data is valid only during the
 * call.  Returns 0, or -1 with e set to stop.
 */
typedef int (*canon_emit_fn)(void *ctx, const char *path, const char *data, size_t n,
    struct err *e);

/*
 * Asked before people.txt and premises.txt, each written from one table
 * whose rows the importer digests (table_digest, importer/card_digest.h):
 * digest is that table's (CANON_DIGEST_BYTES), NULL when the database has
 * none.  Equal digests give byte-identical files (in the format
 * CANON_FORMAT names).  Returns 1 when the caller has the file written
 * from that digest (it is then neither written nor emitted), 0 to have it
 * written and emitted, -1 with e set to stop.
 */
typedef int (*canon_have_fn)(void *ctx, const char *path, const unsigned char *digest,
    struct err *e);

/*
 * Writes every file of the snapshot of db but the cards' (cards/ and
 * charges/, below) through emit, in a fixed order, asking have (NULL:
 * write all) first where it can.  Returns 0 with *counts filled but for
 * cards, bookings and components, or -1 with e set (ERR_DATA when the
 * database holds no export).
 */
int canon_write_tables(struct db *db, canon_emit_fn emit, canon_have_fn have, void *ctx,
    struct canon_counts *counts, struct err *e);

/*
 * What a card's files are written from, so that a caller can tell from
 * the last snapshot's which files it has without writing them:
 *   cards/ file    the bookings half of the importer's card_digest
 *                  (card_digest.bookings: every booking of the card as
 *                  stored, importer/card_digest.h) and the card line;
 *   charges/ file  the charges half (card_digest.charges: every charge
 *                  component of the card as stored, with its kind's
 *                  code, name and basis).
 * Equal halves (and, for cards/, an equal card line): byte-identical
 * files (short of a SHA-256 collision), because each file is written
 * from nothing else, in the format CANON_FORMAT names.  A payment
 * changes the bookings half only; a corrected charge, the charges half.
 */
#define CANON_DIGEST_BYTES 32

/*
 * The format of the files a snapshot caches (cards/, charges/,
 * people.txt and premises.txt: the lines below and in canon_schemas[]):
 * a cache from another format must not be used, so it names this.
 * Change it with any change to those files.
 */
#define CANON_FORMAT "1"

/*
 * The cards, one at a time, so that a caller can skip the files it has
 * and write the rest on several threads.
 * canon_cards_open() lists every card of db in id order (released with
 * canon_cards_close, NULL-safe); canon_cards_next() fills *card with the
 * next one and returns 1, or 0 at the end, -1 with e set.  The card's
 * strings and digests belong to the list and last until the next call.
 */
struct canon_card {
	const char *id;
	const unsigned char *bookings_digest;  /* CANON_DIGEST_BYTES each; both NULL: */
	const unsigned char *charges_digest;   /* no digest halves (a database migrated
	                                          by hand): always written */
	char cards_path[CANON_PATH_MAX], charges_path[CANON_PATH_MAX];
	const char *head;             /* the first lines of its cards/ file: */
	size_t head_len;              /* the card header and the card line, */
	const char *line;             /* which is head[head_len - line_len ..), */
	size_t line_len;              /* its '\n' included */
};

struct canon_cards;

int canon_cards_open(struct canon_cards **out, struct db *db, struct err *e);
int canon_cards_next(struct canon_cards *it, struct canon_card *card, struct err *e);
void canon_cards_close(struct canon_cards *it);

/*
 * Writes the files of one card named in `which` from db: CANON_CARDS_FILE
 * into cards (the card's head, then the booking header and lines,
 * counted in *bookings), CANON_CHARGES_FILE into charges (the component
 * header and lines, counted in *components; nothing when the card has no
 * charges: then it has no charges/ file).  A buffer and count not named
 * in which are left alone; those named are reset first.  A writer holds
 * prepared statements on its db: one writer per connection, one
 * connection per thread.  open gives a writer released with
 * canon_card_writer_close (NULL-safe).  0, or -1 with e set.
 */
#define CANON_CARDS_FILE 1u
#define CANON_CHARGES_FILE 2u

struct canon_card_writer;

int canon_card_writer_open(struct canon_card_writer **out, struct db *db, struct err *e);
int canon_card_write(struct canon_card_writer *w, const struct canon_card *card,
    unsigned which, struct buf *cards, struct buf *charges, uint64_t *bookings,
    uint64_t *components, struct err *e);
void canon_card_writer_close(struct canon_card_writer *w);

#endif
