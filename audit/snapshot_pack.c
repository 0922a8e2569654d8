/* snapshot_pack.c — one pack per night, few packs in all (see snapshot_pack.h). */
#include "snapshot_pack.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libdeflate.h>

#include "array.h"
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

/* One object of the pack being written. */
struct pobj {
	git_oid id;
	uint64_t offset;            /* of its entry in the pack file */
	uint32_t crc;               /* CRC-32 of the entry (header and deflated bytes) */
};

struct spack_maker {
	struct libdeflate_compressor *z;
	struct sha1_stream *sha;
};

struct spack {
	char dir[PATH_BYTES_MAX];   /* objects/pack */
	char tmp[PATH_BYTES_MAX];   /* the pack being written */
	int fd;                     /* -1 once closed */
	git_odb *known;             /* objects it has are not written again (may be NULL) */
	struct spack_maker *m;      /* for spack_add, and the trailer's SHA-1 */
	struct buf b;               /* bytes not yet written */
	uint64_t written;           /* bytes in the file */
	struct pobj *objs;
	size_t n, cap;
	uint32_t *slots;            /* hash set of objs: index + 1, 0 empty */
	size_t nslots;              /* a power of two, over twice n */
};

static void
be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static int
write_all(int fd, const void *data, size_t n, const char *path, struct err *e)
{
	const unsigned char *p = data;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return err_sys(e, "%s", path);
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
flush_out(struct spack *p, struct err *e)
{
	if (p->b.len == 0)
		return 0;
	if (write_all(p->fd, p->b.data, p->b.len, p->tmp, e) == -1)
		return -1;
	p->written += p->b.len;
	buf_reset(&p->b);
	return 0;
}

static size_t
slot_of(const git_oid *id, size_t mask)
{
	const unsigned char *r = id->id;

	return ((size_t)r[0] << 24 | (size_t)r[1] << 16 | (size_t)r[2] << 8 | r[3]) & mask;
}

/* 1 when the pack already holds id. */
static int
holds(const struct spack *p, const git_oid *id)
{
	size_t mask = p->nslots - 1, i;

	if (p->nslots == 0)
		return 0;
	for (i = slot_of(id, mask); p->slots[i] != 0; i = (i + 1) & mask)
		if (git_oid_equal(&p->objs[p->slots[i] - 1].id, id))
			return 1;
	return 0;
}

/* Puts objs[j] into the set, which has a free slot. */
static void
set_insert(struct spack *p, size_t j)
{
	size_t mask = p->nslots - 1, i;

	for (i = slot_of(&p->objs[j].id, mask); p->slots[i] != 0; i = (i + 1) & mask)
		;
	p->slots[i] = (uint32_t)(j + 1);
}

/* Room for one more object in objs and in the set (kept at most half full). */
static int
reserve(struct spack *p, struct err *e)
{
	struct pobj *grown;
	size_t j;

	if ((grown = array_grow(p->objs, &p->cap, p->n + 1, sizeof *grown, 1024)) == NULL)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	p->objs = grown;
	if ((p->n + 1) * 2 <= p->nslots)
		return 0;
	if (p->n + 1 > UINT32_MAX - 1)
		return err_set(e, ERR_DATA, "snapshot: too many objects for one pack");
	free(p->slots);
	p->nslots = p->nslots == 0 ? 4096 : p->nslots * 2;
	if ((p->slots = calloc(p->nslots, sizeof *p->slots)) == NULL) {
		p->nslots = 0;
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	}
	for (j = 0; j < p->n; j++)
		set_insert(p, j);
	return 0;
}

int
spack_begin(struct spack **out, const char *objdir, git_odb *known, struct err *e)
{
	static const unsigned char head[12] = { 'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 0 };
	struct spack *p;

	*out = NULL;
	if ((p = calloc(1, sizeof *p)) == NULL)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	p->fd = -1;
	p->known = known;
	if (path_join(p->dir, objdir, "pack", e) == -1 || mkdir_p(p->dir, 0700, e) == -1 ||
	    path_join(p->tmp, p->dir, "tmp_czynsze_pack_XXXXXX", e) == -1)
		goto fail;
	if ((p->fd = mkstemp(p->tmp)) == -1) {
		err_sys(e, "%s", p->tmp);
		p->tmp[0] = '\0';
		goto fail;
	}
	/* The object count is written at the end, when known. */
	if (spack_maker_new(&p->m, SPACK_DEFLATE, e) == -1)
		goto fail;
	if (buf_add(&p->b, head, sizeof head) == -1) {
		err_set(e, ERR_SYSTEM, "snapshot: out of memory");
		goto fail;
	}
	*out = p;
	return 0;
fail:
	spack_free(p);
	return -1;
}

int
spack_maker_new(struct spack_maker **out, enum spack_level level, struct err *e)
{
	struct spack_maker *m;

	*out = NULL;
	if ((m = calloc(1, sizeof *m)) == NULL)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	/* libdeflate's level 0: stored blocks, with the zlib header and
	 * Adler-32 all the same. */
	if ((m->z = libdeflate_alloc_compressor(level == SPACK_STORE ? 0 : PACK_LEVEL)) == NULL) {
		free(m);
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	}
	if (sha1_stream_new(&m->sha, e) == -1) {
		spack_maker_free(m);
		return -1;
	}
	*out = m;
	return 0;
}

void
spack_maker_free(struct spack_maker *m)
{
	if (m == NULL)
		return;
	libdeflate_free_compressor(m->z);
	sha1_stream_free(m->sha);
	free(m);
}

/* Git's name of an object type, without libgit2: spack_make may run
 * before git_libgit2_init has returned (snapshot_cards.h). */
static const char *
type_name(git_object_t type)
{
	switch (type) {
	case GIT_OBJECT_BLOB: return "blob";
	case GIT_OBJECT_TREE: return "tree";
	case GIT_OBJECT_COMMIT: return "commit";
	case GIT_OBJECT_TAG: return "tag";
	default: return NULL;
	}
}

/* The object's name: SHA-1 of "TYPE SIZE\0" and the bytes. */
static int
object_name(struct spack_maker *m, git_object_t type, const void *data, size_t size,
    git_oid *id, struct err *e)
{
	char oh[32];
	const char *name = type_name(type);
	int oh_len;

	if (name == NULL)
		return err_set(e, ERR_INTERNAL, "snapshot: object type %d", (int)type);
	oh_len = snprintf(oh, sizeof oh, "%s %zu", name, size);
	if (oh_len < 0 || (size_t)oh_len >= sizeof oh)
		return err_set(e, ERR_INTERNAL, "snapshot: object header");
	if (sha1_stream_restart(m->sha, e) == -1 ||
	    sha1_stream_add(m->sha, oh, (size_t)oh_len + 1, e) == -1 ||
	    sha1_stream_add(m->sha, data, size, e) == -1 ||
	    sha1_stream_final(m->sha, id->id, e) == -1)
		return -1;
	return 0;
}

/* Appends the object's pack entry to b: type and size (pack format 2),
 * then the deflated bytes; *crc gets the entry's CRC-32. */
static int
object_entry(struct spack_maker *m, git_object_t type, const void *data, size_t size,
    struct buf *b, uint32_t *crc, struct err *e)
{
	unsigned char hdr[16];
	size_t bound, got, n = 0, at = b->len;
	uint64_t left = size;

	hdr[n] = (unsigned char)(((unsigned)type << 4) | (left & 15));
	left >>= 4;
	while (left > 0) {
		hdr[n++] |= 0x80;
		hdr[n] = (unsigned char)(left & 0x7f);
		left >>= 7;
	}
	n++;
	bound = libdeflate_zlib_compress_bound(m->z, size);
	if (buf_add(b, hdr, n) == -1 || buf_grow(b, bound) == -1)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	got = libdeflate_zlib_compress(m->z, data, size, b->data + b->len, bound);
	if (got == 0)
		return err_set(e, ERR_INTERNAL, "snapshot: deflate failed");
	b->len += got;
	*crc = libdeflate_crc32(0, b->data + at, b->len - at);
	return 0;
}

int
spack_make(struct spack_maker *m, git_object_t type, const void *data, size_t size,
    struct spack_made *out, struct err *e)
{
	buf_reset(&out->entry);
	return object_name(m, type, data, size, &out->id, e) == -1 ||
	    object_entry(m, type, data, size, &out->entry, &out->crc, e) == -1 ? -1 : 0;
}

/* 1 when the object need not be written: the pack or the repository has it. */
static int
have_already(const struct spack *p, const git_oid *id, unsigned flags)
{
	return holds(p, id) || (p->known != NULL && (flags & SPACK_NOT_KNOWN) == 0 &&
	    git_odb_exists_ext(p->known, id, GIT_ODB_LOOKUP_NO_REFRESH) == 1);
}

/* Records the entry appended to p->b at offset at as object id. */
static int
record(struct spack *p, const git_oid *id, size_t at, uint32_t crc, struct err *e)
{
	git_oid_cpy(&p->objs[p->n].id, id);
	p->objs[p->n].offset = p->written + at;
	p->objs[p->n].crc = crc;
	set_insert(p, p->n++);
	return p->b.len >= PACK_FLUSH_BYTES ? flush_out(p, e) : 0;
}

int
spack_add(struct spack *p, git_object_t type, const void *data, size_t size,
    unsigned flags, git_oid *id, struct err *e)
{
	size_t at = p->b.len;
	uint32_t crc;

	if (object_name(p->m, type, data, size, id, e) == -1)
		return -1;
	if (have_already(p, id, flags))
		return 0;
	if (reserve(p, e) == -1 || object_entry(p->m, type, data, size, &p->b, &crc, e) == -1)
		return -1;
	return record(p, id, at, crc, e);
}

int
spack_add_made(struct spack *p, const struct spack_made *o, unsigned flags, struct err *e)
{
	size_t at = p->b.len;

	if (have_already(p, &o->id, flags))
		return 0;
	if (reserve(p, e) == -1)
		return -1;
	if (buf_add(&p->b, o->entry.data, o->entry.len) == -1)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	return record(p, &o->id, at, o->crc, e);
}

size_t
spack_objects(const struct spack *p)
{
	return p->n;
}

static int
pobj_cmp(const void *a, const void *b)
{
	return git_oid_cmp(&((const struct pobj *)a)->id, &((const struct pobj *)b)->id);
}

/* The pack's trailer: SHA-1 of the whole file as written (count included). */
static int
pack_trailer(struct spack *p, unsigned char sum[SHA1_BYTES], struct err *e)
{
	unsigned char *chunk;
	uint64_t at = 0;
	int rc = -1;

	if ((chunk = malloc(PACK_FLUSH_BYTES)) == NULL)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	if (sha1_stream_restart(p->m->sha, e) == -1)
		goto out;
	while (at < p->written) {
		size_t want = p->written - at < PACK_FLUSH_BYTES ? (size_t)(p->written - at) :
		    PACK_FLUSH_BYTES;
		ssize_t r = pread(p->fd, chunk, want, (off_t)at);

		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == -1)
				err_sys(e, "%s", p->tmp);
			else
				err_set(e, ERR_SYSTEM, "%s: shorter than written", p->tmp);
			goto out;
		}
		if (sha1_stream_add(p->m->sha, chunk, (size_t)r, e) == -1)
			goto out;
		at += (uint64_t)r;
	}
	rc = sha1_stream_final(p->m->sha, sum, e);
out:
	free(chunk);
	return rc;
}

/* The version 2 index of the (sorted) objects, into b. */
static int
build_index(struct buf *b, const struct spack *p, const unsigned char pack_sum[SHA1_BYTES],
    struct sha1_stream *sha, struct err *e)
{
	static const unsigned char magic[8] = { 0xff, 't', 'O', 'c', 0, 0, 0, 2 };
	unsigned char w[8], sum[SHA1_BYTES];
	size_t i, nlarge = 0;
	uint32_t fan = 0;
	int byte = 0;

	if (buf_add(b, magic, sizeof magic) == -1)
		goto nomem;
	for (byte = 0; byte < 256; byte++) {
		while (fan < p->n && p->objs[fan].id.id[0] == byte)
			fan++;
		be32(w, fan);
		if (buf_add(b, w, 4) == -1)
			goto nomem;
	}
	for (i = 0; i < p->n; i++)
		if (buf_add(b, p->objs[i].id.id, GIT_OID_RAWSZ) == -1)
			goto nomem;
	for (i = 0; i < p->n; i++) {
		be32(w, p->objs[i].crc);
		if (buf_add(b, w, 4) == -1)
			goto nomem;
	}
	for (i = 0; i < p->n; i++) {
		uint64_t off = p->objs[i].offset;

		be32(w, off < 0x80000000u ? (uint32_t)off : 0x80000000u | (uint32_t)nlarge++);
		if (buf_add(b, w, 4) == -1)
			goto nomem;
	}
	for (i = 0; i < p->n; i++) {
		uint64_t off = p->objs[i].offset;

		if (off < 0x80000000u)
			continue;
		be32(w, (uint32_t)(off >> 32));
		be32(w + 4, (uint32_t)off);
		if (buf_add(b, w, 8) == -1)
			goto nomem;
	}
	if (buf_add(b, pack_sum, SHA1_BYTES) == -1)
		goto nomem;
	if (sha1_stream_restart(sha, e) == -1 || sha1_stream_add(sha, b->data, b->len, e) == -1 ||
	    sha1_stream_final(sha, sum, e) == -1)
		return -1;
	if (buf_add(b, sum, SHA1_BYTES) == -1)
		goto nomem;
	return 0;
nomem:
	return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
}

int
spack_commit(struct spack *p, char name[41], struct err *e)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char count[4], sum[SHA1_BYTES];
	char hexsum[41], path[PATH_BYTES_MAX];
	struct buf idx = BUF_INIT;
	size_t i;
	int rc = -1;

	if (name != NULL)
		name[0] = '\0';
	if (p->n == 0) {
		rc = 0;
		goto out;
	}
	if (flush_out(p, e) == -1)
		goto out;
	be32(count, (uint32_t)p->n);
	if (pwrite(p->fd, count, sizeof count, 8) != (ssize_t)sizeof count) {
		err_sys(e, "%s", p->tmp);
		goto out;
	}
	if (pack_trailer(p, sum, e) == -1 || write_all(p->fd, sum, sizeof sum, p->tmp, e) == -1)
		goto out;
	if (fchmod(p->fd, 0400) == -1 || fsync(p->fd) == -1) {
		err_sys(e, "%s", p->tmp);
		goto out;
	}
	for (i = 0; i < SHA1_BYTES; i++) {
		hexsum[2 * i] = hex[sum[i] >> 4];
		hexsum[2 * i + 1] = hex[sum[i] & 15];
	}
	hexsum[40] = '\0';
	qsort(p->objs, p->n, sizeof *p->objs, pobj_cmp);
	if (build_index(&idx, p, sum, p->m->sha, e) == -1)
		goto out;
	/* The pack first, then its index: readers find packs by their index. */
	if (snprintf(path, sizeof path, "%s/pack-%s.pack", p->dir, hexsum) >= (int)sizeof path) {
		err_set(e, ERR_SYSTEM, "%s: path too long", p->dir);
		goto out;
	}
	if (rename_durable(p->tmp, path, e) == -1)
		goto out;
	p->tmp[0] = '\0';
	if (snprintf(path, sizeof path, "%s/pack-%s.idx", p->dir, hexsum) >= (int)sizeof path) {
		err_set(e, ERR_SYSTEM, "%s: path too long", p->dir);
		goto out;
	}
	if (write_file_atomic(path, idx.data, idx.len, 0400, e) == -1)
		goto out;
	if (name != NULL)
		memcpy(name, hexsum, sizeof hexsum);
	rc = 0;
out:
	buf_free(&idx);
	return rc;
}

void
spack_free(struct spack *p)
{
	if (p == NULL)
		return;
	if (p->fd != -1)
		(void)close(p->fd);
	if (p->tmp[0] != '\0')
		(void)unlink(p->tmp);
	spack_maker_free(p->m);
	buf_free(&p->b);
	free(p->objs);
	free(p->slots);
	free(p);
}

int
spack_write(git_odb *odb, const char *objdir, const git_oid *ids, size_t n, char name[41],
    struct err *e)
{
	struct spack *p = NULL;
	git_odb_object *obj = NULL;
	git_oid got;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int rc = -1;

	if (name != NULL)
		name[0] = '\0';
	if (n == 0)
		return 0;
	if (spack_begin(&p, objdir, NULL, e) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (git_odb_read(&obj, odb, &ids[i]) < 0) {
			git_oid_tostr(hex, sizeof hex, &ids[i]);
			git_fail(e, hex);
			goto out;
		}
		if (spack_add(p, git_odb_object_type(obj), git_odb_object_data(obj),
		    git_odb_object_size(obj), 0, &got, e) == -1)
			goto out;
		if (!git_oid_equal(&got, &ids[i])) {
			git_oid_tostr(hex, sizeof hex, &ids[i]);
			err_set(e, ERR_DATA, "snapshot: object %s does not hash to its name", hex);
			goto out;
		}
		git_odb_object_free(obj);
		obj = NULL;
	}
	rc = spack_commit(p, name, e);
out:
	git_odb_object_free(obj);
	spack_free(p);
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
	if (spack_write(odb, objdir, ids, total, name, e) == -1)
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
