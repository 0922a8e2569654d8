/* test_array.c — array_grow (lib/array.h): doubling, contents kept,
 * failures leave the array and its capacity as they were. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "array.h"
#include "tap.h"

int
main(void)
{
	int *v = NULL, *grown;
	size_t cap = 0, i;
	int kept = 1;

	tap_plan(9);
	grown = array_grow(v, &cap, 1, sizeof *v, 4);
	ok(grown != NULL && cap == 4, "the first growth allocates first_cap");
	v = grown;
	ok(array_grow(v, &cap, 4, sizeof *v, 4) == v && cap == 4, "room enough: the same array");
	for (i = 0; i < 4; i++)
		v[i] = (int)i;
	grown = array_grow(v, &cap, 5, sizeof *v, 4);
	ok(grown != NULL && cap == 8, "one more doubles");
	v = grown;
	for (i = 0; i < 4; i++)
		kept &= v[i] == (int)i;
	ok(kept, "... keeping the elements");
	grown = array_grow(v, &cap, 100, sizeof *v, 4);
	ok(grown != NULL && cap == 128, "a large need doubles until it fits");
	v = grown;
	errno = 0;
	ok(array_grow(v, &cap, SIZE_MAX / 2, sizeof *v, 4) == NULL && errno == EOVERFLOW,
	    "a size that does not fit a size_t fails with EOVERFLOW");
	ok(cap == 128 && v[3] == 3, "... leaving the array and its capacity");
	free(v);
	v = NULL;
	cap = 0;
	grown = array_grow(v, &cap, 3, sizeof *v, 0);
	ok(grown != NULL && cap == 4, "first_cap 0 starts from 1");
	v = grown;
	free(v);
	v = NULL;
	cap = 0;
	ok(array_grow(v, &cap, 1, 0, 4) == NULL && cap == 0, "elements of no size are refused");
	return tap_done();
}
