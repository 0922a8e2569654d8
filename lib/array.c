/*
 * array.c — growing arrays by doubling.
 */
#include "array.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

void *
array_grow(void *v, size_t *cap, size_t need, size_t elem_bytes, size_t first_cap)
{
	size_t c = *cap > 0 ? *cap : first_cap > 0 ? first_cap : 1;
	void *grown;

	if (need <= *cap && v != NULL)
		return v;
	while (c < need) {
		if (c > SIZE_MAX / 2) {
			errno = EOVERFLOW;
			return NULL;
		}
		c *= 2;
	}
	if (elem_bytes == 0 || c > SIZE_MAX / elem_bytes) {
		errno = EOVERFLOW;
		return NULL;
	}
	grown = realloc(v, c * elem_bytes);
	if (grown == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	*cap = c;
	return grown;
}
