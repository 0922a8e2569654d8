/*
 * digest.h — SHA-256 of files and memory, as lowercase hex, and many
 * SHA-256 streams at once (struct sha256_set).
 *
 * This file and lib/crypto.c are the only users of OpenSSL.
 */
#ifndef CZYNSZE_DIGEST_H
#define CZYNSZE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SHA256_HEX_LEN 64
#define SHA256_BYTES 32

/* Hashes the file at path into hex[65]; *bytes gets its size (may be
 * NULL).  Returns 0, or -1 with e set (ERR_SYSTEM for I/O). */
int sha256_file(char hex[SHA256_HEX_LEN + 1], uint64_t *bytes, const char *path,
    struct err *e);

/* Hashes p[0..n) into hex[65].  Returns 0 or -1. */
int sha256_hex(char hex[SHA256_HEX_LEN + 1], const void *p, size_t n, struct err *e);

/*
 * A set of n independent SHA-256 streams, numbered 0..n-1: one per
 * account card, fed row by row while a file is read.  A stream's state
 * is allocated when it is first added to, so the streams never written
 * cost one pointer each.  A set is used by one thread at a time.
 *
 * sha256_set_new gives a set the caller releases with sha256_set_free
 * (NULL-safe); -1 with ERR_SYSTEM when out of memory.
 */
struct sha256_set;

int sha256_set_new(struct sha256_set **out, size_t n, struct err *e);
void sha256_set_free(struct sha256_set *s);

/* Adds p[0..len) to stream i (i < n).  Returns 0, or -1 with e set
 * (ERR_SYSTEM out of memory, ERR_INTERNAL a library failure). */
int sha256_set_add(struct sha256_set *s, size_t i, const void *p, size_t len,
    struct err *e);

/* The digest of everything added to stream i, into out (the digest of no
 * bytes for a stream never added to); the stream then starts again
 * empty.  Returns 0, or -1 with e set. */
int sha256_set_final(struct sha256_set *s, size_t i, unsigned char out[SHA256_BYTES],
    struct err *e);

/*
 * One SHA-1 stream, for git's object names and pack trailers
 * (audit/snapshot_pack.c): git names objects and packs by SHA-1, not for
 * any secret here.  new gives a stream released with sha1_stream_free
 * (NULL-safe); final ends it, and restart begins a new digest on the same
 * stream (no allocation).  -1 with ERR_SYSTEM (memory) or ERR_INTERNAL
 * (OpenSSL).
 */
#define SHA1_BYTES 20
struct sha1_stream;

int sha1_stream_new(struct sha1_stream **out, struct err *e);
int sha1_stream_add(struct sha1_stream *s, const void *p, size_t n, struct err *e);
int sha1_stream_final(struct sha1_stream *s, unsigned char out[SHA1_BYTES], struct err *e);
int sha1_stream_restart(struct sha1_stream *s, struct err *e);
void sha1_stream_free(struct sha1_stream *s);

#endif
