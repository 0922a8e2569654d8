#include "docstore.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "db.h"
#include "fsutil.h"

#define DOCSTORE_NAME_LEN (DOCSTORE_HEX_LEN + 4)   /* "<hex>.pdf" */

int
docstore_path(const struct home *h, const char *sha256_hex, char *out, size_t n)
{
	int len;

	if (n > 0)
		out[0] = '\0';
	if (strlen(sha256_hex) != DOCSTORE_HEX_LEN ||
	    !crypto_is_hex(sha256_hex, DOCSTORE_HEX_LEN))
		return -1;
	len = snprintf(out, n, "%s/" DOCSTORE_DIR "/%.2s/%s.pdf", h->dir, sha256_hex, sha256_hex);
	if (len < 0 || (size_t)len >= n) {
		if (n > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

int
docstore_add(const struct home *h, const char *sha256_hex, const void *data, size_t n,
    struct err *e)
{
	char path[PATH_BYTES_MAX], dir[PATH_BYTES_MAX];
	char *slash;

	if (docstore_path(h, sha256_hex, path, sizeof path) == -1)
		return err_set(e, ERR_INTERNAL, "document store: bad name (%.70s)", sha256_hex);
	memcpy(dir, path, sizeof dir);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		return err_set(e, ERR_INTERNAL, "document store: bad path (%s)", path);
	*slash = '\0';
	if (mkdir_p(dir, 0700, e) == -1)
		return -1;
	return write_file_if_changed(path, data, n, 0600, FS_NOSYNC, e);
}

int
docstore_sync(const struct home *h, struct err *e)
{
	char dir[PATH_BYTES_MAX];

	if (home_path(h, DOCSTORE_DIR, dir, e) == -1)
		return -1;
	if (access(dir, F_OK) == -1)
		return 0;
	return sync_filesystem(dir, e);
}

/* The names to keep: "<hex>.pdf", sorted, without duplicates. */
struct keep {
	char (*name)[DOCSTORE_NAME_LEN + 1];
	size_t n, cap;
};

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Adds the sha256 of every document row of the database at path (when
 * it exists and has the table). */
static int
keep_from(struct keep *k, const char *path, struct err *e)
{
	struct db *db = NULL;
	struct db_stmt *st = NULL;
	const char *hex;
	void *p;
	int r, rc = -1;

	if (access(path, F_OK) == -1)
		return 0;
	if (db_open(&db, path, DB_READONLY, e) == -1 ||
	    db_prepare(&st, db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND "
	    "name = 'document'", e) == -1 || (r = db_step(st, NULL, e)) == -1)
		goto out;
	db_finalize(st);
	st = NULL;
	if (r == 0) {
		rc = 0;
		goto out;
	}
	if (db_prepare(&st, db, "SELECT DISTINCT sha256 FROM document", e) == -1)
		goto out;
	while ((r = db_step(st, NULL, e)) == 1) {
		hex = db_col_text(st, 0);
		if (hex == NULL || strlen(hex) != DOCSTORE_HEX_LEN)
			continue;      /* names no file of the store */
		if (k->n == k->cap) {
			k->cap = k->cap ? k->cap * 2 : 256;
			p = realloc(k->name, k->cap * sizeof *k->name);
			if (p == NULL) {
				err_set(e, ERR_SYSTEM, "out of memory");
				goto out;
			}
			k->name = p;
		}
		(void)snprintf(k->name[k->n++], DOCSTORE_NAME_LEN + 1, "%s.pdf", hex);
	}
	if (r == -1)
		goto out;
	rc = 0;
out:
	db_finalize(st);
	db_close(db);
	return rc;
}

/* Removes every entry of dir (one XX folder) not in k; then dir itself
 * when it is left empty. */
static int
prune_dir(const struct keep *k, const char *dir, size_t *removed, struct err *e)
{
	char path[PATH_BYTES_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);
	size_t left = 0;
	int rc = -1;

	if (d == NULL)
		return err_sys(e, "open %s", dir);
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (k->n > 0 && bsearch(de->d_name, k->name, k->n, sizeof *k->name, cmp_name) != NULL) {
			left++;
			continue;
		}
		if (path_join(path, dir, de->d_name, e) == -1 || remove_tree(path, e) == -1)
			goto out;
		(*removed)++;
	}
	if (errno != 0) {
		err_sys(e, "read %s", dir);
		goto out;
	}
	if (left == 0 && rmdir(dir) == -1 && errno != ENOTEMPTY && errno != EEXIST) {
		err_sys(e, "remove %s", dir);
		goto out;
	}
	rc = 0;
out:
	(void)closedir(d);
	return rc;
}

int
docstore_prune(const struct home *h, size_t *removed, struct err *e)
{
	char store[PATH_BYTES_MAX], path[PATH_BYTES_MAX];
	struct keep k = { NULL, 0, 0 };
	struct dirent *de;
	struct stat st;
	size_t count = 0;
	DIR *d = NULL;
	int rc = -1;

	if (home_path(h, DOCSTORE_DIR, store, e) == -1)
		return -1;
	d = opendir(store);
	if (d == NULL) {
		if (errno == ENOENT)
			rc = 0;
		else
			err_sys(e, "open %s", store);
		goto out;
	}
	if (home_path(h, HOME_DB, path, e) == -1 || keep_from(&k, path, e) == -1 ||
	    home_path(h, HOME_DB ".prev", path, e) == -1 || keep_from(&k, path, e) == -1)
		goto out;
	if (k.n > 0)
		qsort(k.name, k.n, sizeof *k.name, cmp_name);
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (path_join(path, store, de->d_name, e) == -1)
			goto out;
		if (lstat(path, &st) == -1) {
			err_sys(e, "%s", path);
			goto out;
		}
		/* only our XX folders hold documents; anything else is debris */
		if (S_ISDIR(st.st_mode) && strlen(de->d_name) == 2 &&
		    crypto_is_hex(de->d_name, 2)) {
			if (prune_dir(&k, path, &count, e) == -1)
				goto out;
		} else {
			if (remove_tree(path, e) == -1)
				goto out;
			count++;
		}
	}
	if (errno != 0) {
		err_sys(e, "read %s", store);
		goto out;
	}
	rc = 0;
out:
	if (d != NULL)
		(void)closedir(d);
	free(k.name);
	if (removed != NULL)
		*removed = count;
	return rc;
}
