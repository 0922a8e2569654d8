/*
 * card_digest.h — a content digest per account card (table card_digest,
 * schema/003-card-digest.sql).
 *
 * The generator decides from it whether a card's ledger or charge
 * components changed since the last night without reading them.
 *
 * What is hashed: the rows of the card as they are stored, after every
 * check and conversion (ISO dates, grosze, ten-thousandths, trimmed
 * UTF-8), never the export's bytes.  Each row is one record, a tag byte
 * then its fields, each field either a number (8 bytes, big-endian two's
 * complement) or a text (4-byte big-endian length then the bytes; NULL is
 * the length 0xFFFFFFFF), so no two different rows encode alike:
 *
 *   'B' booking (obroty.csv): id, date, period, doc_type, doc_no,
 *       description, debit_gr, credit_gr -- every column of booking but
 *       card_id, which is the card itself;
 *   'C' one card and month of naliczenia.xml: period, total_gr, the
 *       number of components, then per component code, name, basis,
 *       quantity_e4, rate_e4, amount_gr -- the charge row without its
 *       id (a counter over the whole file) and with each component's
 *       kind spelt out instead of charge_kind.id (numbered in order of
 *       first appearance anywhere in the file).
 *
 * The same records digest the whole tables person and premises (table
 * table_digest, schema/006-snapshot-digests.sql), with a card_digest of
 * one stream each, in file order:
 *
 *   'P' person (osoby.csv): id, surname, first_name, street, postcode,
 *       town, email, every one text or NULL;
 *   'L' premises (lokale.csv): id, building, street, number, postcode,
 *       town, kind, legal_title (texts), area_e2, persons (numbers),
 *       whether rooms is set (the number 1 or 0) and rooms (0 when not
 *       set), floor and held_since (text or NULL).
 *
 * The records of a card are hashed in file order into two streams, one
 * for bookings (filled by the main thread while obroty.csv loads) and one
 * for charges (filled by the thread loading naliczenia.xml), and
 *
 *   digest = SHA-256(SHA-256(booking records) || SHA-256(charge records))
 *
 * and the two halves are stored beside it (columns bookings and charges,
 * schema/006-snapshot-digests.sql), so that a reader can tell which of
 * the two changed.
 *
 * Guarantees: any booking or charge component of a card added, removed
 * or changed in any stored column changes that card's digest (short of
 * a SHA-256 collision); nothing about other cards enters it, so their
 * digests stay.  Every card gets a row, also one without bookings or
 * charges.  File order is part of the digest: an export that lists the
 * same rows of a card in another order gives another digest (harmless:
 * the card is then just treated as changed).  The card's own row
 * (kartoteki.csv: balance, holder, ...) is not part of it.
 */
#ifndef CZYNSZE_CARD_DIGEST_H
#define CZYNSZE_CARD_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "card_set.h"
#include "db.h"
#include "err.h"

/* The streams of one part (bookings or charges) for every card of a
 * card_set, and the record being built.  One thread at a time. */
struct card_digest;

/* For ncards cards.  Free with card_digest_free (NULL-safe).  Returns 0,
 * or -1 with e set (ERR_SYSTEM when out of memory). */
int card_digest_new(struct card_digest **out, size_t ncards, struct err *e);
void card_digest_free(struct card_digest *d);

/* One field of a record: a number, or text s[0..n) (n == (size_t)-1:
 * NUL-terminated), or text stored as NULL when empty (as
 * db_bind_text_or_null stores it). */
enum card_digest_type { CARD_DIGEST_INT, CARD_DIGEST_TEXT, CARD_DIGEST_TEXT_OR_NULL };

struct card_digest_field {
	enum card_digest_type type;
	const char *s;
	size_t n;
	int64_t v;
};

#define CARD_DIGEST_INT(v) ((struct card_digest_field){ CARD_DIGEST_INT, NULL, 0, (v) })
#define CARD_DIGEST_TEXT(s, n) ((struct card_digest_field){ CARD_DIGEST_TEXT, (s), (n), 0 })
#define CARD_DIGEST_TEXT_OR_NULL(s, n) \
	((struct card_digest_field){ CARD_DIGEST_TEXT_OR_NULL, (s), (n), 0 })

/* Adds the record tag + f[0..nf) (in the order above) to the stream of
 * card (a card_set number).  Returns 0, or -1 with e set (ERR_SYSTEM
 * when out of memory). */
int card_digest_add(struct card_digest *d, size_t card, char tag,
    const struct card_digest_field *f, size_t nf, struct err *e);

/* Finishes both parts and inserts one row per card of cs into
 * card_digest, the digest and both halves (in db's open transaction).  Either part may be NULL: no
 * records.  Returns 0, or -1 with e set. */
int card_digest_store(struct db *db, const struct card_set *cs, struct card_digest *bookings,
    struct card_digest *charges, struct err *e);

/* Finishes stream 0 of d (a card_digest of one stream) and inserts it as
 * table_digest's row name (in db's open transaction).  0, or -1 with e
 * set. */
int card_digest_store_table(struct db *db, const char *name, struct card_digest *d,
    struct err *e);

#endif
