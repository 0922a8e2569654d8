/* datadir.c — the installed templates, found relative to the binary. */
#include "datadir.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
datadir_templates(char out[PATH_BYTES_MAX], struct err *e)
{
	static const char *const rel[] = {
		"../share/czynsze/site-templates", "../site-templates", "../../site-templates",
	};
	char exe[PATH_BYTES_MAX];
	char *slash;
	ssize_t n;
	size_t i;

	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL)
			*slash = '\0';
		for (i = 0; i < sizeof rel / sizeof rel[0]; i++)
			if (path_join(out, exe, rel[i], e) == 0 && is_dir(out))
				return 0;
	}
	if (is_dir("site-templates")) {
		(void)snprintf(out, PATH_BYTES_MAX, "site-templates");
		return 0;
	}
	return err_set(e, ERR_USAGE, "site templates not found (looked beside the binary and "
	    "in ./site-templates); give --templates DIR or templates = DIR in czynsze.conf");
}
