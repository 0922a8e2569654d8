/*
 * rejected.h — exports a rollback rejected, so that nightly does not
 * publish them again.
 *
 *   HOME/rejected-exports   one line per export: its manifest SHA-256
 *                           (64 hex digits), the generation that was
 *                           rolled back, and when (UTC), separated by
 *                           spaces; owner-only, replaced atomically
 *   HOME/sites/NAME/export.sha256   the manifest SHA-256 of the export a
 *                           generation was made from (written by nightly
 *                           before the generation is committed)
 *
 * `czynsze rollback` adds the live generation's export; `czynsze nightly`
 * refuses an export found here (ERR_REFUSED) unless --force, and removes
 * it from the file once --force has published it.  A newer export has
 * another digest, so it is never refused.  The caller holds the home's
 * lock (lock.h).
 */
#ifndef CZYNSZE_REJECTED_H
#define CZYNSZE_REJECTED_H

#include "err.h"
#include "home.h"

#define REJECTED_FILE "rejected-exports"
#define REJECTED_GEN_FILE "export.sha256"
#define REJECTED_SHA_LEN 64

/* Records sha256 (64 lowercase hex digits) as rejected when generation
 * gen was rolled back; already recorded is fine.  ERR_USAGE for a
 * malformed digest. */
int rejected_add(const struct home *h, const char *sha256, const char *gen, struct err *e);

/* *found = 1 when sha256 is recorded; then when_out gets the time of the
 * rollback ("YYYY-MM-DDTHH:MM:SSZ"). */
int rejected_find(const struct home *h, const char *sha256, int *found, char when_out[21],
    struct err *e);

/* Forgets sha256 (missing is fine). */
int rejected_remove(const struct home *h, const char *sha256, struct err *e);

/* The export digest recorded in generation gen into out; "" when the
 * generation has none (made by an older czynsze). */
int rejected_generation_sha(const struct home *h, const char *gen,
    char out[REJECTED_SHA_LEN + 1], struct err *e);

#endif
