/* snapshot_cache.c — the card cache (see snapshot_cache.h). */
#include "snapshot_cache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>

#include "array.h"
#include "buf.h"
#include "fsutil.h"

#define CACHE_MAGIC "czynsze card cache 4 (format " CANON_FORMAT ")\n"
#define CACHE_BYTES_MAX ((size_t)1 << 30)
#define OID_BYTES 20

/* ---- reading ---- */

/* A cursor over the file's bytes; every get fails (returns -1) once it
 * would pass the end. */
struct reader {
	const unsigned char *p, *end;
};

static int
get_bytes(struct reader *r, void *out, size_t n)
{
	if ((size_t)(r->end - r->p) < n)
		return -1;
	memcpy(out, r->p, n);
	r->p += n;
	return 0;
}

static int
get_uint(struct reader *r, uint64_t *out, size_t bytes)
{
	size_t i;

	if ((size_t)(r->end - r->p) < bytes)
		return -1;
	*out = 0;
	for (i = 0; i < bytes; i++)
		*out |= (uint64_t)r->p[i] << (8 * i);
	r->p += bytes;
	return 0;
}

/* A string of the given length bytes field, NUL included and nowhere
 * else: *out points into the file's bytes, *len is without the NUL. */
static int
get_string(struct reader *r, const char **out, size_t *len, size_t bytes)
{
	uint64_t n;

	if (get_uint(r, &n, bytes) == -1 || n == 0 || (uint64_t)(r->end - r->p) < n ||
	    r->p[n - 1] != '\0' || memchr(r->p, '\0', (size_t)n - 1) != NULL)
		return -1;
	*out = (const char *)r->p;
	if (len != NULL)
		*len = (size_t)n - 1;
	r->p += n;
	return 0;
}

static int
card_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cached_card *)a)->id, ((const struct cached_card *)b)->id);
}

static int
folder_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cached_folder *)a)->path,
	    ((const struct cached_folder *)b)->path);
}

/* Parses the body after the magic into c; -1 when it does not parse. */
static int
parse(struct snapshot_cache *c, struct reader *r)
{
	uint64_t ncards, nfolders, nfiles;
	size_t i;

	if (get_bytes(r, c->tree.id, OID_BYTES) == -1 || get_uint(r, &ncards, 4) == -1 ||
	    get_uint(r, &nfolders, 4) == -1 || get_uint(r, &nfiles, 4) == -1 ||
	    nfiles > SNAPSHOT_CACHE_FILES)
		return -1;
	/* Each record takes more bytes than it has: no count the file cannot hold. */
	if (ncards > (uint64_t)(r->end - r->p) || nfolders > (uint64_t)(r->end - r->p))
		return -1;
	if ((ncards > 0 && (c->cards = calloc((size_t)ncards, sizeof *c->cards)) == NULL) ||
	    (nfolders > 0 && (c->folders = calloc((size_t)nfolders, sizeof *c->folders)) == NULL))
		return -1;
	c->cards_cap = (size_t)ncards;
	c->folders_cap = (size_t)nfolders;
	for (i = 0; i < ncards; i++) {
		struct cached_card *k = &c->cards[i];

		if (get_bytes(r, k->bookings_digest, CANON_DIGEST_BYTES) == -1 ||
		    get_bytes(r, k->charges_digest, CANON_DIGEST_BYTES) == -1 ||
		    get_bytes(r, k->cards.id, OID_BYTES) == -1 ||
		    get_bytes(r, k->charges.id, OID_BYTES) == -1 ||
		    get_uint(r, &k->bookings, 8) == -1 || get_uint(r, &k->components, 8) == -1 ||
		    get_string(r, &k->id, NULL, 2) == -1 ||
		    get_string(r, &k->line, &k->line_len, 4) == -1)
			return -1;
		c->ncards++;
	}
	for (i = 0; i < nfolders; i++) {
		struct cached_folder *f = &c->folders[i];

		if (get_bytes(r, f->tree.id, OID_BYTES) == -1 || get_uint(r, &f->entries, 8) == -1 ||
		    get_string(r, &f->path, NULL, 2) == -1)
			return -1;
		c->nfolders++;
	}
	for (i = 0; i < nfiles; i++) {
		struct cached_file *f = &c->files[i];

		if (get_bytes(r, f->digest, CANON_DIGEST_BYTES) == -1 ||
		    get_bytes(r, f->blob.id, OID_BYTES) == -1 ||
		    get_string(r, &f->path, NULL, 2) == -1)
			return -1;
		c->nfiles++;
	}
	if (r->p != r->end)
		return -1;
	/* Written in order; sorted here should a writer ever not have. */
	for (i = 1; i < c->ncards; i++)
		if (strcmp(c->cards[i - 1].id, c->cards[i].id) >= 0)
			break;
	if (i < c->ncards)
		qsort(c->cards, c->ncards, sizeof *c->cards, card_cmp);
	for (i = 1; i < c->nfolders; i++)
		if (strcmp(c->folders[i - 1].path, c->folders[i].path) >= 0)
			break;
	if (i < c->nfolders)
		qsort(c->folders, c->nfolders, sizeof *c->folders, folder_cmp);
	return 0;
}

int
snapshot_cache_load(struct snapshot_cache *c, const char *path, struct err *e)
{
	struct reader r;
	uint64_t crc;
	size_t n = 0;
	const size_t magic = sizeof CACHE_MAGIC - 1;

	if (access(path, F_OK) != 0) {
		/* none yet; or no repository folder, which opening it reports */
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return err_sys(e, "%s", path);
	}
	if (read_file(&c->data, &n, path, CACHE_BYTES_MAX, e) == -1)
		return -1;
	if (n < magic + 4 || memcmp(c->data, CACHE_MAGIC, magic) != 0)
		goto damaged;
	r.p = (const unsigned char *)c->data + n - 4;
	r.end = r.p + 4;
	if (get_uint(&r, &crc, 4) == -1 ||
	    libdeflate_crc32(0, c->data, n - 4) != (uint32_t)crc)
		goto damaged;
	r.p = (const unsigned char *)c->data + magic;
	r.end = (const unsigned char *)c->data + n - 4;
	if (parse(c, &r) == -1)
		goto damaged;
	return 0;
damaged:
	/* a damaged cache is no cache: this night is written whole */
	snapshot_cache_clear(c);
	return 0;
}

/* ---- writing ---- */

static int
put_uint(struct buf *b, uint64_t v, size_t bytes)
{
	unsigned char p[8];
	size_t i;

	for (i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	return buf_add(b, p, bytes);
}

/* s[0..len) and a NUL, after its length (with the NUL) in bytes bytes. */
static int
put_string(struct buf *b, const char *s, size_t len, size_t bytes)
{
	if (len + 1 >= ((uint64_t)1 << (8 * bytes)))
		return -1;
	if (put_uint(b, len + 1, bytes) == -1 || buf_add(b, s, len) == -1)
		return -1;
	return buf_addc(b, '\0');
}

int
snapshot_cache_save(const struct snapshot_cache *c, const char *path, const git_oid *tree,
    struct err *e)
{
	struct buf b = BUF_INIT;
	size_t i;
	int rc = -1;

	if (buf_adds(&b, CACHE_MAGIC) == -1 || buf_add(&b, tree->id, OID_BYTES) == -1 ||
	    put_uint(&b, c->ncards, 4) == -1 || put_uint(&b, c->nfolders, 4) == -1 ||
	    put_uint(&b, c->nfiles, 4) == -1)
		goto nomem;
	for (i = 0; i < c->ncards; i++) {
		const struct cached_card *k = &c->cards[i];

		if (buf_add(&b, k->bookings_digest, CANON_DIGEST_BYTES) == -1 ||
		    buf_add(&b, k->charges_digest, CANON_DIGEST_BYTES) == -1 ||
		    buf_add(&b, k->cards.id, OID_BYTES) == -1 ||
		    buf_add(&b, k->charges.id, OID_BYTES) == -1 ||
		    put_uint(&b, k->bookings, 8) == -1 || put_uint(&b, k->components, 8) == -1 ||
		    put_string(&b, k->id, strlen(k->id), 2) == -1 ||
		    put_string(&b, k->line, k->line_len, 4) == -1)
			goto nomem;
	}
	for (i = 0; i < c->nfolders; i++) {
		const struct cached_folder *f = &c->folders[i];

		if (buf_add(&b, f->tree.id, OID_BYTES) == -1 || put_uint(&b, f->entries, 8) == -1 ||
		    put_string(&b, f->path, strlen(f->path), 2) == -1)
			goto nomem;
	}
	for (i = 0; i < c->nfiles; i++) {
		const struct cached_file *f = &c->files[i];

		if (buf_add(&b, f->digest, CANON_DIGEST_BYTES) == -1 ||
		    buf_add(&b, f->blob.id, OID_BYTES) == -1 ||
		    put_string(&b, f->path, strlen(f->path), 2) == -1)
			goto nomem;
	}
	if (put_uint(&b, libdeflate_crc32(0, b.data, b.len), 4) == -1)
		goto nomem;
	rc = write_file_atomic_nosync(path, b.data, b.len, 0600, e);
	goto out;
nomem:
	/* (or a string too long for its length field: ids and paths are
	 * bounded by CANON_PATH_MAX, lines by the database's limits) */
	err_set(e, ERR_SYSTEM, "snapshot: cannot write the card cache (out of memory)");
out:
	buf_free(&b);
	return rc;
}

/* ---- building ---- */

static char *
copy(struct arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

int
snapshot_cache_add_card(struct snapshot_cache *c, const struct cached_card *k,
    struct err *e)
{
	struct cached_card *grown, *d;

	grown = array_grow(c->cards, &c->cards_cap, c->ncards + 1, sizeof *grown, 1024);
	if (grown == NULL)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	c->cards = grown;
	d = &c->cards[c->ncards];
	*d = *k;
	if ((d->id = copy(&c->arena, k->id, strlen(k->id))) == NULL ||
	    (d->line = copy(&c->arena, k->line, k->line_len)) == NULL)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	c->ncards++;
	return 0;
}

int
snapshot_cache_add_folder(struct snapshot_cache *c, const char *path, size_t len,
    const git_oid *tree, uint64_t entries, struct err *e)
{
	struct cached_folder *grown, *f;

	grown = array_grow(c->folders, &c->folders_cap, c->nfolders + 1, sizeof *grown, 256);
	if (grown == NULL)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	c->folders = grown;
	f = &c->folders[c->nfolders];
	if ((f->path = copy(&c->arena, path, len)) == NULL)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	f->tree = *tree;
	f->entries = entries;
	c->nfolders++;
	return 0;
}

int
snapshot_cache_add_file(struct snapshot_cache *c, const char *path,
    const unsigned char *digest, const git_oid *blob, struct err *e)
{
	struct cached_file *f;

	if (c->nfiles == SNAPSHOT_CACHE_FILES)
		return err_set(e, ERR_INTERNAL, "snapshot: too many cached files");
	f = &c->files[c->nfiles];
	if ((f->path = copy(&c->arena, path, strlen(path))) == NULL)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	memcpy(f->digest, digest, CANON_DIGEST_BYTES);
	f->blob = *blob;
	c->nfiles++;
	return 0;
}

/* ---- finding ---- */

const struct cached_card *
snapshot_cache_card(const struct snapshot_cache *c, const char *id)
{
	struct cached_card probe;

	if (c->ncards == 0)
		return NULL;
	memset(&probe, 0, sizeof probe);
	probe.id = id;
	return bsearch(&probe, c->cards, c->ncards, sizeof probe, card_cmp);
}

const struct cached_folder *
snapshot_cache_folder(const struct snapshot_cache *c, const char *path)
{
	struct cached_folder probe;

	if (c->nfolders == 0)
		return NULL;
	memset(&probe, 0, sizeof probe);
	probe.path = path;
	return bsearch(&probe, c->folders, c->nfolders, sizeof probe, folder_cmp);
}

const struct cached_file *
snapshot_cache_file(const struct snapshot_cache *c, const char *path)
{
	size_t i;

	for (i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i].path, path) == 0)
			return &c->files[i];
	return NULL;
}

/* ---- releasing ---- */

void
snapshot_cache_clear(struct snapshot_cache *c)
{
	c->ncards = c->nfolders = c->nfiles = 0;
}

void
snapshot_cache_free(struct snapshot_cache *c)
{
	free(c->cards);
	free(c->folders);
	free(c->data);
	arena_free(&c->arena);
	memset(c, 0, sizeof *c);
}
