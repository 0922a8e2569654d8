/*
 * snapshot_pack.h — a night's new objects as one git pack, and few packs
 * in all (internal to audit/snapshot.c, which with snapshot_pack.c are
 * the only files that include <git2.h>).
 *
 * A snapshot streams each new object into a pack as it is made
 * (spack_add): named with OpenSSL's SHA-1, deflated once (libdeflate),
 * appended to a temporary file in objects/pack.  spack_commit() then
 * writes the object count and the trailer, the version 2 index (sorted
 * names, CRC-32s, offsets) computed from what was written, fsyncs both
 * and renames them into place, the pack before its index (readers find
 * packs by their index).  No object is kept in memory, none is inflated
 * or hashed a second time (libgit2's indexer did both, for a third of a
 * first snapshot's time), and no delta search runs: `audit gc --full`
 * makes the deltas later.  Pack files are mode 0400.
 *
 * spack_consolidate() keeps objects/pack at two packs or fewer after a
 * night: when there are more, the packs other than the largest are
 * merged into one (all of them, largest included, once the others
 * together hold more than half as many objects as it), and the merged
 * packs are removed.  Callers hold the snapshot repository's exclusive
 * lock: readers may have the removed packs open.
 */
#ifndef CZYNSZE_SNAPSHOT_PACK_H
#define CZYNSZE_SNAPSHOT_PACK_H

#include <stddef.h>

#include <git2.h>

#include "buf.h"
#include "err.h"

/* A pack being written; owned by its caller, released with spack_free. */
struct spack;

/* Starts a pack in objdir/pack.  Objects that known (may be NULL) already
 * has are not written again.  0, or -1 with e set. */
int spack_begin(struct spack **out, const char *objdir, git_odb *known, struct err *e);

/* Names data[0..size) as an object of type into *id, and appends it
 * unless this pack holds it already, or known does and flags lack
 * SPACK_NOT_KNOWN (for objects the caller took out of known's own
 * in-memory store).  0, or -1 with e set (the pack is then unusable:
 * free it). */
#define SPACK_NOT_KNOWN 1u
int spack_add(struct spack *p, git_object_t type, const void *data, size_t size,
    unsigned flags, git_oid *id, struct err *e);

/*
 * Objects made off the pack's thread: a maker (one per thread: a
 * compressor and a SHA-1 stream, released with spack_maker_free,
 * NULL-safe) names and deflates an object into a spack_made, which the
 * pack's own thread then appends with spack_add_made.  A maker deflates
 * as spack_add does (SPACK_DEFLATE) or only stores (SPACK_STORE: zlib
 * "stored" blocks, valid for every reader of packs): for a night's few
 * changed files, which the next pack merge (spack_consolidate, at most
 * a night later) deflates anyway; deflating them first too would cost
 * a quarter of a changed card's CPU.  A made object's entry is its caller's
 * (buf_free it); it is deflated even when the pack turns out to have it.
 * 0, or -1 with e set.
 */
struct spack_maker;

struct spack_made {
	git_oid id;
	struct buf entry;           /* the pack entry: type and size, deflated bytes */
	uint32_t crc;               /* CRC-32 of entry */
};

enum spack_level { SPACK_DEFLATE, SPACK_STORE };

int spack_maker_new(struct spack_maker **out, enum spack_level level, struct err *e);
void spack_maker_free(struct spack_maker *m);
int spack_make(struct spack_maker *m, git_object_t type, const void *data, size_t size,
    struct spack_made *out, struct err *e);
int spack_add_made(struct spack *p, const struct spack_made *o, unsigned flags, struct err *e);

/* Objects appended so far. */
size_t spack_objects(const struct spack *p);

/* Makes the pack durable and visible (see above); name (may be NULL) gets
 * its 40 hex digits, "" when it holds no object (then nothing is left on
 * disk).  Call git_odb_refresh() to read from it in the same process.
 * 0, or -1 with e set. */
int spack_commit(struct spack *p, char name[41], struct err *e);

/* Releases p; a pack not committed is removed.  NULL-safe. */
void spack_free(struct spack *p);

/* Writes ids[0..n) (duplicates allowed; read through odb, each checked to
 * hash to its name) as one new pack in objdir.  n == 0 writes nothing. */
int spack_write(git_odb *odb, const char *objdir, const git_oid *ids, size_t n, char name[41],
    struct err *e);

struct spack_stats {
	size_t packs_before, packs_after, objects_merged;
};

/* See above; objdir is the repository's objects folder. */
int spack_consolidate(git_odb *odb, const char *objdir, struct spack_stats *st,
    struct err *e);

/* Objects in the packs of objdir: *packs packs (without .keep), *objects in all. */
int spack_count(const char *objdir, size_t *packs, size_t *objects, struct err *e);

#endif
