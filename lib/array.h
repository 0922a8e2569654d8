/*
 * array.h — the one grow-by-doubling helper for arrays of any type.
 *
 *   struct thing *v = NULL, *grown; size_t n = 0, cap = 0;
 *   if ((grown = array_grow(v, &cap, n + 1, sizeof *v, 64)) == NULL)
 *           return err_set(e, ERR_SYSTEM, "out of memory");
 *   v = grown;
 *   v[n++] = x;
 *
 * The caller owns the array (free(3) it) and keeps the count; array_grow
 * sees only the capacity.
 */
#ifndef CZYNSZE_ARRAY_H
#define CZYNSZE_ARRAY_H

#include <stddef.h>

/* Returns v with room for at least need elements of elem_bytes: v itself
 * when *cap is enough, else v reallocated to *cap doubled (from first_cap
 * when 0) until it is, *cap updated.  NULL with errno ENOMEM (or
 * EOVERFLOW when the size does not fit a size_t), v and *cap unchanged
 * (v still the caller's to free). */
void *array_grow(void *v, size_t *cap, size_t need, size_t elem_bytes, size_t first_cap);

#endif
