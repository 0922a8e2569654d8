#include "secure.h"

#include <string.h>

void
secure_wipe(void *p, size_t n)
{
	if (p != NULL)
		explicit_bzero(p, n);
}
