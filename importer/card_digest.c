/* card_digest.c — the records of card_digest.h, one SHA-256 stream per card. */
#include "card_digest.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "digest.h"

#define TEXT_NULL 0xFFFFFFFFu

struct card_digest {
	struct sha256_set *streams;
	size_t ncards;
	struct buf record;
};

int
card_digest_new(struct card_digest **out, size_t ncards, struct err *e)
{
	struct card_digest *d;

	d = calloc(1, sizeof *d);
	if (d == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (sha256_set_new(&d->streams, ncards, e) == -1) {
		free(d);
		return -1;
	}
	d->ncards = ncards;
	*out = d;
	return 0;
}

void
card_digest_free(struct card_digest *d)
{
	if (d == NULL)
		return;
	sha256_set_free(d->streams);
	buf_free(&d->record);
	free(d);
}

/* Write v big-endian at p; return the byte after. */
static unsigned char *
put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	return p + 4;
}

static unsigned char *
put_u64(unsigned char *p, uint64_t v)
{
	return put_u32(put_u32(p, (uint32_t)(v >> 32)), (uint32_t)v);
}

/* The length of text field f (a NULL pointer is empty text). */
static size_t
text_len(const struct card_digest_field *f)
{
	if (f->s == NULL)
		return 0;
	return f->n == (size_t)-1 ? strlen(f->s) : f->n;
}

int
card_digest_add(struct card_digest *d, size_t card, char tag,
    const struct card_digest_field *f, size_t nf, struct err *e)
{
	unsigned char *p;
	size_t i, n, bytes = 1;

	/* The record in one piece: sizes first (one allocation check), then
	 * the bytes, then one call into SHA-256. */
	for (i = 0; i < nf; i++) {
		if (f[i].type == CARD_DIGEST_INT) {
			bytes += 8;
			continue;
		}
		n = text_len(&f[i]);
		if (n >= TEXT_NULL || n > SIZE_MAX - 16 - bytes)
			return err_set(e, ERR_INTERNAL, "card_digest_add: text too long");
		bytes += 4 + n;
	}
	buf_reset(&d->record);
	if (buf_grow(&d->record, bytes) == -1)
		return err_set(e, ERR_SYSTEM, "out of memory");
	p = (unsigned char *)d->record.data;
	*p++ = (unsigned char)tag;
	for (i = 0; i < nf; i++) {
		if (f[i].type == CARD_DIGEST_INT) {
			p = put_u64(p, (uint64_t)f[i].v);
			continue;
		}
		n = text_len(&f[i]);
		if (n == 0 && f[i].type == CARD_DIGEST_TEXT_OR_NULL) {
			p = put_u32(p, TEXT_NULL);
			continue;
		}
		p = put_u32(p, (uint32_t)n);
		if (n > 0)
			memcpy(p, f[i].s, n);
		p += n;
	}
	return sha256_set_add(d->streams, card, d->record.data, bytes, e);
}

/* The part's digest of card i: that of no records when there is no part. */
static int
part_final(unsigned char out[SHA256_BYTES], struct card_digest *d, size_t i, struct err *e)
{
	if (d != NULL)
		return sha256_set_final(d->streams, i, out, e);
	return crypto_sha256(out, "", 0, e);
}

int
card_digest_store(struct db *db, const struct card_set *cs, struct card_digest *bookings,
    struct card_digest *charges, struct err *e)
{
	struct db_stmt *st = NULL;
	unsigned char parts[2 * SHA256_BYTES], digest[SHA256_BYTES];
	size_t i, n = card_set_count(cs);
	int rc = -1;

	if ((bookings != NULL && bookings->ncards != n) || (charges != NULL && charges->ncards != n))
		return err_set(e, ERR_INTERNAL, "card_digest_store: not the same cards");
	if (db_prepare(&st, db, "INSERT INTO card_digest (card_id, digest, bookings, charges) "
	    "VALUES (?1, ?2, ?3, ?4)", e) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (part_final(parts, bookings, i, e) == -1 ||
		    part_final(parts + SHA256_BYTES, charges, i, e) == -1 ||
		    crypto_sha256(digest, parts, sizeof parts, e) == -1)
			goto out;
		if (db_bind_text(st, 1, card_set_id(cs, i), (size_t)-1, e) == -1 ||
		    db_bind_blob(st, 2, digest, sizeof digest, e) == -1 ||
		    db_bind_blob(st, 3, parts, SHA256_BYTES, e) == -1 ||
		    db_bind_blob(st, 4, parts + SHA256_BYTES, SHA256_BYTES, e) == -1 ||
		    db_step(st, NULL, e) == -1)
			goto out;
		db_reset(st);
	}
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

int
card_digest_store_table(struct db *db, const char *name, struct card_digest *d,
    struct err *e)
{
	struct db_stmt *st = NULL;
	unsigned char digest[SHA256_BYTES];
	int rc = -1;

	if (d->ncards != 1)
		return err_set(e, ERR_INTERNAL, "card_digest_store_table: not one stream");
	if (sha256_set_final(d->streams, 0, digest, e) == -1 ||
	    db_prepare(&st, db, "INSERT INTO table_digest (name, digest) VALUES (?1, ?2)", e) == -1 ||
	    db_bind_text(st, 1, name, (size_t)-1, e) == -1 ||
	    db_bind_blob(st, 2, digest, sizeof digest, e) == -1 ||
	    db_step(st, NULL, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(st);
	return rc;
}
