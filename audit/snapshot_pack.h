/*
 * snapshot_pack.h — a night's new objects as one git pack, and few packs
 * in all (internal to audit/snapshot.c, which with snapshot_pack.c are
 * the only files that include <git2.h>).
 *
 * A snapshot writes its objects into libgit2's in-memory store (mempack)
 * and then, with spack_write(), as one pack file through the object
 * database's pack writer (libgit2's indexer writes the .idx, fsyncs both
 * when GIT_OPT_ENABLE_FSYNC_GITDIR is on, and checks every object).  The
 * pack is written here, not with git_packbuilder: objects whole, each
 * deflated once (libdeflate), no delta search — the packbuilder's delta
 * search costs minutes on a first snapshot.  `audit gc --full` makes the
 * deltas later.
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

#include "err.h"

/* Writes ids[0..n) (duplicates allowed; read through odb) as one new pack
 * in the repository's objects/pack.  n == 0 writes nothing.  name (may be
 * NULL) gets the pack's 40-hex name.  0, or -1 with e set. */
int spack_write(git_odb *odb, const git_oid *ids, size_t n, char name[41], struct err *e);

struct spack_stats {
	size_t packs_before, packs_after, objects_merged;
};

/* See above; objdir is the repository's objects folder. */
int spack_consolidate(git_odb *odb, const char *objdir, struct spack_stats *st,
    struct err *e);

/* Objects in the packs of objdir: *packs packs (without .keep), *objects in all. */
int spack_count(const char *objdir, size_t *packs, size_t *objects, struct err *e);

#endif
