/* card_set.c — open addressing over the card ids, kept in one buffer. */
#include "card_set.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"

struct card_set {
	size_t count;
	size_t *id_at;               /* count: offset of card i's id in ids */
	size_t slots;                /* a power of two, > 2 * count */
	size_t *slot;                /* card number + 1; 0 = empty */
	struct buf ids;              /* NUL-separated */
};

size_t
card_set_count(const struct card_set *s)
{
	return s->count;
}

const char *
card_set_id(const struct card_set *s, size_t i)
{
	return s->ids.data + s->id_at[i];
}

long
card_set_find(const struct card_set *s, const char *id, size_t n)
{
	size_t i, c;
	const char *have;

	for (i = hash_bytes(id, n) & (s->slots - 1); s->slot[i] != 0; i = (i + 1) & (s->slots - 1)) {
		c = s->slot[i] - 1;
		have = s->ids.data + s->id_at[c];
		/* strncmp: have may be shorter than n and end the buffer */
		if (strncmp(have, id, n) == 0 && have[n] == '\0')
			return (long)c;
	}
	return -1;
}

int
card_set_load(struct card_set **out, struct db *db, struct err *e)
{
	struct card_set *cs = NULL;
	struct db_stmt *st = NULL;
	int64_t count;
	size_t i, n;
	const char *id;
	int r, rc = -1;

	cs = calloc(1, sizeof *cs);
	if (cs == NULL)
		goto nomem;
	if (db_prepare(&st, db, "SELECT count(*) FROM card", e) == -1 ||
	    db_step(st, NULL, e) != 1)
		goto out;
	count = db_col_int64(st, 0);
	for (cs->slots = 64; cs->slots < 2 * (size_t)count + 1; cs->slots *= 2)
		;
	db_finalize(st);
	st = NULL;
	cs->slot = calloc(cs->slots, sizeof *cs->slot);
	cs->id_at = calloc((size_t)count + 1, sizeof *cs->id_at);
	if (cs->slot == NULL || cs->id_at == NULL)
		goto nomem;
	if (db_prepare(&st, db, "SELECT id FROM card ORDER BY id", e) == -1)
		goto out;
	while ((r = db_step(st, NULL, e)) == 1) {
		if (cs->count == (size_t)count) {
			err_set(e, ERR_INTERNAL, "card_set_load: more cards than counted");
			goto out;
		}
		id = db_col_text(st, 0);
		n = strlen(id);
		cs->id_at[cs->count] = cs->ids.len;
		if (buf_add(&cs->ids, id, n + 1) == -1)
			goto nomem;
		for (i = hash_bytes(id, n) & (cs->slots - 1); cs->slot[i] != 0;
		    i = (i + 1) & (cs->slots - 1))
			;
		cs->slot[i] = ++cs->count;
	}
	if (r == -1)
		goto out;
	*out = cs;
	cs = NULL;
	rc = 0;
	goto out;
nomem:
	err_set(e, ERR_SYSTEM, "out of memory");
out:
	db_finalize(st);
	card_set_free(cs);
	return rc;
}

void
card_set_free(struct card_set *cs)
{
	if (cs == NULL)
		return;
	free(cs->slot);
	free(cs->id_at);
	buf_free(&cs->ids);
	free(cs);
}
