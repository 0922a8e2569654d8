#include "home.h"

#include <stdio.h>
#include <stdlib.h>

int
home_resolve(struct home *h, const char *option, struct err *e)
{
	const char *dir = option;

	if (dir == NULL || dir[0] == '\0')
		dir = getenv("CZYNSZE_HOME");
	if (dir == NULL || dir[0] == '\0')
		dir = HOME_DEFAULT;
	if ((size_t)snprintf(h->dir, sizeof h->dir, "%s", dir) >= sizeof h->dir)
		return err_set(e, ERR_USAGE, "data home path too long (%s)", dir);
	return mkdir_p(h->dir, 0700, e);
}

int
home_path(const struct home *h, const char *name, char out[PATH_BYTES_MAX], struct err *e)
{
	return path_join(out, h->dir, name, e);
}
