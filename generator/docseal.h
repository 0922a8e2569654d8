/*
 * docseal.h — one personal document (a PDF of the export, format v2)
 * sealed for one resident, as the browser fetches it when the resident
 * opens it: OUT/r/<stem>.d<TOKEN>.bin beside the statement's bundle
 * (<stem>: the login, or "LOGIN.V" after resets, access.h; web_conf.h
 * lets only that login read it).
 *
 * TOKEN names the document without saying what it is: the first 16 bytes
 * of SHA-256("czynsze v1 document" NUL id NUL sha256-hex), in lowercase
 * hex.  A changed PDF (new sha256) gets a new name; the same document of
 * the same export keeps it, night after night.
 *
 * The bytes of the file (integers big-endian):
 *
 *   off      size  field
 *   0        4     magic "CZSD"
 *   4        1     format version, 1
 *   5        1     L, length of the login (1..BUNDLE_LOGIN_MAX)
 *   6        L     login, ASCII
 *   6+L      32    TOKEN, ASCII (the file's own name)
 *   38+L     8     key check: the first 8 bytes of
 *                  HMAC-SHA256(data key, "czynsze v1 document key")
 *   46+L     12    nonce
 *   58+L     ...   the PDF sealed with AES-256-GCM under the resident's
 *                  data key (bundle.h), AAD bytes [0, 46+L)
 *
 * The AAD binds the document to its login and name: a file copied under
 * another resident's or another document's name does not open.  The key
 * check lets the generator see, from the first bytes, whether a file was
 * sealed under the data key in force (a reset changes it) without
 * decrypting the PDF.  The nonce is the first 12 bytes of
 * HMAC-SHA256(HKDF-SHA256(data key, "", "czynsze v1 nonce", 32),
 * AAD || PDF), as the bundle's (its AAD starts "CZSB", never "CZSD"), so
 * the same document gives the same file and distinct plaintexts under
 * one key get distinct nonces.  No compression (PDFs are compressed).
 *
 * The browser opens it with the data key it unwrapped from the bundle
 * (site-templates/js/czcrypto.js openDocument) and offers the PDF as a
 * Blob with the document's file name.
 */
#ifndef CZYNSZE_DOCSEAL_H
#define CZYNSZE_DOCSEAL_H

#include <stddef.h>

#include "bundle.h"
#include "buf.h"
#include "err.h"

#define DOCSEAL_VERSION 1
#define DOCSEAL_TOKEN_LEN 32
#define DOCSEAL_CHECK_BYTES 8
/* The largest PDF the export allows (ksm-export-format.md: 20 MiB). */
#define DOCSEAL_PDF_MAX ((size_t)20 << 20)
/* Bytes before the ciphertext, at most: what docseal_current reads. */
#define DOCSEAL_HEAD_MAX (6 + BUNDLE_LOGIN_MAX + DOCSEAL_TOKEN_LEN + DOCSEAL_CHECK_BYTES + \
    CRYPTO_GCM_NONCE_BYTES)
/* "STEM.dTOKEN.bin" under OUT/r/ */
#define DOCSEAL_INFIX ".d"

/* TOKEN of the document id with the PDF's SHA-256 (64 lowercase hex)
 * into out.  -1 with ERR_DATA when sha256_hex is not that. */
int docseal_token(char out[DOCSEAL_TOKEN_LEN + 1], const char *id, const char *sha256_hex,
    struct err *e);

/* Appends the sealed file of pdf[0..n) for k (its login and data key) and
 * token to out.  -1 with ERR_DATA for a PDF over DOCSEAL_PDF_MAX, a bad
 * login or token; ERR_SYSTEM when out of memory. */
int docseal_seal(struct buf *out, const struct bundle_keys *k, const char *token,
    const void *pdf, size_t n, struct err *e);

/* 1 when head[0..n) (a file's first bytes, n >= its header) is the
 * header docseal_seal writes for k and token now, else 0. */
int docseal_current(const void *head, size_t n, const struct bundle_keys *k,
    const char *token);

/* Opens the file in[0..n) of login and token with data_key: appends the
 * PDF to out.  ERR_DATA when it is malformed, of another login or name,
 * or does not open.  out is wiped on failure. */
int docseal_open(struct buf *out, const void *in, size_t n, const char *login,
    const char *token, const unsigned char data_key[CRYPTO_KEY_BYTES], struct err *e);

/* For a reset: the file in[0..n) (old's) opened with old's data key and
 * sealed for now (same login) under the same token, appended to out.
 * ERR_DATA as docseal_open. */
int docseal_rekey(struct buf *out, const void *in, size_t n, const struct bundle_keys *old,
    const struct bundle_keys *now, const char *token, struct err *e);

/* 1 when name (under OUT/r/) is STEM DOCSEAL_INFIX TOKEN ".bin" for this
 * stem ("LOGIN" or "LOGIN.V"), with token_out (may be NULL) set. */
int docseal_name_of(const char *name, const char *stem,
    char token_out[DOCSEAL_TOKEN_LEN + 1]);

#endif
