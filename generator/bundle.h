/*
 * bundle.h — one resident's encrypted statement, as the browser reads it.
 *
 * The bytes of OUT/r/<login>.bin (all integers big-endian):
 *
 *   off      size  field
 *   0        4     magic "CZSB"
 *   4        1     format version, 2
 *   5        1     L, length of the login (1..BUNDLE_LOGIN_MAX)
 *   6        L     login, ASCII
 *   6+L      4     PBKDF2 iterations
 *   10+L     16    PBKDF2 salt
 *   26+L     12    wrap nonce
 *   38+L     48    data key (32) sealed with AES-256-GCM under the KEK (+16 tag)
 *   86+L     12    body nonce
 *   98+L     ...   body: the plaintext below sealed with AES-256-GCM under
 *                  the data key (ciphertext || 16-byte tag)
 *
 * The body's plaintext (version 2): a header the statement carries
 * inside the ciphertext, so that it is authenticated with it and cannot
 * be taken from another file, then the statement:
 *
 *   off      size  field
 *   0        19    exported_at: the export's timestamp (export.generated_at,
 *                  eksport/@wygenerowano), ASCII "YYYY-MM-DDTHH:MM:SS"
 *   19       1     G, length of the generation id (1..BUNDLE_GENERATION_MAX)
 *   20       G     generation id, ASCII [0-9a-f]: the first 16 hex digits of
 *                  export.manifest_sha256, naming the export the statement
 *                  was sealed from (the same export generated again, say
 *                  with new templates, keeps the id)
 *   20+G     ...   gzip(fragment)
 *
 * The browser shows exported_at as the statement's "as of" date and
 * refuses a bundle whose exported_at is older than the export the page
 * itself was generated from (data-export-at on index.html): an old
 * bundle of the same resident, replayed by whoever can serve files, opens
 * with today's keys but is never shown as today's statement.  Version 1
 * (no header) is refused.
 *
 * Associated data: the body's AAD is bytes [0, 6+L) — magic, version and
 * login — so a bundle renamed into another resident's folder, or read as
 * another format version, does not decrypt.  The wrapped key's AAD is
 * bytes [0, 26+L): the same plus iterations and salt.  Readers rebuild
 * the AAD from the login they expect, not from the file.
 *
 * Keys (the browser does the same with WebCrypto; site-templates/js/czcrypto.js):
 *   secret = PBKDF2-HMAC-SHA256(password, salt, iterations, 32 bytes)
 *   KEK    = HKDF-SHA256(secret, salt "", info "czynsze v1 kek", 32)
 *   token  = HKDF-SHA256(secret, salt "", info "czynsze v1 auth token", 32),
 *            sent base64url (no padding) as the HTTP Basic password
 * where password is the canonical password: the letters and digits as
 * printed, upper case, without the dashes (bundle_password_canon).
 *
 * Determinism: the body nonce is the first 12 bytes of
 *   HMAC-SHA256(HKDF-SHA256(data key, "", "czynsze v1 nonce", 32),
 *               body AAD || body plaintext (header and gzip bytes))
 * so the same statement of the same export gives the same file, a new
 * export a new file (its header differs), and different plaintexts
 * under one data key get different nonces (barring a 96-bit collision).
 * The gzip stream is deterministic: libdeflate level 1, no file name, mtime 0.
 * The wrap nonce is random, chosen once at issue/reset and kept in keys.db
 * with the wrapped key, so nightly bundles repeat it byte for byte while
 * each KEK (new salt at every issue/reset) encrypts exactly one message.
 *
 * Secrets: struct bundle_keys holds the data key; wipe it with
 * secure_wipe(k, sizeof *k) when done.  The functions wipe their own
 * intermediate keys.
 */
#ifndef CZYNSZE_BUNDLE_H
#define CZYNSZE_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"
#include "err.h"

#define BUNDLE_VERSION 2
/* "YYYY-MM-DDTHH:MM:SS" */
#define BUNDLE_EXPORTED_AT_LEN 19
#define BUNDLE_GENERATION_MAX 32
#define BUNDLE_HEAD_MAX (BUNDLE_EXPORTED_AT_LEN + 1 + BUNDLE_GENERATION_MAX)
#define BUNDLE_LOGIN_MAX 32

/* 1 when login is 1..BUNDLE_LOGIN_MAX characters of [a-z0-9]. */
int bundle_login_ok(const char *login);
#define BUNDLE_SALT_BYTES 16
#define BUNDLE_WRAPPED_BYTES (CRYPTO_KEY_BYTES + CRYPTO_GCM_TAG_BYTES)
#define BUNDLE_ITERATIONS_MIN 600000u
#define BUNDLE_ITERATIONS_MAX 100000000u
/* Largest statement fragment sealed or opened (uncompressed). */
#define BUNDLE_FRAGMENT_BYTES_MAX ((size_t)16 << 20)
/* base64url of 32 bytes, no padding, + NUL. */
#define BUNDLE_TOKEN_BYTES 44
/* Canonical password length limit (what we issue is 20). */
#define BUNDLE_PASSWORD_MAX 64

struct bundle_keys {
	char login[BUNDLE_LOGIN_MAX + 1];
	uint32_t iterations;
	unsigned char salt[BUNDLE_SALT_BYTES];
	unsigned char wrap_nonce[CRYPTO_GCM_NONCE_BYTES];
	unsigned char wrapped_key[BUNDLE_WRAPPED_BYTES];
	unsigned char data_key[CRYPTO_KEY_BYTES];
};

/* The header sealed with the statement (the body's first bytes). */
struct bundle_head {
	char exported_at[BUNDLE_EXPORTED_AT_LEN + 1];
	char generation[BUNDLE_GENERATION_MAX + 1];
};

/* Fills h from the export's generated_at ("YYYY-MM-DDTHH:MM:SS", longer
 * text is cut there) and manifest_sha256 (hex, its first 16 digits).
 * -1 with ERR_DATA when either is malformed. */
int bundle_head_set(struct bundle_head *h, const char *generated_at,
    const char *manifest_sha256, struct err *e);

/* The password as the derivation uses it: ASCII letters upper-cased,
 * spaces and dashes dropped.  -1 with ERR_DATA for any other character or
 * when longer than BUNDLE_PASSWORD_MAX. */
int bundle_password_canon(char out[BUNDLE_PASSWORD_MAX + 1], const char *typed,
    struct err *e);

/* From a typed password: the KEK and the auth token (base64url text).
 * Slow by design (PBKDF2, iterations rounds). */
int bundle_derive(unsigned char kek[CRYPTO_KEY_BYTES], char token[BUNDLE_TOKEN_BYTES],
    const char *password, const unsigned char salt[BUNDLE_SALT_BYTES],
    uint32_t iterations, struct err *e);

/* Seals k->data_key under kek into k->wrapped_key with a fresh random
 * k->wrap_nonce; k->login, iterations and salt must be set (they are the
 * AAD).  Used at issue and reset. */
int bundle_wrap(struct bundle_keys *k, const unsigned char kek[CRYPTO_KEY_BYTES],
    struct err *e);

/* Appends the bundle of fragment[0..n) with header h to out (which it
 * does not reset).  -1 with ERR_DATA when the fragment exceeds
 * BUNDLE_FRAGMENT_BYTES_MAX, the login is not 1..BUNDLE_LOGIN_MAX of
 * [a-z0-9] or h is malformed. */
int bundle_seal(struct buf *out, const struct bundle_keys *k, const struct bundle_head *h,
    const void *fragment, size_t n, struct err *e);

/* Appends to out the bundle sealed from old[0..old_n), a bundle of k's
 * login and data key, with its header replaced by h: the gzip bytes are
 * taken over as they are (no rendering, no compression), so the result
 * equals bundle_seal of the same fragment with h.  -1 with ERR_DATA when
 * old is malformed, of another login, of another data key or altered
 * (the caller then renders the statement afresh). */
int bundle_reseal(struct buf *out, const struct bundle_keys *k, const struct bundle_head *h,
    const void *old, size_t old_n, struct err *e);

/* Opens a bundle read for login with password: appends the fragment to
 * out and, when head is not NULL, fills it from the sealed header.
 * ERR_DATA "wrong login or password" when the bundle is for another
 * login or the password is wrong; ERR_DATA with detail when the file is
 * malformed or altered. */
int bundle_open(struct buf *out, struct bundle_head *head, const void *bundle, size_t n,
    const char *login, const char *password, struct err *e);

/* Re-seals the bundle in[0..n) (old's) for the keys now (same login,
 * new data key, salt and wrap: a reset) and appends it to out.  No
 * password is needed: the caller holds both data keys (keys.db).  The
 * statement inside is not re-rendered, so the bundles of every kept
 * generation can follow a reset.  ERR_DATA when in is not old's bundle
 * or does not open with old's data key. */
int bundle_rekey(struct buf *out, const void *in, size_t n, const struct bundle_keys *old,
    const struct bundle_keys *now, struct err *e);

#endif
