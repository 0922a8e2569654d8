/*
 * secure.h — handling of secrets in memory.
 */
#ifndef CZYNSZE_SECURE_H
#define CZYNSZE_SECURE_H

#include <stddef.h>

/* Overwrites n bytes at p with zeros in a way the compiler may not
 * remove.  NULL-safe.  Can't fail. */
void secure_wipe(void *p, size_t n);

#endif
