/*
 * digest.h — SHA-256 of files and memory, as lowercase hex.
 */
#ifndef CZYNSZE_DIGEST_H
#define CZYNSZE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SHA256_HEX_LEN 64

/* Hashes the file at path into hex[65]; *bytes gets its size (may be
 * NULL).  Returns 0, or -1 with e set (ERR_SYSTEM for I/O). */
int sha256_file(char hex[SHA256_HEX_LEN + 1], uint64_t *bytes, const char *path,
    struct err *e);

/* Hashes p[0..n) into hex[65].  Returns 0 or -1. */
int sha256_hex(char hex[SHA256_HEX_LEN + 1], const void *p, size_t n, struct err *e);

#endif
