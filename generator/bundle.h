/*
 * bundle.h — one resident's encrypted statement, as the browser reads it.
 *
 * The bytes of OUT/r/<login>.bin (all integers big-endian):
 *
 *   off      size  field
 *   0        4     magic "CZSB"
 *   4        1     format version, 1
 *   5        1     L, length of the login (1..BUNDLE_LOGIN_MAX)
 *   6        L     login, ASCII
 *   6+L      4     PBKDF2 iterations
 *   10+L     16    PBKDF2 salt
 *   26+L     12    wrap nonce
 *   38+L     48    data key (32) sealed with AES-256-GCM under the KEK (+16 tag)
 *   86+L     12    body nonce
 *   98+L     ...   body: gzip(fragment) sealed with AES-256-GCM under the
 *                  data key (ciphertext || 16-byte tag)
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
 *               body AAD || gzip bytes)
 * so the same statement gives the same file, and different plaintexts
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

#define BUNDLE_VERSION 1
#define BUNDLE_LOGIN_MAX 32
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

/* Appends the bundle of fragment[0..n) to out (which it does not reset).
 * -1 with ERR_DATA when the fragment exceeds BUNDLE_FRAGMENT_BYTES_MAX or
 * the login is not 1..BUNDLE_LOGIN_MAX of [a-z0-9]. */
int bundle_seal(struct buf *out, const struct bundle_keys *k, const void *fragment,
    size_t n, struct err *e);

/* Opens a bundle read for login with password: appends the fragment to
 * out.  ERR_DATA "wrong login or password" when the bundle is for another
 * login or the password is wrong; ERR_DATA with detail when the file is
 * malformed or altered. */
int bundle_open(struct buf *out, const void *bundle, size_t n, const char *login,
    const char *password, struct err *e);

/* Re-seals the bundle in[0..n) (old's) for the keys now (same login,
 * new data key, salt and wrap: a reset) and appends it to out.  No
 * password is needed: the caller holds both data keys (keys.db).  The
 * statement inside is not re-rendered, so the bundles of every kept
 * generation can follow a reset.  ERR_DATA when in is not old's bundle
 * or does not open with old's data key. */
int bundle_rekey(struct buf *out, const void *in, size_t n, const struct bundle_keys *old,
    const struct bundle_keys *now, struct err *e);

#endif
