/*
 * snapshot_cache.h — the card cache of the audit snapshot (internal to
 * audit/snapshot.c): what the last snapshot written was made from, so
 * that the next night writes only what changed.
 *
 * HOME/snapshots.git/SNAPSHOT_CACHE holds, for the tree of that snapshot:
 *   - per card (in id order): the two halves of its card_digest and its
 *     card line (canon.h: what its files are written from), the blob ids
 *     of its cards/ and charges/ files and their line counts;
 *   - per folder below the top (in path order): its tree id and the
 *     number of files under it, so that a folder whose files all came
 *     from the cache, as many as before, keeps its tree;
 *   - per top-level file written from a digested table (people.txt,
 *     premises.txt): the table's digest and the blob id.
 *
 * The file is binary, read and written in one piece (a night reads it
 * whole and writes the next one whole: 30,000 cards are about 5 MB):
 *
 *     "czynsze card cache 4 (format " CANON_FORMAT ")\n"
 *     tree id (20 bytes), then the numbers of cards, folders, files (u32)
 *     per card:   bookings digest (32), charges digest (32), cards blob
 *                 (20), charges blob (20, all zeros: no charges file),
 *                 bookings, components (u64), id length, line length
 *                 (u16, u32, both counting a closing NUL), id, line
 *     per folder: tree (20), files (u64), path length (u16), path
 *     per file:   digest (32), blob (20), path length (u16), path
 *     CRC-32 of everything before it (u32)
 *
 * every number little-endian.  It is only a cache: a missing, torn
 * (CRC), foreign (its tree not in the repository: the caller checks,
 * snapshot.c) or older one makes a full snapshot.  Every id in it comes
 * from the tree it names, and a digest names the file contents, so an
 * entry stays right whichever snapshot it came from.  Nothing here uses
 * libgit2 (git_oid is only its 20 bytes), so a cache is read while
 * libgit2 starts on another thread.
 *
 * Ownership: a struct snapshot_cache is zeroed by its owner and released
 * with snapshot_cache_free; the strings of its entries belong to it.
 * Errors: -1 with e set, ERR_SYSTEM (I/O, memory) only: a cache that does
 * not parse is an empty one, not an error.
 */
#ifndef CZYNSZE_SNAPSHOT_CACHE_H
#define CZYNSZE_SNAPSHOT_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include <git2/oid.h>

#include "arena.h"
#include "canon.h"
#include "err.h"

struct cached_card {
	const char *id;
	const char *line;                  /* the card line without its '\n' */
	size_t line_len;
	unsigned char bookings_digest[CANON_DIGEST_BYTES];
	unsigned char charges_digest[CANON_DIGEST_BYTES];
	git_oid cards, charges;            /* charges all zeros: no charges file */
	uint64_t bookings, components;
};

/* A folder below the top: "cards/3f/", its tree and the files under it. */
struct cached_folder {
	const char *path;
	git_oid tree;
	uint64_t entries;
};

/* A top-level file written from one digested table (canon_have_fn). */
struct cached_file {
	const char *path;
	unsigned char digest[CANON_DIGEST_BYTES];
	git_oid blob;
};

/* As many as canon_write_tables asks about. */
#define SNAPSHOT_CACHE_FILES 2

struct snapshot_cache {
	git_oid tree;                      /* of the snapshot it describes */
	struct cached_card *cards;         /* in id order (strcmp) */
	size_t ncards, cards_cap;
	struct cached_folder *folders;     /* in path order (strcmp) */
	size_t nfolders, folders_cap;
	struct cached_file files[SNAPSHOT_CACHE_FILES];
	size_t nfiles;
	char *data;                        /* the file read: loaded strings point into it */
	struct arena arena;                /* the strings of added entries */
};

/* Loads the cache at path into c (zeroed); a missing or damaged one
 * leaves it empty.  0, or -1 with e set when the file cannot be read. */
int snapshot_cache_load(struct snapshot_cache *c, const char *path, struct err *e);

/* Writes c for the snapshot whose tree is tree to path (atomically, not
 * fsynced: a torn cache fails its CRC).  0, or -1 with e set. */
int snapshot_cache_save(const struct snapshot_cache *c, const char *path, const git_oid *tree,
    struct err *e);

/* Appends k (its strings copied; ids must come in increasing order for
 * snapshot_cache_card to find them), a folder path[0..len), a file.  0, or
 * -1 with e set (ERR_SYSTEM: out of memory; ERR_INTERNAL: a third file). */
int snapshot_cache_add_card(struct snapshot_cache *c, const struct cached_card *k,
    struct err *e);
int snapshot_cache_add_folder(struct snapshot_cache *c, const char *path, size_t len,
    const git_oid *tree, uint64_t entries, struct err *e);
int snapshot_cache_add_file(struct snapshot_cache *c, const char *path,
    const unsigned char *digest, const git_oid *blob, struct err *e);

/* The card with this id, the folder with this path (ending in '/'), the
 * file with this path; NULL when the cache has none. */
const struct cached_card *snapshot_cache_card(const struct snapshot_cache *c, const char *id);
const struct cached_folder *snapshot_cache_folder(const struct snapshot_cache *c,
    const char *path);
const struct cached_file *snapshot_cache_file(const struct snapshot_cache *c, const char *path);

/* Empties c (it stays usable); releases what it holds. */
void snapshot_cache_clear(struct snapshot_cache *c);
void snapshot_cache_free(struct snapshot_cache *c);

#endif
