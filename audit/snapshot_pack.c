/* snapshot_pack.c — one pack per night, few packs in all (see snapshot_pack.h). */
#include "snapshot_pack.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>

#include "buf.h"
#include "digest.h"
#include "fsutil.h"

#define PACK_FLUSH_BYTES ((size_t)1 << 20)
#define PACK_LEVEL 1            /* libdeflate: fast; gc --full packs tighter */
#define IDX_HEADER 8            /* "\377tOc", version 2 */
#define IDX_FANOUT (256 * 4)

static int
git_fail(struct err *e, const char *what)
{
	const git_error *g = git_error_last();

	return err_set(e, ERR_INTERNAL, "snapshot: %s: %s", what,
	    g != NULL && g->message != NULL ? g->message : "libgit2 error");
}

struct pack_out {
	git_odb_writepack *wp;
	git_indexer_progress stats;
	struct sha1_stream *sha;
	struct buf b;
};

static int
out_flush(struct pack_out *o, struct err *e)
{
	if (o->b.len == 0)
		return 0;
	if (sha1_stream_add(o->sha, o->b.data, o->b.len, e) == -1)
		return -1;
	if (o->wp->append(o->wp, o->b.data, o->b.len, &o->stats) < 0)
		return git_fail(e, "writing pack");
	buf_reset(&o->b);
	return 0;
}

static void
be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* One object: type and size header (pack format 2), then the deflated bytes. */
static int
add_object(struct pack_out *o, struct libdeflate_compressor *z, git_odb *odb,
    const git_oid *id, struct err *e)
{
	git_odb_object *obj = NULL;
	unsigned char hdr[16];
	size_t size, bound, got, n = 0;
	uint64_t left;
	int rc = -1;

	if (git_odb_read(&obj, odb, id) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof hex, id);
		return git_fail(e, hex);
	}
	size = git_odb_object_size(obj);
	left = size;
	hdr[n] = (unsigned char)(((unsigned)git_odb_object_type(obj) << 4) | (left & 15));
	left >>= 4;
	while (left > 0) {
		hdr[n++] |= 0x80;
		hdr[n] = (unsigned char)(left & 0x7f);
		left >>= 7;
	}
	n++;
	bound = libdeflate_zlib_compress_bound(z, size);
	if (buf_add(&o->b, hdr, n) == -1 || buf_grow(&o->b, bound) == -1) {
		err_set(e, ERR_SYSTEM, "snapshot: out of memory");
		goto out;
	}
	got = libdeflate_zlib_compress(z, git_odb_object_data(obj), size,
	    o->b.data + o->b.len, bound);
	if (got == 0) {
		err_set(e, ERR_INTERNAL, "snapshot: deflate failed");
		goto out;
	}
	o->b.len += got;
	rc = o->b.len >= PACK_FLUSH_BYTES ? out_flush(o, e) : 0;
out:
	git_odb_object_free(obj);
	return rc;
}

static int
oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

int
spack_write(git_odb *odb, const git_oid *ids, size_t n, char name[41], struct err *e)
{
	struct pack_out o = { NULL, { 0 }, NULL, BUF_INIT };
	struct libdeflate_compressor *z = NULL;
	unsigned char head[12], sum[SHA1_BYTES];
	git_oid *sorted = NULL;
	size_t i, k = 0;
	int rc = -1;

	if (n == 0)
		return 0;
	/* Sorted and without duplicates: a pack lists each object once. */
	if ((sorted = malloc(n * sizeof *sorted)) == NULL)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	memcpy(sorted, ids, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, oid_cmp);
	for (i = 0; i < n; i++)
		if (k == 0 || !git_oid_equal(&sorted[k - 1], &sorted[i]))
			sorted[k++] = sorted[i];
	if (k > UINT32_MAX) {
		err_set(e, ERR_DATA, "snapshot: %zu objects do not fit one pack", k);
		goto out;
	}
	if ((z = libdeflate_alloc_compressor(PACK_LEVEL)) == NULL) {
		err_set(e, ERR_SYSTEM, "snapshot: out of memory");
		goto out;
	}
	if (sha1_stream_new(&o.sha, e) == -1)
		goto out;
	if (git_odb_write_pack(&o.wp, odb, NULL, NULL) < 0) {
		git_fail(e, "pack writer");
		goto out;
	}
	memcpy(head, "PACK", 4);
	be32(head + 4, 2);
	be32(head + 8, (uint32_t)k);
	if (buf_add(&o.b, head, sizeof head) == -1) {
		err_set(e, ERR_SYSTEM, "snapshot: out of memory");
		goto out;
	}
	for (i = 0; i < k; i++)
		if (add_object(&o, z, odb, &sorted[i], e) == -1)
			goto out;
	if (out_flush(&o, e) == -1 || sha1_stream_final(o.sha, sum, e) == -1)
		goto out;
	if (o.wp->append(o.wp, sum, sizeof sum, &o.stats) < 0 ||
	    o.wp->commit(o.wp, &o.stats) < 0) {
		git_fail(e, "writing pack");
		goto out;
	}
	if (name != NULL) {
		static const char hex[] = "0123456789abcdef";

		for (i = 0; i < SHA1_BYTES; i++) {
			name[2 * i] = hex[sum[i] >> 4];
			name[2 * i + 1] = hex[sum[i] & 15];
		}
		name[40] = '\0';
	}
	rc = 0;
out:
	if (o.wp != NULL)
		o.wp->free(o.wp);
	sha1_stream_free(o.sha);
	buf_free(&o.b);
	libdeflate_free_compressor(z);
	free(sorted);
	return rc;
}

/* ---- the packs of a repository ---- */

struct pack_file {
	char name[41];              /* the 40 hex digits */
	uint32_t objects;
};

/* Reads the object count of a version 2 index; 0 on success. */
static int
idx_count(const char *path, uint32_t *out, int fd, struct err *e)
{
	unsigned char b[4];
	static const unsigned char magic[8] = { 0xff, 't', 'O', 'c', 0, 0, 0, 2 };
	unsigned char h[8];

	if (pread(fd, h, sizeof h, 0) != (ssize_t)sizeof h || memcmp(h, magic, 8) != 0)
		return err_set(e, ERR_DATA, "%s: not a version 2 pack index", path);
	if (pread(fd, b, 4, IDX_HEADER + 255 * 4) != 4)
		return err_set(e, ERR_DATA, "%s: truncated", path);
	*out = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return 0;
}

/* The packs of objdir that have an index and no .keep. */
static int
list_packs(const char *objdir, struct pack_file **out, size_t *nout, struct err *e)
{
	char dir[PATH_BYTES_MAX], path[PATH_BYTES_MAX];
	struct pack_file *packs = NULL, *grown;
	struct dirent *de;
	size_t n = 0;
	DIR *d;
	int rc = -1;

	*out = NULL;
	*nout = 0;
	if (path_join(dir, objdir, "pack", e) == -1)
		return -1;
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		return err_sys(e, "%s", dir);
	}
	while ((de = readdir(d)) != NULL) {
		int fd;

		/* "pack-" + 40 hex + ".idx" */
		if (strncmp(de->d_name, "pack-", 5) != 0 || strlen(de->d_name) != 49 ||
		    strcmp(de->d_name + 45, ".idx") != 0)
			continue;
		if (snprintf(path, sizeof path, "%s/%.45s.keep", dir, de->d_name) >=
		    (int)sizeof path) {
			err_set(e, ERR_SYSTEM, "%s: path too long", dir);
			goto out;
		}
		if (access(path, F_OK) == 0)
			continue;
		if ((grown = realloc(packs, (n + 1) * sizeof *grown)) == NULL) {
			err_set(e, ERR_SYSTEM, "snapshot: out of memory");
			goto out;
		}
		packs = grown;
		memcpy(packs[n].name, de->d_name + 5, 40);
		packs[n].name[40] = '\0';
		if (path_join(path, dir, de->d_name, e) == -1)
			goto out;
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			err_sys(e, "%s", path);
			goto out;
		}
		if (idx_count(path, &packs[n].objects, fd, e) == -1) {
			(void)close(fd);
			goto out;
		}
		(void)close(fd);
		n++;
	}
	*out = packs;
	*nout = n;
	packs = NULL;
	rc = 0;
out:
	(void)closedir(d);
	free(packs);
	return rc;
}

int
spack_count(const char *objdir, size_t *npacks, size_t *objects, struct err *e)
{
	struct pack_file *packs;
	size_t n, i;

	if (list_packs(objdir, &packs, &n, e) == -1)
		return -1;
	*npacks = n;
	*objects = 0;
	for (i = 0; i < n; i++)
		*objects += packs[i].objects;
	free(packs);
	return 0;
}

/* Appends the object ids listed in pack p's index to ids. */
static int
read_ids(const char *objdir, const struct pack_file *p, git_oid *ids, struct err *e)
{
	char path[PATH_BYTES_MAX];
	size_t bytes = (size_t)p->objects * GIT_OID_RAWSZ, got = 0;
	unsigned char *raw;
	uint32_t i;
	int fd, rc = -1;

	if (snprintf(path, sizeof path, "%s/pack/pack-%s.idx", objdir, p->name) >=
	    (int)sizeof path)
		return err_set(e, ERR_SYSTEM, "%s: path too long", objdir);
	if ((raw = malloc(bytes > 0 ? bytes : 1)) == NULL)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		err_sys(e, "%s", path);
		goto out;
	}
	while (got < bytes) {
		ssize_t r = pread(fd, raw + got, bytes - got,
		    (off_t)(IDX_HEADER + IDX_FANOUT + got));

		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			err_set(e, ERR_DATA, "%s: truncated", path);
			goto out;
		}
		got += (size_t)r;
	}
	for (i = 0; i < p->objects; i++)
		if (git_oid_fromraw(&ids[i], raw + (size_t)i * GIT_OID_RAWSZ) < 0) {
			git_fail(e, path);
			goto out;
		}
	rc = 0;
out:
	if (fd != -1)
		(void)close(fd);
	free(raw);
	return rc;
}

/* Removes a pack: its index first (a pack without index is invisible). */
static int
remove_pack(const char *objdir, const char *name, struct err *e)
{
	static const char *const ext[] = { "idx", "pack", "rev", "bitmap", "mtimes" };
	char path[PATH_BYTES_MAX];
	size_t i;

	for (i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		if (snprintf(path, sizeof path, "%s/pack/pack-%s.%s", objdir, name, ext[i]) >=
		    (int)sizeof path)
			return err_set(e, ERR_SYSTEM, "%s: path too long", objdir);
		if (unlink(path) == -1 && errno != ENOENT)
			return err_sys(e, "%s", path);
	}
	return 0;
}

static int
pack_cmp(const void *a, const void *b)
{
	const struct pack_file *x = a, *y = b;

	if (x->objects != y->objects)
		return x->objects > y->objects ? -1 : 1;
	return strcmp(x->name, y->name);
}

int
spack_consolidate(git_odb *odb, const char *objdir, struct spack_stats *st, struct err *e)
{
	struct pack_file *packs = NULL;
	git_oid *ids = NULL;
	size_t n, i, first, total = 0, rest = 0, at = 0;
	char name[41];
	int rc = -1;

	memset(st, 0, sizeof *st);
	if (list_packs(objdir, &packs, &n, e) == -1)
		return -1;
	st->packs_before = st->packs_after = n;
	if (n <= 2) {
		rc = 0;
		goto out;
	}
	qsort(packs, n, sizeof *packs, pack_cmp);
	for (i = 1; i < n; i++)
		rest += packs[i].objects;
	first = rest * 2 > packs[0].objects ? 0 : 1;
	for (i = first; i < n; i++)
		total += packs[i].objects;
	if ((ids = malloc((total > 0 ? total : 1) * sizeof *ids)) == NULL) {
		err_set(e, ERR_SYSTEM, "snapshot: out of memory");
		goto out;
	}
	for (i = first; i < n; i++) {
		if (read_ids(objdir, &packs[i], ids + at, e) == -1)
			goto out;
		at += packs[i].objects;
	}
	if (spack_write(odb, ids, total, name, e) == -1)
		goto out;
	/* The new pack and its index are durable: the merged ones can go. */
	for (i = first; i < n; i++)
		if (strcmp(packs[i].name, name) != 0 && remove_pack(objdir, packs[i].name, e) == -1)
			goto out;
	st->objects_merged = total;
	st->packs_after = first + 1;
	rc = 0;
out:
	free(ids);
	free(packs);
	return rc;
}
