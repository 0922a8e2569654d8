/*
 * hash.h — a hash for in-memory hash tables (FNV-1a, 64 bits).
 *
 * Not cryptographic: only for spreading keys over slots.  Can't fail.
 */
#ifndef CZYNSZE_HASH_H
#define CZYNSZE_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t hash_bytes(const void *p, size_t n);

#endif
