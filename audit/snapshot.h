/*
 * snapshot.h — the auditors' git repository, HOME/snapshots.git.
 *
 * A bare repository written with libgit2 (no work tree, no git binary).
 * Each imported export becomes one commit on refs/heads/main whose tree
 * is the canonical text of canon.h, whose author and committer are
 * SNAPSHOT_NAME <SNAPSHOT_EMAIL> at the export's timestamp (wygenerowano,
 * read as UTC), and which is tagged ksm-YYYYMMDD (lightweight).  Nothing
 * depends on the clock or the machine: the same export gives the same tree
 * id, and with the same parent the same commit id.
 *
 * Each night's new objects (blobs, trees, the commit) are written as one
 * pack, never as loose objects, and the branch and tag move only once it
 * is on disk; after it the packs are merged so that objects/pack holds at
 * most two (snapshot_pack.h).  Only what changed is written: the card
 * cache (snapshot_cache.h, SNAPSHOT_CACHE in the repository folder) keeps
 * what every card's files were written from (canon.h: the halves of the
 * importer's card_digest, and the card line) with their blob ids, so a
 * file whose sources are unchanged is neither read from the database nor
 * hashed again (a payment rewrites a card's cards/ file, not its charges/
 * file); the same for people.txt and premises.txt by the importer's
 * table_digest; and every folder's tree, so that a folder none of whose
 * files changed keeps its tree (the new tree is the last one edited).
 * The cards that changed are written on several threads
 * (snapshot_cards.h), while libgit2 starts and the repository opens on
 * another.  Every other file is written from the database (for a v2
 * export that includes every premises' readings and the documents: 5 s
 * of CPU a night at 30,000 cards, README.md).  The tree and commit are
 * byte for byte those a snapshot without the cache (SNAPSHOT_FULL) gives,
 * and the pack the same whatever the threads.
 *
 * Locking: writers (snapshot_write, snapshot_gc) hold HOME/SNAPSHOT_LOCK
 * exclusively, readers (snapshot_open until snapshot_close) shared; both
 * wait for the other, so a reader never finds a pack gone under it.
 *
 * This file's .c and snapshot_pack.c are the only ones that include
 * <git2.h>.  Ownership:
 * snapshot_open() gives a struct snapshot_repo released with
 * snapshot_close() (NULL-safe).  Errors: ERR_SYSTEM for I/O, ERR_USAGE
 * for a revision that names no snapshot, ERR_INTERNAL for what libgit2
 * reports otherwise, ERR_DATA for a snapshot file that does not parse.
 */
#ifndef CZYNSZE_SNAPSHOT_H
#define CZYNSZE_SNAPSHOT_H

#include <stddef.h>

#include "canon.h"
#include "err.h"
#include "home.h"

#define SNAPSHOT_NAME "KSM export"
#define SNAPSHOT_EMAIL "ksm@czynsze.invalid"
#define SNAPSHOT_BRANCH "refs/heads/main"
#define SNAPSHOT_TAG_PREFIX "ksm-"
/* snapshot_commit() packs the repository when more loose objects than
 * this are lying around after a commit. */
#define SNAPSHOT_LOOSE_MAX 2000
#define SNAPSHOT_OID_HEX 41       /* 40 hex digits and NUL */
#define SNAPSHOT_TAG_BYTES 64
#define SNAPSHOT_SUMMARY_BYTES 256
#define SNAPSHOT_LOCK "snapshots.lock"          /* in HOME */
#define SNAPSHOT_CACHE "czynsze-card-cache"     /* in HOME/snapshots.git */

/* snapshot_write() flags */
#define SNAPSHOT_FULL 1u     /* ignore the card cache: every file from the database */
#define SNAPSHOT_NO_GC 2u    /* no merging of packs, no packing of loose objects */

struct snapshot_gc_result {
	size_t loose_before, loose_after;
	size_t packed;                      /* objects written to the new pack */
};

struct snapshot_result {
	int created;                        /* 1: a new commit; 0: it was there */
	char tag[SNAPSHOT_TAG_BYTES];
	char commit[SNAPSHOT_OID_HEX], tree[SNAPSHOT_OID_HEX];
	struct canon_counts counts;
	size_t files;                       /* in the tree */
	size_t reused;                      /* cards taken from the card cache */
	size_t charges_reused;              /* other cards whose charges/ file was */
	size_t files_reused;                /* people.txt, premises.txt taken from it */
	size_t folders_reused;              /* folders (trees) taken from it */
	size_t new_objects;                 /* written, as one pack */
	size_t packs_merged;                /* packs merged into one afterwards */
	int gc_ran;
	struct snapshot_gc_result gc;
};

/* snapshot_commit() without packing loose objects; flags SNAPSHOT_*;
 * threads: the cards' files are written on that many (1 ..
 * SNAPSHOT_THREADS_MAX, snapshot_cards.h), 0 for one per processor.  The
 * trees, commits and pack are the same whatever the number. */
int snapshot_write(const struct home *h, unsigned flags, unsigned threads,
    struct snapshot_result *r, struct err *e);

/*
 * Reads HOME/czynsze.db and commits its snapshot (creating the repository
 * when missing).  When the export's tag already names a commit with the
 * same tree, or the branch head is that very snapshot, nothing new is
 * written (created = 0) beyond making sure the tag exists.  If the tag
 * names a different tree (a second export on the same day), the tag is
 * ksm-YYYYMMDDTHHMMSS instead.  Runs snapshot_gc() when more than
 * SNAPSHOT_LOOSE_MAX loose objects remain.  Caller holds the home's lock.
 */
int snapshot_commit(const struct home *h, struct snapshot_result *r, struct err *e);
int snapshot_commit_flags(const struct home *h, unsigned flags, unsigned threads,
    struct snapshot_result *r, struct err *e);

/*
 * Packs the repository.  full = 0: every loose object goes into one new
 * pack (objects/pack), existing packs are kept — quick, but a night's
 * changed files are stored whole.  full = 1: one pack of everything the
 * refs reach, each file version a delta against its neighbours, replacing
 * all older packs — slow on a large cooperative, run it now and then.
 * Loose objects packed are removed.  Caller holds the home's lock.
 */
int snapshot_gc(const struct home *h, int full, struct snapshot_gc_result *r, struct err *e);

/* ---- reading ---- */

struct snapshot_repo;

struct snapshot_info {
	char commit[SNAPSHOT_OID_HEX], tree[SNAPSHOT_OID_HEX];
	char tag[SNAPSHOT_TAG_BYTES];       /* "" when untagged */
	char generated_at[20];              /* commit time, UTC, YYYY-MM-DDTHH:MM:SS */
	char summary[SNAPSHOT_SUMMARY_BYTES];  /* the message's first line */
	int has_parent;
};

/* ERR_USAGE when HOME/snapshots.git does not exist yet. */
int snapshot_open(struct snapshot_repo **out, const struct home *h, struct err *e);
void snapshot_close(struct snapshot_repo *repo);

/* Any revision git understands (tag, commit id, main~2); NULL = the
 * branch head.  ERR_USAGE when it names no commit. */
int snapshot_resolve(struct snapshot_repo *repo, const char *rev,
    struct snapshot_info *out, struct err *e);

/* The first parent of s; ERR_USAGE when s has none. */
int snapshot_parent(struct snapshot_repo *repo, const struct snapshot_info *s,
    struct snapshot_info *out, struct err *e);

/* Calls fn for the branch head and its first parents, newest first, until
 * fn returns nonzero (-1 stops with that error, 1 stops quietly). */
int snapshot_log(struct snapshot_repo *repo,
    int (*fn)(void *ctx, const struct snapshot_info *s, struct err *e),
    void *ctx, struct err *e);

/* A file's contents as seen by the callbacks: NULL when absent. */
struct snapshot_blob {
	const char *data;
	size_t len;
};

/*
 * Calls fn for every file whose contents differ between the trees of a
 * and b (added: old.data NULL; deleted: new.data NULL), skipping equal
 * subtrees by id, so an unchanged night costs almost nothing.
 */
int snapshot_diff_files(struct snapshot_repo *repo, const struct snapshot_info *a,
    const struct snapshot_info *b,
    int (*fn)(void *ctx, const char *path, struct snapshot_blob old_file,
        struct snapshot_blob new_file, struct err *e),
    void *ctx, struct err *e);

/* Calls fn for every file under folder dir ("cards") of s, in tree order. */
int snapshot_foreach_file(struct snapshot_repo *repo, const struct snapshot_info *s,
    const char *dir,
    int (*fn)(void *ctx, const char *path, struct snapshot_blob file, struct err *e),
    void *ctx, struct err *e);

/* One file of s; *out (free(3) it) is NULL when the file is absent. */
int snapshot_read(struct snapshot_repo *repo, const struct snapshot_info *s,
    const char *path, char **out, size_t *n, struct err *e);

#endif
