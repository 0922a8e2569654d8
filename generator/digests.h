/*
 * digests.h — OUT/r/.digests, what each resident's bundle was made from
 * at the last run, so that an unchanged resident is not rendered again.
 *
 * A first line "export EXPORTED_AT ID\n": the header (bundle.h) every
 * bundle listed was sealed with.  Then one line per sealed resident,
 * "TAG GCM SIZE\n", sorted by TAG:
 *   TAG   hex of access_resident_tag (access.h) of the statement's input
 *         digest (statement.h statement_digest) and this program's
 *         identity (the SHA-256 of its own bytes: a new generator may
 *         render differently);
 *   GCM   hex of the last CRYPTO_GCM_TAG_BYTES of the bundle written for
 *         it (its GCM tag);
 *   SIZE  the bundle's size in bytes.
 * A resident whose TAG is listed and whose OUT/r/LOGIN.bin still ends in
 * GCM with SIZE bytes is not rendered again: for the same export the
 * bundle would come out the same; for another, its compressed statement
 * is re-sealed with the new header (site_reseal_resident).  Deterministic
 * (no times, no inode numbers), so a fresh
 * folder gets the same file; keyed by secrets, so it says nothing about
 * anyone; under r/, which nginx serves only as r/LOGIN.bin to LOGIN.
 * A missing or damaged file means a full run, never an error.
 */
#ifndef CZYNSZE_DIGESTS_H
#define CZYNSZE_DIGESTS_H

#include <stddef.h>

#include "access.h"
#include "bundle.h"
#include "crypto.h"
#include "err.h"
#include "site_files.h"

#define DIGESTS_FILE "r/.digests"

struct digest {
	char tag[2 * ACCESS_TAG_BYTES + 1];
	char gcm_tag[2 * CRYPTO_GCM_TAG_BYTES + 1];
	unsigned long long size;
};

/* Owns v; start from DIGESTS_INIT, release with digests_free. */
struct digests {
	struct bundle_head head;    /* as loaded: what the bundles were sealed with */
	struct digest *v;
	size_t n, cap;
};
#define DIGESTS_INIT { { "", "" }, NULL, 0, 0 }

/* Reads OUT/r/.digests into d (empty); a missing or damaged file leaves d
 * empty.  -1 only when out of memory or path too long. */
int digests_load(struct digests *d, const char *out_dir, struct err *e);

/* Appends x; -1 with ERR_SYSTEM when out of memory. */
int digests_add(struct digests *d, const struct digest *x, struct err *e);

/* Appends every entry of from. */
int digests_add_all(struct digests *d, const struct digests *from, struct err *e);

/* The entry of d (as loaded: sorted) with tag's TAG, or NULL. */
const struct digest *digests_find(const struct digests *d, const char *tag);

/* 1 when OUT/rel has want->size bytes and ends in want->gcm_tag, else 0 (a
 * missing or unreadable file too); -1 only for a path too long. */
int digests_bundle_matches(const char *out_dir, const char *rel, const struct digest *want,
    struct err *e);

/* 1 when d was loaded for the export head names, else 0. */
int digests_same_export(const struct digests *d, const struct bundle_head *head);

/* Sorts d and writes it, headed by head, as OUT/r/.digests through w. */
int digests_write(struct digests *d, const struct bundle_head *head, struct site_writer *w,
    struct err *e);

void digests_free(struct digests *d);

#endif
