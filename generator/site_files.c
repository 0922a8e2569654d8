/*
 * site_files.c — writing a file of the site, listing a folder of it.
 */
#include "site_files.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "array.h"
#include "fsutil.h"

int
site_write_file(struct site_writer *w, const char *rel, const void *data, size_t n,
    struct err *e)
{
	char path[PATH_BYTES_MAX], dir[PATH_BYTES_MAX];
	char *slash;
	int r;

	if (path_join(path, w->out_dir, rel, e) == -1)
		return -1;
	memcpy(dir, path, sizeof dir);
	slash = strrchr(dir, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (mkdir_p(dir, w->owner_only ? 0700 : 0755, e) == -1)
			return -1;
	}
	r = write_file_if_changed(path, data, n, w->owner_only ? 0600 : 0644, FS_NOSYNC, e);
	if (r == -1)
		return -1;
	if (r == 0) {
		w->unchanged++;
		return 0;
	}
	w->written++;
	return site_note(w, "wrote", rel, e);
}

int
site_note(struct site_writer *w, const char *what, const char *rel, struct err *e)
{
	if (w->verbose && w->log != NULL) {
		if (buf_printf(w->log, "%s %s\n", what, rel) == -1)
			return err_set(e, ERR_SYSTEM, "out of memory");
	} else if (w->verbose) {
		(void)printf("%s %s\n", what, rel);
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
names_add(struct names *ns, const char *s, struct err *e)
{
	char **grown = array_grow(ns->v, &ns->cap, ns->n + 1, sizeof *ns->v, 64);
	char *copy;

	if (grown == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	ns->v = grown;
	if ((copy = strdup(s)) == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	ns->v[ns->n++] = copy;
	return 0;
}

void
names_sort(struct names *ns)
{
	if (ns->n > 0) /* qsort's base must not be NULL, even for 0 items */
		qsort(ns->v, ns->n, sizeof *ns->v, cmp_str);
}

int
names_has(const struct names *ns, const char *s)
{
	return ns->n > 0 && bsearch(&s, ns->v, ns->n, sizeof *ns->v, cmp_str) != NULL;
}

void
names_free(struct names *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = ns->cap = 0;
}

int
list_dir(struct names *out, const char *dir, enum list_what what, struct err *e)
{
	char path[PATH_BYTES_MAX];
	struct dirent *d;
	struct stat st;
	DIR *dp;
	int rc = -1;

	dp = opendir(dir);
	if (dp == NULL)
		return errno == ENOENT ? 0 : err_sys(e, "open %s", dir);
	errno = 0;
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		if (path_join(path, dir, d->d_name, e) == -1)
			goto out;
		if (lstat(path, &st) == -1) {
			err_sys(e, "stat %s", path);
			goto out;
		}
		if (!(S_ISREG(st.st_mode) && what != LIST_DIRS) &&
		    !(S_ISDIR(st.st_mode) && what != LIST_FILES))
			continue;
		if (names_add(out, d->d_name, e) == -1)
			goto out;
		errno = 0;
	}
	if (errno != 0) {
		err_sys(e, "read %s", dir);
		goto out;
	}
	names_sort(out);
	rc = 0;
out:
	closedir(dp);
	return rc;
}
