/*
 * card_set.h — the account cards of the database being built, in memory.
 *
 * Loaded once kartoteki.csv is in, it lets the loaders that run later
 * (obroty.csv, naliczenia.xml, possibly in another thread and another
 * database) check a card id and find the card's number: 0..count-1 in
 * the byte order of the ids, the index of the card's per-card state
 * (card_digest.h).  Memory is bounded by the size of kartoteki.csv.
 * Read only once loaded: any number of threads may look up at once.
 */
#ifndef CZYNSZE_CARD_SET_H
#define CZYNSZE_CARD_SET_H

#include <stddef.h>

#include "db.h"
#include "err.h"

struct card_set;

/* The ids of table card in db.  Returns 0, or -1 with e set.  Free with
 * card_set_free (NULL-safe). */
int card_set_load(struct card_set **out, struct db *db, struct err *e);
void card_set_free(struct card_set *s);

/* The number of cards.  Can't fail. */
size_t card_set_count(const struct card_set *s);

/* The number of card id[0..n) (no NUL needed), or -1 when there is no
 * such card.  Can't fail. */
long card_set_find(const struct card_set *s, const char *id, size_t n);

/* The id of card i < count, NUL-terminated, owned by the set. */
const char *card_set_id(const struct card_set *s, size_t i);

#endif
