#define _GNU_SOURCE   /* syncfs(2) */
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int
path_join(char out[PATH_BYTES_MAX], const char *a, const char *b, struct err *e)
{
	int n = snprintf(out, PATH_BYTES_MAX, "%s/%s", a, b);

	if (n < 0 || n >= PATH_BYTES_MAX)
		return err_set(e, ERR_USAGE, "path too long (%s/%s)", a, b);
	return 0;
}

int
chmod_keep_sgid(const char *path, mode_t mode, struct err *e)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return err_sys(e, "stat %s", path);
	if (chmod(path, mode | (st.st_mode & S_ISGID)) == -1)
		return err_sys(e, "chmod %s", path);
	return 0;
}

int
mkdir_p(const char *dir, mode_t mode, struct err *e)
{
	char path[PATH_BYTES_MAX];
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof path)
		return err_set(e, ERR_USAGE, "bad directory name (%s)", dir);
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, mode) == 0) {
			/* the mode asked for, whatever the umask (main sets 077);
			 * a setgid bit inherited from the parent stays */
			if (chmod_keep_sgid(path, mode, e) == -1)
				return -1;
		} else if (errno != EEXIST) {
			return err_sys(e, "mkdir %s", path);
		}
		path[i] = i == n ? '\0' : '/';
	}
	return 0;
}

/* fsync(2), or with whole_fs syncfs(2), of the file or folder at path. */
static int
sync_path(const char *path, int whole_fs, struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return err_sys(e, "open %s", path);
	if ((whole_fs ? syncfs(fd) : fsync(fd)) == -1) {
		err_sys(e, "%s %s", whole_fs ? "syncfs" : "fsync", path);
		(void)close(fd);
		return -1;
	}
	if (close(fd) == -1)
		return err_sys(e, "close %s", path);
	return 0;
}

int
fsync_path(const char *path, struct err *e)
{
	return sync_path(path, 0, e);
}

int
rename_durable(const char *from, const char *to, struct err *e)
{
	char dir[PATH_BYTES_MAX];

	if (rename(from, to) == -1)
		return err_sys(e, "rename %s to %s", from, to);
	if ((size_t)snprintf(dir, sizeof dir, "%s", to) >= sizeof dir)
		return err_set(e, ERR_USAGE, "path too long (%s)", to);
	return fsync_path(dirname(dir), e);
}

static int
write_atomic(const char *path, const void *data, size_t n, mode_t mode, int durable,
    struct err *e)
{
	char tmp[PATH_BYTES_MAX];
	const char *p = data;
	ssize_t w;
	int fd = -1, rc = -1;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid()) >= sizeof tmp)
		return err_set(e, ERR_USAGE, "path too long (%s)", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd == -1) {
		err_sys(e, "create %s", tmp);
		goto out;
	}
	if (fchmod(fd, mode) == -1) {
		err_sys(e, "chmod %s", tmp);
		goto out;
	}
	while (n > 0) {
		w = write(fd, p, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1) {
			err_sys(e, "write %s", tmp);
			goto out;
		}
		p += w;
		n -= (size_t)w;
	}
	if (durable && fsync(fd) == -1) {
		err_sys(e, "fsync %s", tmp);
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		err_sys(e, "close %s", tmp);
		goto out;
	}
	fd = -1;
	if (durable ? rename_durable(tmp, path, e) == -1 : rename(tmp, path) == -1) {
		if (!durable)
			err_sys(e, "rename %s to %s", tmp, path);
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		(void)close(fd);
	if (rc == -1)
		(void)unlink(tmp);
	return rc;
}

int
write_file_atomic(const char *path, const void *data, size_t n, mode_t mode,
    struct err *e)
{
	return write_atomic(path, data, n, mode, 1, e);
}

int
write_file_atomic_nosync(const char *path, const void *data, size_t n, mode_t mode,
    struct err *e)
{
	return write_atomic(path, data, n, mode, 0, e);
}

/* 1 when path is a regular file holding exactly data[0..n), else 0. */
static int
same_content(const char *path, const void *data, size_t n, struct err *e)
{
	struct stat st;
	char *old = NULL;
	size_t len;
	int same;

	if (stat(path, &st) == -1)
		return errno == ENOENT ? 0 : err_sys(e, "stat %s", path);
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size != n)
		return 0;
	if (read_file(&old, &len, path, n, e) == -1)
		return -1;
	same = len == n && memcmp(old, data, n) == 0;
	free(old);
	return same;
}

int
write_file_if_changed(const char *path, const void *data, size_t n, mode_t mode,
    enum fs_sync sync, struct err *e)
{
	int same = same_content(path, data, n, e);

	if (same != 0)
		return same == 1 ? 0 : -1;
	if (write_atomic(path, data, n, mode, sync == FS_SYNC, e) == -1)
		return -1;
	return 1;
}

int
sync_filesystem(const char *path, struct err *e)
{
	return sync_path(path, 1, e);
}

int
read_file(char **out, size_t *n, const char *path, size_t max, struct err *e)
{
	char *data = NULL;
	size_t len = 0, cap = 0;
	ssize_t r;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return err_sys(e, "%s", path);
	for (;;) {
		if (len + 1 >= cap) {
			char *p;

			cap = cap ? cap * 2 : 65536;
			if (cap > max + 2)
				cap = max + 2;
			p = realloc(data, cap);
			if (p == NULL) {
				err_set(e, ERR_SYSTEM, "out of memory");
				goto out;
			}
			data = p;
		}
		r = read(fd, data + len, cap - len - 1);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			err_sys(e, "read %s", path);
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > max) {
			err_set(e, ERR_DATA, "%s: larger than %zu bytes", path, max);
			goto out;
		}
	}
	data[len] = '\0';
	*out = data;
	*n = len;
	data = NULL;
	rc = 0;
out:
	free(data);
	(void)close(fd);
	return rc;
}

int
unlink_if_exists(const char *path, struct err *e)
{
	if (unlink(path) == -1 && errno != ENOENT)
		return err_sys(e, "unlink %s", path);
	return 0;
}

int
remove_tree(const char *path, struct err *e)
{
	char child[PATH_BYTES_MAX];
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int rc = 0;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : err_sys(e, "stat %s", path);
	if (!S_ISDIR(st.st_mode))
		return unlink_if_exists(path, e);
	dir = opendir(path);
	if (dir == NULL)
		return err_sys(e, "opendir %s", path);
	while (rc == 0 && (errno = 0, d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (path_join(child, path, d->d_name, e) == -1 || remove_tree(child, e) == -1)
			rc = -1;
	}
	if (rc == 0 && errno != 0)
		rc = err_sys(e, "readdir %s", path);
	(void)closedir(dir);
	if (rc == 0 && rmdir(path) == -1)
		rc = err_sys(e, "rmdir %s", path);
	return rc;
}

int
remove_prefixed(const char *dir, const char *prefix, struct err *e)
{
	char path[PATH_BYTES_MAX];
	struct dirent *d;
	DIR *dp;
	int rc = 0;

	dp = opendir(dir);
	if (dp == NULL)
		return errno == ENOENT ? 0 : err_sys(e, "opendir %s", dir);
	while (rc == 0 && (errno = 0, d = readdir(dp)) != NULL) {
		if (strncmp(d->d_name, prefix, strlen(prefix)) != 0)
			continue;
		if (path_join(path, dir, d->d_name, e) == -1 || remove_tree(path, e) == -1)
			rc = -1;
	}
	if (rc == 0 && errno != 0)
		rc = err_sys(e, "readdir %s", dir);
	(void)closedir(dp);
	return rc;
}

void
utc_now(char out[21])
{
	struct tm tm;
	time_t t = time(NULL);

	if (gmtime_r(&t, &tm) == NULL || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(out, 21, "1970-01-01T00:00:00Z");
}

int
fd_read_full(int fd, void *buf, size_t want, size_t *got)
{
	char *p = buf;
	ssize_t n;

	*got = 0;
	while (*got < want) {
		n = read(fd, p + *got, want - *got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return 0;
}
