/* inbox.c — export readiness, private copy, archive of received exports. */
#include "inbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "array.h"
#include "manifest.h"

#define INCOMING_PREFIX ".incoming-"
#define KSM_PREFIX "ksm-"
#define COPY_BLOCK_BYTES (1u << 20)

struct seen {
	size_t n;
	struct {
		char name[256];
		off_t size;
		struct timespec mtime;
	} f[INBOX_FILES_MAX];
};

static int
look(const char *dir, struct seen *s, struct err *e)
{
	char path[PATH_BYTES_MAX];
	struct dirent *d;
	struct stat st;
	DIR *dp;
	int rc = 0;

	s->n = 0;
	dp = opendir(dir);
	if (dp == NULL) {
		err_sys(e, "export folder %s", dir);
		e->kind = ERR_DATA;
		return -1;
	}
	while (rc == 0 && (errno = 0, d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (s->n == INBOX_FILES_MAX) {
			rc = err_set(e, ERR_DATA, "%s: more than %d files", dir, INBOX_FILES_MAX);
			break;
		}
		if (path_join(path, dir, d->d_name, e) == -1)
			rc = -1;
		else if (lstat(path, &st) == -1)
			rc = errno == ENOENT ? err_set(e, ERR_NOT_READY, "%s disappeared", path)
			    : err_sys(e, "stat %s", path);
		else {
			(void)snprintf(s->f[s->n].name, sizeof s->f[0].name, "%s", d->d_name);
			s->f[s->n].size = st.st_size;
			s->f[s->n].mtime = st.st_mtim;
			s->n++;
		}
	}
	if (rc == 0 && errno != 0)
		rc = err_sys(e, "readdir %s", dir);
	(void)closedir(dp);
	return rc;
}

static int
cmp_seen(const void *a, const void *b)
{
	return strcmp(a, b);   /* name is the first member */
}

static int
copy_file(const char *from, const char *to, struct err *e)
{
	char *block = NULL;
	ssize_t r, w;
	size_t off;
	unsigned long long total = 0;
	int in = -1, out = -1, rc = -1;

	in = open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in == -1)
		return err_sys(e, "open %s", from);
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out == -1) {
		err_sys(e, "create %s", to);
		goto done;
	}
	block = malloc(COPY_BLOCK_BYTES);
	if (block == NULL) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto done;
	}
	for (;;) {
		r = read(in, block, COPY_BLOCK_BYTES);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			err_sys(e, "read %s", from);
			goto done;
		}
		if (r == 0)
			break;
		total += (unsigned long long)r;
		if (total > INBOX_FILE_BYTES_MAX) {
			err_set(e, ERR_DATA, "%s: larger than %llu bytes", from, INBOX_FILE_BYTES_MAX);
			goto done;
		}
		for (off = 0; off < (size_t)r; off += (size_t)w) {
			w = write(out, block + off, (size_t)r - off);
			if (w == -1 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w == -1) {
				err_sys(e, "write %s", to);
				goto done;
			}
		}
	}
	if (fsync(out) == -1) {
		err_sys(e, "fsync %s", to);
		goto done;
	}
	rc = 0;
done:
	free(block);
	if (out != -1 && close(out) == -1 && rc == 0)
		rc = err_sys(e, "close %s", to);
	(void)close(in);
	return rc;
}

/* What the tree under dokumenty/ (format 2: the PDFs) looks like: files,
 * bytes, and the sum of every entry's modification time, so that a file
 * added, removed, written or touched during the settle period shows. */
struct tree_sum {
	uint64_t files, bytes, mtimes;
};

/*
 * Walks the folder dir (depth from 1): adds every entry to *t and, when
 * to is not NULL, copies it there (folders 0700, files 0600, fsynced).
 * Only folders and regular files: anything else (a symbolic link) is
 * ERR_DATA naming it.  At most INBOX_DOCUMENTS_MAX files,
 * INBOX_DEPTH_MAX levels.
 */
static int
tree_walk(const char *dir, int depth, struct tree_sum *t, const char *to, struct err *e)
{
	char from[PATH_BYTES_MAX], dst[PATH_BYTES_MAX];
	struct dirent *d;
	struct stat st;
	DIR *dp;
	int rc = 0;

	if (depth > INBOX_DEPTH_MAX)
		return err_set(e, ERR_DATA, "%s: folders nested deeper than %d", dir, INBOX_DEPTH_MAX);
	if (to != NULL && mkdir(to, 0700) == -1)
		return err_sys(e, "mkdir %s", to);
	dp = opendir(dir);
	if (dp == NULL) {
		if (errno == ENOENT)
			return err_set(e, ERR_NOT_READY, "%s disappeared", dir);
		return err_sys(e, "open %s", dir);
	}
	while (rc == 0 && (errno = 0, d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (path_join(from, dir, d->d_name, e) == -1 ||
		    (to != NULL && path_join(dst, to, d->d_name, e) == -1)) {
			rc = -1;
			break;
		}
		if (lstat(from, &st) == -1) {
			rc = errno == ENOENT ? err_set(e, ERR_NOT_READY, "%s disappeared", from)
			    : err_sys(e, "stat %s", from);
			break;
		}
		t->mtimes += (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec;
		if (S_ISDIR(st.st_mode)) {
			rc = tree_walk(from, depth + 1, t, to != NULL ? dst : NULL, e);
		} else if (S_ISREG(st.st_mode)) {
			if (++t->files > INBOX_DOCUMENTS_MAX)
				rc = err_set(e, ERR_DATA, "%s: more than %d files", DOCUMENTS_DIR,
				    INBOX_DOCUMENTS_MAX);
			t->bytes += (uint64_t)st.st_size;
			if (rc == 0 && to != NULL)
				rc = copy_file(from, dst, e);
		} else {
			rc = err_set(e, ERR_DATA, "%s: not a regular file or a folder (a link?)", from);
		}
	}
	if (rc == 0 && errno != 0)
		rc = err_sys(e, "readdir %s", dir);
	(void)closedir(dp);
	if (rc == 0 && to != NULL)
		rc = fsync_path(to, e);
	return rc;
}

/* The tree dir/dokumenty, when dir has one: *t (zero when none). */
static int
documents_sum(const char *dir, struct tree_sum *t, const char *to, struct err *e)
{
	char path[PATH_BYTES_MAX];
	struct stat st;

	memset(t, 0, sizeof *t);
	if (path_join(path, dir, DOCUMENTS_DIR, e) == -1)
		return -1;
	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : err_sys(e, "stat %s", path);
	if (!S_ISDIR(st.st_mode))
		return err_set(e, ERR_DATA, "%s: not a folder (a link?)", path);
	return tree_walk(path, 1, t, to, e);
}

int
inbox_ready(const char *dir, unsigned settle_ms, struct err *e)
{
	struct seen *a = NULL, *b = NULL;
	struct tree_sum ta, tb;
	struct timespec pause = { (time_t)(settle_ms / 1000), (long)(settle_ms % 1000) * 1000000L };
	size_t i;
	int rc = -1, has_manifest = 0;

	a = malloc(sizeof *a);
	b = malloc(sizeof *b);
	if (a == NULL || b == NULL) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (look(dir, a, e) == -1)
		goto out;
	for (i = 0; i < a->n; i++)
		has_manifest |= strcmp(a->f[i].name, MANIFEST_FILE) == 0;
	if (!has_manifest) {
		err_set(e, ERR_NOT_READY, "%s: no " MANIFEST_FILE " yet (export not complete)", dir);
		goto out;
	}
	if (documents_sum(dir, &ta, NULL, e) == -1)
		goto out;
	while (nanosleep(&pause, &pause) == -1 && errno == EINTR)
		;
	if (look(dir, b, e) == -1 || documents_sum(dir, &tb, NULL, e) == -1)
		goto out;
	if (memcmp(&ta, &tb, sizeof ta) != 0) {
		err_set(e, ERR_NOT_READY, "%s/%s: still changing (export being copied)", dir,
		    DOCUMENTS_DIR);
		goto out;
	}
	qsort(a->f, a->n, sizeof a->f[0], cmp_seen);
	qsort(b->f, b->n, sizeof b->f[0], cmp_seen);
	for (i = 0; i < a->n || i < b->n; i++) {
		if (i >= a->n || i >= b->n || strcmp(a->f[i].name, b->f[i].name) != 0) {
			err_set(e, ERR_NOT_READY, "%s: files appeared or disappeared while waiting "
			    "(export still being copied)", dir);
			goto out;
		}
		if (a->f[i].size != b->f[i].size || a->f[i].mtime.tv_sec != b->f[i].mtime.tv_sec ||
		    a->f[i].mtime.tv_nsec != b->f[i].mtime.tv_nsec) {
			err_set(e, ERR_NOT_READY, "%s/%s: still changing (export being copied)", dir,
			    a->f[i].name);
			goto out;
		}
	}
	rc = 0;
out:
	free(a);
	free(b);
	return rc;
}

static int
exports_path(const struct home *h, const char *name, char out[PATH_BYTES_MAX], struct err *e)
{
	char dir[PATH_BYTES_MAX];

	if (home_path(h, EXPORTS_DIR, dir, e) == -1)
		return -1;
	return path_join(out, dir, name, e);
}

int
inbox_receive(const struct home *h, const char *dir, char out[PATH_BYTES_MAX], struct err *e)
{
	char name[64], from[PATH_BYTES_MAX], to[PATH_BYTES_MAX], exports[PATH_BYTES_MAX];
	struct seen *s = NULL;
	struct stat st;
	size_t i;
	int rc = -1;

	s = malloc(sizeof *s);
	if (s == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	(void)snprintf(name, sizeof name, INCOMING_PREFIX "%ld", (long)getpid());
	if (home_path(h, EXPORTS_DIR, exports, e) == -1 || mkdir_p(exports, 0700, e) == -1 ||
	    exports_path(h, name, out, e) == -1 || remove_tree(out, e) == -1)
		goto done;
	if (mkdir(out, 0700) == -1) {
		err_sys(e, "mkdir %s", out);
		goto done;
	}
	if (look(dir, s, e) == -1)
		goto done;
	for (i = 0; i < s->n; i++) {
		if (path_join(from, dir, s->f[i].name, e) == -1 ||
		    path_join(to, out, s->f[i].name, e) == -1)
			goto done;
		if (lstat(from, &st) == -1) {
			err_sys(e, "stat %s", from);
			goto done;
		}
		if (strcmp(s->f[i].name, DOCUMENTS_DIR) == 0) {   /* format 2: the PDFs */
			struct tree_sum t;

			if (documents_sum(dir, &t, to, e) == -1)
				goto done;
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		if (copy_file(from, to, e) == -1)
			goto done;
	}
	if (fsync_path(out, e) == -1)
		goto done;
	rc = 0;
done:
	free(s);
	return rc;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Removes all but the newest keep ksm-* folders. */
static int
prune(const struct home *h, size_t keep, struct err *e)
{
	char dir[PATH_BYTES_MAX], path[PATH_BYTES_MAX];
	char (*names)[64] = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *d;
	DIR *dp;
	int rc = 0;

	if (home_path(h, EXPORTS_DIR, dir, e) == -1)
		return -1;
	dp = opendir(dir);
	if (dp == NULL)
		return err_sys(e, "opendir %s", dir);
	while (rc == 0 && (errno = 0, d = readdir(dp)) != NULL) {
		if (strncmp(d->d_name, KSM_PREFIX, sizeof KSM_PREFIX - 1) != 0 ||
		    strlen(d->d_name) >= sizeof names[0])
			continue;
		char (*grown)[64] = array_grow(names, &cap, n + 1, sizeof names[0], 16);

		if (grown == NULL) {
			rc = err_set(e, ERR_SYSTEM, "out of memory");
			break;
		}
		names = grown;
		(void)memcpy(names[n++], d->d_name, strlen(d->d_name) + 1);  /* < 64, checked */
	}
	if (rc == 0 && errno != 0)
		rc = err_sys(e, "readdir %s", dir);
	(void)closedir(dp);
	if (rc == 0 && n > 0)
		qsort(names, n, sizeof names[0], cmp_names);
	for (i = 0; rc == 0 && i + keep < n; i++)
		if (path_join(path, dir, names[i], e) == -1 || remove_tree(path, e) == -1)
			rc = -1;
	free(names);
	return rc;
}

int
inbox_keep(const struct home *h, const char *incoming, const char *generated_at,
    size_t keep, char name_out[64], struct err *e)
{
	char day[16], stamp[16], path[PATH_BYTES_MAX];
	const char *p;
	size_t o = 0;

	name_out[0] = '\0';
	if (keep == 0)
		return remove_tree(incoming, e);
	for (p = generated_at; *p != '\0' && o < sizeof stamp - 1; p++)
		if (*p >= '0' && *p <= '9')
			stamp[o++] = *p;
	stamp[o] = '\0';
	if (o != 14)
		return err_set(e, ERR_DATA, "export timestamp unusable as a name (%s)", generated_at);
	(void)snprintf(day, sizeof day, "%.8s", stamp);
	(void)snprintf(name_out, 64, KSM_PREFIX "%s", day);
	if (exports_path(h, name_out, path, e) == -1)
		return -1;
	if (access(path, F_OK) == 0) {
		/* a second export the same day (or this one again) */
		(void)snprintf(name_out, 64, KSM_PREFIX "%s-%s", day, stamp + 8);
		if (exports_path(h, name_out, path, e) == -1 || remove_tree(path, e) == -1)
			return -1;
	}
	if (rename_durable(incoming, path, e) == -1)
		return -1;
	return prune(h, keep, e);
}

int
inbox_clean(const struct home *h, struct err *e)
{
	char dir[PATH_BYTES_MAX];

	if (home_path(h, EXPORTS_DIR, dir, e) == -1)
		return -1;
	return remove_prefixed(dir, INCOMING_PREFIX, e);
}
