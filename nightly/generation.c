/* generation.c — site generations behind HOME/site (see generation.h). */
#include "generation.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STAGING_PREFIX ".staging-"
#define TREE_DEPTH_MAX 16

static int
sites_path(const struct home *h, const char *name, char out[PATH_BYTES_MAX], struct err *e)
{
	char sites[PATH_BYTES_MAX];

	if (home_path(h, SITES_DIR, sites, e) == -1)
		return -1;
	return name == NULL ? path_join(out, h->dir, SITES_DIR, e) : path_join(out, sites, name, e);
}

static int
staging_path(const struct home *h, const char *name, char out[PATH_BYTES_MAX], struct err *e)
{
	char base[GENERATION_NAME_MAX + sizeof STAGING_PREFIX];

	if ((size_t)snprintf(base, sizeof base, STAGING_PREFIX "%s", name) >= sizeof base)
		return err_set(e, ERR_INTERNAL, "generation name too long (%s)", name);
	return sites_path(h, base, out, e);
}

/* A name is TIMESTAMP or TIMESTAMP.N; splits it. */
static void
split_name(const char *s, size_t *base_len, unsigned long *n)
{
	const char *dot = strchr(s, '.');

	*base_len = dot != NULL ? (size_t)(dot - s) : strlen(s);
	*n = dot != NULL ? strtoul(dot + 1, NULL, 10) : 0;
}

int
generation_cmp(const char *a, const char *b)
{
	size_t la, lb;
	unsigned long na, nb;
	int c;

	split_name(a, &la, &na);
	split_name(b, &lb, &nb);
	c = strncmp(a, b, la < lb ? la : lb);
	if (c != 0)
		return c;
	if (la != lb)
		return la < lb ? -1 : 1;
	return na < nb ? -1 : na > nb;
}

static int
cmp_entries(const void *a, const void *b)
{
	return generation_cmp(a, b);
}

int
generation_live(const struct home *h, char out[GENERATION_NAME_MAX], struct err *e)
{
	char link[PATH_BYTES_MAX], target[PATH_BYTES_MAX];
	ssize_t n;
	const char *name;

	out[0] = '\0';
	if (home_path(h, SITE_LINK, link, e) == -1)
		return -1;
	n = readlink(link, target, sizeof target - 1);
	if (n == -1) {
		if (errno == ENOENT)
			return 0;
		if (errno == EINVAL)
			return err_set(e, ERR_SYSTEM, "%s is not a symlink to a generation; "
			    "move it away (czynsze publishes through a symlink)", link);
		return err_sys(e, "readlink %s", link);
	}
	target[n] = '\0';
	if (strncmp(target, SITES_DIR "/", sizeof SITES_DIR) != 0 ||
	    strchr(name = target + sizeof SITES_DIR, '/') != NULL || name[0] == '.' ||
	    strlen(name) >= GENERATION_NAME_MAX)
		return err_set(e, ERR_SYSTEM, "%s points to %s, not to " SITES_DIR "/NAME", link,
		    target);
	(void)memcpy(out, name, strlen(name) + 1);
	return 0;
}

int
generation_list(const struct home *h, struct generations *g, struct err *e)
{
	char dir[PATH_BYTES_MAX];
	struct dirent *d;
	DIR *dp;
	int rc = 0;

	g->n = 0;
	if (sites_path(h, NULL, dir, e) == -1)
		return -1;
	dp = opendir(dir);
	if (dp == NULL)
		return errno == ENOENT ? 0 : err_sys(e, "opendir %s", dir);
	while ((errno = 0, d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.' || strlen(d->d_name) >= GENERATION_NAME_MAX)
			continue;
		if (g->n == GENERATIONS_MAX) {
			rc = err_set(e, ERR_SYSTEM, "%s: more than %d generations", dir,
			    GENERATIONS_MAX);
			break;
		}
		(void)memcpy(g->name[g->n++], d->d_name, strlen(d->d_name) + 1);
	}
	if (rc == 0 && errno != 0)
		rc = err_sys(e, "readdir %s", dir);
	(void)closedir(dp);
	qsort(g->name, g->n, sizeof g->name[0], cmp_entries);
	return rc;
}

int
generation_new_name(const struct home *h, const char *generated_at,
    char out[GENERATION_NAME_MAX], struct err *e)
{
	char base[16], path[PATH_BYTES_MAX];
	const char *p;
	size_t o = 0;
	unsigned n;

	/* "2021-12-28T02:00:13" -> "20211228T020013" */
	for (p = generated_at; *p != '\0' && o < sizeof base - 1; p++)
		if (*p != '-' && *p != ':')
			base[o++] = *p;
	base[o] = '\0';
	if (o != 15 || base[8] != 'T' || strspn(base, "0123456789") != 8 ||
	    strspn(base + 9, "0123456789") != 6)
		return err_set(e, ERR_DATA, "export timestamp unusable as a name (%s)", generated_at);
	for (n = 0; n < GENERATIONS_MAX; n++) {
		if (n == 0)
			(void)snprintf(out, GENERATION_NAME_MAX, "%s", base);
		else
			(void)snprintf(out, GENERATION_NAME_MAX, "%s.%u", base, n);
		if (sites_path(h, out, path, e) == -1)
			return -1;
		if (access(path, F_OK) == -1) {
			if (errno == ENOENT)
				return 0;
			return err_sys(e, "%s", path);
		}
	}
	return err_set(e, ERR_SYSTEM, "no free generation name for %s", base);
}

/* Copies folder `from` to `to` (which must not exist), files as hard
 * links, symlinks as symlinks. */
static int
link_tree(const char *from, const char *to, int depth, unsigned long *linked, struct err *e)
{
	char a[PATH_BYTES_MAX], b[PATH_BYTES_MAX], target[PATH_BYTES_MAX];
	struct dirent *d;
	struct stat st;
	DIR *dp = NULL;
	ssize_t n;
	int rc = -1;

	if (depth > TREE_DEPTH_MAX)
		return err_set(e, ERR_SYSTEM, "%s: folders nested too deep", from);
	if (lstat(from, &st) == -1)
		return err_sys(e, "stat %s", from);
	if (mkdir(to, st.st_mode & 07777) == -1)
		return err_sys(e, "mkdir %s", to);
	if (chmod(to, st.st_mode & 07777) == -1)   /* whatever the umask */
		return err_sys(e, "chmod %s", to);
	dp = opendir(from);
	if (dp == NULL)
		return err_sys(e, "opendir %s", from);
	while ((errno = 0, d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (path_join(a, from, d->d_name, e) == -1 || path_join(b, to, d->d_name, e) == -1)
			goto out;
		if (lstat(a, &st) == -1) {
			err_sys(e, "stat %s", a);
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			if (link_tree(a, b, depth + 1, linked, e) == -1)
				goto out;
		} else if (S_ISLNK(st.st_mode)) {
			n = readlink(a, target, sizeof target - 1);
			if (n == -1) {
				err_sys(e, "readlink %s", a);
				goto out;
			}
			target[n] = '\0';
			if (symlink(target, b) == -1) {
				err_sys(e, "symlink %s", b);
				goto out;
			}
		} else if (S_ISREG(st.st_mode)) {
			if (link(a, b) == -1) {
				err_sys(e, "link %s to %s", a, b);
				goto out;
			}
			(*linked)++;
		}
	}
	if (errno != 0) {
		err_sys(e, "readdir %s", from);
		goto out;
	}
	rc = 0;
out:
	(void)closedir(dp);
	return rc;
}

/* fsync of every folder under path, path included (files written by
 * write_file_atomic are fsynced already; hard links need their folder). */
static int
sync_dirs(const char *path, int depth, struct err *e)
{
	char child[PATH_BYTES_MAX];
	struct dirent *d;
	DIR *dp;
	int rc = 0;

	if (depth > TREE_DEPTH_MAX)
		return err_set(e, ERR_SYSTEM, "%s: folders nested too deep", path);
	dp = opendir(path);
	if (dp == NULL)
		return err_sys(e, "opendir %s", path);
	while (rc == 0 && (errno = 0, d = readdir(dp)) != NULL) {
		if (d->d_type != DT_DIR || strcmp(d->d_name, ".") == 0 ||
		    strcmp(d->d_name, "..") == 0)
			continue;
		if (path_join(child, path, d->d_name, e) == -1 || sync_dirs(child, depth + 1, e) == -1)
			rc = -1;
	}
	if (rc == 0 && errno != 0)
		rc = err_sys(e, "readdir %s", path);
	(void)closedir(dp);
	return rc == 0 ? fsync_path(path, e) : -1;
}

int
generation_stage(const struct home *h, const char *name, const char *from,
    char path_out[PATH_BYTES_MAX], unsigned long *linked, struct err *e)
{
	char sites[PATH_BYTES_MAX], src[PATH_BYTES_MAX];

	*linked = 0;
	if (sites_path(h, NULL, sites, e) == -1 || mkdir_p(sites, 0755, e) == -1 ||
	    staging_path(h, name, path_out, e) == -1 || remove_tree(path_out, e) == -1)
		return -1;
	if (from == NULL || from[0] == '\0') {
		if (mkdir(path_out, 0755) == -1 || chmod(path_out, 0755) == -1)
			return err_sys(e, "mkdir %s", path_out);
		return 0;
	}
	if (sites_path(h, from, src, e) == -1)
		return -1;
	return link_tree(src, path_out, 0, linked, e);
}

int
generation_commit(const struct home *h, const char *name, struct err *e)
{
	char staging[PATH_BYTES_MAX], final[PATH_BYTES_MAX];

	if (staging_path(h, name, staging, e) == -1 || sites_path(h, name, final, e) == -1 ||
	    sync_dirs(staging, 0, e) == -1)
		return -1;
	return rename_durable(staging, final, e);
}

int
generation_switch(const struct home *h, const char *name, struct err *e)
{
	char link[PATH_BYTES_MAX], tmp[PATH_BYTES_MAX], target[PATH_BYTES_MAX];
	struct stat st;

	if (home_path(h, SITE_LINK, link, e) == -1)
		return -1;
	if (lstat(link, &st) == 0 && !S_ISLNK(st.st_mode))
		return err_set(e, ERR_SYSTEM, "%s is a folder, not a symlink; move it away "
		    "(czynsze publishes through a symlink)", link);
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%ld", link, (long)getpid()) >= sizeof tmp ||
	    (size_t)snprintf(target, sizeof target, SITES_DIR "/%s", name) >= sizeof target)
		return err_set(e, ERR_USAGE, "path too long (%s)", link);
	if (unlink_if_exists(tmp, e) == -1)
		return -1;
	if (symlink(target, tmp) == -1)
		return err_sys(e, "symlink %s", tmp);
	if (rename_durable(tmp, link, e) == -1) {
		(void)unlink(tmp);
		return -1;
	}
	return 0;
}

int
generation_remove(const struct home *h, const char *name, struct err *e)
{
	char path[PATH_BYTES_MAX];

	if (sites_path(h, name, path, e) == -1 || remove_tree(path, e) == -1 ||
	    staging_path(h, name, path, e) == -1 || remove_tree(path, e) == -1)
		return -1;
	return 0;
}

int
generation_clean_staging(const struct home *h, struct err *e)
{
	char dir[PATH_BYTES_MAX];

	if (sites_path(h, NULL, dir, e) == -1)
		return -1;
	return remove_prefixed(dir, STAGING_PREFIX, e);
}

int
generation_prune(const struct home *h, size_t keep, size_t *removed, struct err *e)
{
	struct generations *g = NULL;
	char live[GENERATION_NAME_MAX];
	size_t i;
	int rc = -1;

	*removed = 0;
	g = malloc(sizeof *g);
	if (g == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (generation_live(h, live, e) == -1 || generation_list(h, g, e) == -1)
		goto out;
	for (i = 0; i + keep < g->n; i++) {
		if (strcmp(g->name[i], live) == 0)
			continue;
		if (generation_remove(h, g->name[i], e) == -1)
			goto out;
		(*removed)++;
	}
	rc = 0;
out:
	free(g);
	return rc;
}
