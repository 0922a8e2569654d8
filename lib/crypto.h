/*
 * crypto.h — every cryptographic primitive czynsze uses, in one place.
 *
 * This file and lib/digest.c are the only users of OpenSSL (libcrypto).
 * Each function turns OpenSSL's "1 is success" into this project's 0 / -1
 * with a struct err; every OpenSSL return value is checked.  Functions
 * write into caller-owned memory and allocate nothing the caller must
 * free.  Intermediate secrets are wiped (secure_wipe) before returning;
 * the caller wipes the outputs it was given when done with them.
 *
 * Choices (see docs/security.md):
 *   - random bytes: RAND_bytes (the OpenSSL CSPRNG, seeded from getrandom)
 *   - AEAD: AES-256-GCM, 96-bit nonce, 128-bit tag appended to the
 *     ciphertext (out = ciphertext || tag, the layout WebCrypto uses)
 *   - password KDF: PBKDF2-HMAC-SHA256 (WebCrypto has it; Argon2 is not
 *     available in browsers without shipping code)
 *   - key split: HKDF-SHA256 (RFC 5869)
 *   - htpasswd verifier: {SHA} = base64(SHA-1(token)), which nginx's
 *     auth_basic_user_file and Apache's mod_authn_file both check
 *     natively.  The token is a 256-bit derived secret: nothing to
 *     precompute, so a salt adds nothing, and one hash is the cheapest
 *     check per request (docs/security.md: why SHA-1 preimage resistance
 *     suffices, and the figures).  Logins issued before kept {SSHA} =
 *     base64(SHA-1(token || salt) || salt) (nginx only) until a reset.
 */
#ifndef CZYNSZE_CRYPTO_H
#define CZYNSZE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define CRYPTO_KEY_BYTES 32         /* AES-256 keys, HKDF outputs, tokens */
#define CRYPTO_GCM_NONCE_BYTES 12
#define CRYPTO_GCM_TAG_BYTES 16
#define CRYPTO_SHA256_BYTES 32
#define CRYPTO_SSHA_SALT_BYTES 8
/* "{SSHA}" + base64 of 20 + 8 bytes (40 chars) + NUL. */
#define CRYPTO_SSHA_BYTES (6 + 40 + 1)
/* Largest input the AEAD functions take (the bundle limit is smaller). */
#define CRYPTO_GCM_BYTES_MAX ((size_t)1 << 30)

/* Fills out[0..n) from the CSPRNG.  -1 with ERR_INTERNAL when the
 * generator fails (never returns predictable bytes). */
int crypto_random(void *out, size_t n, struct err *e);

/*
 * AES-256-GCM.  seal writes n + CRYPTO_GCM_TAG_BYTES bytes to out
 * (ciphertext then tag); open takes such a message (n >= tag size) and
 * writes n - CRYPTO_GCM_TAG_BYTES bytes of plaintext.  aad may be NULL
 * when aad_n is 0.  A nonce must never be used twice with one key for
 * different plaintexts: the caller guarantees that.
 *
 * open fails with ERR_DATA "decryption failed" when the tag does not
 * verify (wrong key, wrong AAD, altered bytes); out is then wiped.
 * out and in may not overlap.
 */
int crypto_gcm_seal(unsigned char *out, const unsigned char key[CRYPTO_KEY_BYTES],
    const unsigned char nonce[CRYPTO_GCM_NONCE_BYTES], const void *aad, size_t aad_n,
    const void *in, size_t n, struct err *e);
int crypto_gcm_open(unsigned char *out, const unsigned char key[CRYPTO_KEY_BYTES],
    const unsigned char nonce[CRYPTO_GCM_NONCE_BYTES], const void *aad, size_t aad_n,
    const void *in, size_t n, struct err *e);

/* PBKDF2-HMAC-SHA256 (RFC 8018) of pw with salt, out_n bytes.
 * iterations >= 1. */
int crypto_pbkdf2_sha256(unsigned char *out, size_t out_n, const void *pw, size_t pw_n,
    const void *salt, size_t salt_n, uint32_t iterations, struct err *e);

/* HKDF-SHA256 (RFC 5869), extract then expand; out_n <= 255 * 32.
 * salt may be empty (RFC: then a block of zeros, as WebCrypto does). */
int crypto_hkdf_sha256(unsigned char *out, size_t out_n, const void *ikm, size_t ikm_n,
    const void *salt, size_t salt_n, const void *info, size_t info_n, struct err *e);

/* HMAC-SHA256 of msg under key. */
int crypto_hmac_sha256(unsigned char out[CRYPTO_SHA256_BYTES], const void *key,
    size_t key_n, const void *msg, size_t msg_n, struct err *e);

/* SHA-256 of p[0..n). */
int crypto_sha256(unsigned char out[CRYPTO_SHA256_BYTES], const void *p, size_t n,
    struct err *e);

/* Constant-time comparison: 1 when equal, 0 otherwise.  Can't fail. */
int crypto_equal(const void *a, const void *b, size_t n);

/*
 * Base64 (RFC 4648).  url = 1: the URL alphabet without padding (tokens,
 * salts in JSON); url = 0: the standard alphabet with padding (htpasswd).
 * encode writes the text and a NUL into out, which must hold
 * CRYPTO_B64_LEN(n) + 1 bytes; it can't fail.  decode writes at most
 * out_max bytes and sets *out_n; -1 with ERR_DATA for bad input.
 */
#define CRYPTO_B64_LEN(n) ((((n) + 2) / 3) * 4)
void crypto_base64(char *out, const void *p, size_t n, int url);
int crypto_unbase64(unsigned char *out, size_t out_max, size_t *out_n, const char *s,
    int url, struct err *e);

/* Lowercase hex of p[0..n) into out (2n + 1 bytes).  Can't fail. */
void crypto_hex(char *out, const void *p, size_t n);
/* 1 when s[0..n) are all lowercase hex digits (what crypto_hex writes),
 * else 0.  Reads exactly n bytes. */
int crypto_is_hex(const char *s, size_t n);
/* The n bytes whose lowercase hex is hex[0..2n) into out; -1 (out
 * undefined) when hex is not crypto_is_hex. */
int crypto_unhex(unsigned char *out, const char *hex, size_t n);

/* The htpasswd verifier of token: "{SSHA}" base64(SHA-1(token||salt)||salt)
 * with a fresh random 8-byte salt, into out (NUL-terminated). */
int crypto_ssha(char out[CRYPTO_SSHA_BYTES], const char *token, struct err *e);

/* The {SHA} verifier of token ("{SHA}" + 28 base64 characters). */
#define CRYPTO_SHA_VERIFIER_BYTES (5 + 28 + 1)
int crypto_sha_verifier(char out[CRYPTO_SHA_VERIFIER_BYTES], const char *token,
    struct err *e);

/* 1 when hash (as crypto_ssha or crypto_sha_verifier writes it) verifies token, 0 when not (also
 * for a malformed hash), -1 on a library failure. */
int crypto_ssha_check(const char *hash, const char *token, struct err *e);

#endif
