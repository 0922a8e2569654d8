/* access_live.c — the live access folder and credential changes (see access_live.h). */
#include "access_live.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access.h"
#include "buf.h"
#include "db.h"
#include "fsutil.h"
#include "generation.h"
#include "generate.h"
#include "secure.h"

#define NEW_PREFIX ".new-"
#define ACCESS_FOLDERS_MAX 1000000000ul
#define PENDING_BYTES_MAX (2 * PATH_BYTES_MAX)

void
access_live_kill_point(const char *where)
{
	const char *at = getenv("CZYNSZE_TEST_KILL_AT");

	if (at != NULL && strcmp(at, where) == 0)
		(void)raise(SIGKILL);
}

/* The live folder's number (0: none). */
static int
live_number(const struct home *h, unsigned long *n, struct err *e)
{
	char link[PATH_BYTES_MAX], target[PATH_BYTES_MAX], *end;
	ssize_t len;

	*n = 0;
	if (home_path(h, ACCESS_LINK, link, e) == -1)
		return -1;
	len = readlink(link, target, sizeof target - 1);
	if (len == -1)
		return errno == ENOENT ? 0 : err_sys(e, "readlink %s", link);
	target[len] = '\0';
	if (strncmp(target, ACCESS_DIRS "/", sizeof ACCESS_DIRS) != 0)
		goto bad;
	errno = 0;
	*n = strtoul(target + sizeof ACCESS_DIRS, &end, 10);
	if (errno != 0 || *end != '\0' || *n == 0 || *n >= ACCESS_FOLDERS_MAX)
		goto bad;
	return 0;
bad:
	return err_set(e, ERR_SYSTEM, "%s points to %s, not to " ACCESS_DIRS "/N", link, target);
}

/* Removes everything under HOME/access.d but folder `keep` ("" none). */
static int
remove_others(const char *dirs, const char *keep, struct err *e)
{
	char path[PATH_BYTES_MAX];
	struct dirent *d;
	DIR *dp;
	int rc = 0;

	dp = opendir(dirs);
	if (dp == NULL)
		return errno == ENOENT ? 0 : err_sys(e, "opendir %s", dirs);
	while (rc == 0 && (errno = 0, d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0 ||
		    strcmp(d->d_name, keep) == 0)
			continue;
		if (path_join(path, dirs, d->d_name, e) == -1 || remove_tree(path, e) == -1)
			rc = -1;
	}
	if (rc == 0 && errno != 0)
		rc = err_sys(e, "readdir %s", dirs);
	(void)closedir(dp);
	return rc;
}

/* A folder with mode (whatever the umask), or an existing one as it is. */
static int
make_dir(const char *path, mode_t mode, struct err *e)
{
	if (mkdir(path, mode) == 0)
		return chmod_keep_sgid(path, mode, e);
	return errno == EEXIST ? 0 : err_sys(e, "mkdir %s", path);
}

/* Points HOME/access at access.d/n in one rename. */
static int
switch_to(const struct home *h, unsigned long n, struct err *e)
{
	char link[PATH_BYTES_MAX], tmp[PATH_BYTES_MAX], target[64];

	if (home_path(h, ACCESS_LINK, link, e) == -1)
		return -1;
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%ld", link, (long)getpid()) >= sizeof tmp)
		return err_set(e, ERR_USAGE, "path too long (%s)", link);
	(void)snprintf(target, sizeof target, ACCESS_DIRS "/%lu", n);
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
access_live_sync(const struct home *h, int *switched, struct err *e)
{
	char dirs[PATH_BYTES_MAX], keys[PATH_BYTES_MAX], live[PATH_BYTES_MAX];
	char staging[PATH_BYTES_MAX], final[PATH_BYTES_MAX], name[32], sub[PATH_BYTES_MAX];
	struct access *a = NULL;
	unsigned long n, changed;
	int rc = -1;

	*switched = 0;
	staging[0] = '\0';
	if (live_number(h, &n, e) == -1 || home_path(h, ACCESS_DIRS, dirs, e) == -1 ||
	    home_path(h, HOME_KEYS_DB, keys, e) == -1 ||
	    make_dir(dirs, ACCESS_PUBLIC_DIR_MODE, e) == -1)
		return -1;
	(void)snprintf(name, sizeof name, "%lu", n);
	/* leftovers of a killed run: new folders never switched to */
	if (remove_others(dirs, n > 0 ? name : "", e) == -1 ||
	    path_join(live, dirs, name, e) == -1)
		return -1;
	if (access_open(&a, keys, e) == -1)
		return -1;
	/* The usual case, at every locked command: nothing differs, nothing
	 * is written (at 3,000 logins, a folder of links made and removed
	 * cost a sixth of a night's audit snapshot). */
	if (n > 0) {
		if (access_compare_dir(a, live, &changed, e) == -1)
			goto out;
		if (changed == 0) {
			rc = 0;
			goto out;
		}
	}
	(void)snprintf(name, sizeof name, NEW_PREFIX "%lu", n + 1);
	if (path_join(staging, dirs, name, e) == -1 ||
	    make_dir(staging, ACCESS_PUBLIC_DIR_MODE, e) == -1 ||
	    access_write_dir(a, staging, n > 0 ? live : NULL, &changed, e) == -1)
		goto out;
	if (n > 0 && changed == 0) {
		rc = remove_tree(staging, e);
		goto out;
	}
	(void)snprintf(name, sizeof name, "%lu", n + 1);
	if (sync_filesystem(staging, e) == -1 ||
	    path_join(sub, staging, ACCESS_AUTH, e) == -1 || fsync_path(sub, e) == -1 ||
	    path_join(sub, staging, ACCESS_HTPASSWD, e) == -1 || fsync_path(sub, e) == -1 ||
	    path_join(final, dirs, name, e) == -1 || rename_durable(staging, final, e) == -1)
		goto out;
	access_live_kill_point("access-before-switch");
	if (switch_to(h, n + 1, e) == -1)
		goto out;
	*switched = 1;
	/* the old folder is no longer read by anyone who opens a file now */
	rc = remove_others(dirs, name, e);
out:
	access_close(a);
	if (rc == -1 && staging[0] != '\0')
		(void)remove_tree(staging, &(struct err){ 0 });
	return rc;
}

int
access_live_begin(const struct home *h, const char *login, uint32_t old_v, uint32_t new_v,
    const char *letters, struct err *e)
{
	char path[PATH_BYTES_MAX];
	struct buf b = BUF_INIT;
	int rc;

	if (strchr(letters != NULL ? letters : "", '\n') != NULL)
		return err_set(e, ERR_USAGE, "letters folder name with a line break");
	if (home_path(h, ACCESS_PENDING, path, e) == -1)
		return -1;
	if (buf_printf(&b, "%s %" PRIu32 " %" PRIu32 " %s\n", login, old_v, new_v,
	    letters != NULL ? letters : "-") == -1) {
		buf_free(&b);
		return err_set(e, ERR_SYSTEM, "out of memory");
	}
	rc = write_file_atomic(path, b.data, b.len, 0600, e);
	buf_free(&b);
	return rc;
}

/* Applies fn(path_of_r_dir, arg) to www/r/ of every complete generation. */
static int
each_generation(const struct home *h, int (*fn)(const char *r_dir, void *arg, struct err *e),
    void *arg, struct err *e)
{
	struct generations *g;
	char sites[PATH_BYTES_MAX], gen[PATH_BYTES_MAX], r[PATH_BYTES_MAX];
	size_t i;
	int rc = -1;

	if ((g = malloc(sizeof *g)) == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (generation_list(h, g, e) == -1 || home_path(h, SITES_DIR, sites, e) == -1)
		goto out;
	for (i = 0; i < g->n; i++)
		if (path_join(gen, sites, g->name[i], e) == -1 ||
		    path_join(r, gen, GENERATION_WWW "/" GENERATE_RESIDENT_DIR, e) == -1 ||
		    fn(r, arg, e) == -1)
			goto out;
	rc = 0;
out:
	free(g);
	return rc;
}

static int
bundle_path(char out[PATH_BYTES_MAX], const char *r_dir, const char *login, uint32_t v,
    struct err *e)
{
	char stem[ACCESS_LOGIN_BYTES], file[ACCESS_LOGIN_BYTES + sizeof GENERATE_BUNDLE_SUFFIX];

	if (access_bundle_stem(stem, login, v) == -1)
		return err_set(e, ERR_DATA, "login too long (%s)", login);
	(void)snprintf(file, sizeof file, "%s" GENERATE_BUNDLE_SUFFIX, stem);
	return path_join(out, r_dir, file, e);
}

struct rekey_arg {
	const struct cred_rekey *rk;
	unsigned count;
};

static int
rekey_one(const char *r_dir, void *arg, struct err *e)
{
	struct rekey_arg *x = arg;
	char from[PATH_BYTES_MAX], to[PATH_BYTES_MAX], *old = NULL;
	struct buf out = BUF_INIT;
	struct err missing;
	size_t n;
	int rc = -1;

	if (bundle_path(from, r_dir, x->rk->old.login, x->rk->old_version, e) == -1 ||
	    bundle_path(to, r_dir, x->rk->now.login, x->rk->version, e) == -1)
		return -1;
	if (read_file(&old, &n, from, BUNDLE_FRAGMENT_BYTES_MAX * 2, &missing) == -1) {
		if (access(from, F_OK) == -1 && errno == ENOENT)
			return 0;   /* no bundle in this generation */
		*e = missing;
		return -1;
	}
	if (bundle_rekey(&out, old, n, &x->rk->old, &x->rk->now, e) == -1) {
		err_prefix(e, "%s", from);
		goto out;
	}
	if (write_file_atomic(to, out.data, out.len, ACCESS_PUBLIC_MODE, e) == -1)
		goto out;
	x->count++;
	rc = 0;
out:
	free(old);
	buf_free(&out);
	return rc;
}

int
access_live_rekey(const struct home *h, const struct cred_rekey *rk, unsigned *count,
    struct err *e)
{
	struct rekey_arg x = { rk, 0 };
	int rc = each_generation(h, rekey_one, &x, e);

	*count = x.count;
	return rc;
}

struct drop_arg {
	const char *login;
	uint32_t version;
};

static int
drop_one(const char *r_dir, void *arg, struct err *e)
{
	const struct drop_arg *x = arg;
	char path[PATH_BYTES_MAX];

	if (bundle_path(path, r_dir, x->login, x->version, e) == -1 ||
	    unlink_if_exists(path, e) == -1)
		return -1;
	return 0;
}

int
access_live_drop(const struct home *h, const char *login, uint32_t version, struct err *e)
{
	struct drop_arg x = { login, version };

	return each_generation(h, drop_one, &x, e);
}

/* login's key version in keys.db now: 0 when revoked or unknown. */
static int
current_version(const struct home *h, const char *login, uint32_t *v, struct err *e)
{
	char path[PATH_BYTES_MAX];
	struct db *db = NULL;
	struct db_stmt *st = NULL;
	int r, rc = -1;

	*v = 0;
	if (home_path(h, HOME_KEYS_DB, path, e) == -1 || cred_open(&db, path, e) == -1 ||
	    db_prepare(&st, db, "SELECT key_version FROM login WHERE login = ? AND revoked = 0",
	    e) == -1 || db_bind_text(st, 1, login, (size_t)-1, e) == -1 ||
	    (r = db_step(st, NULL, e)) == -1)
		goto out;
	if (r == 1)
		*v = (uint32_t)db_col_int64(st, 0);
	rc = 0;
out:
	db_finalize(st);
	db_close(db);
	return rc;
}

int
access_live_recover(const struct home *h, int *recovered, struct err *e)
{
	char path[PATH_BYTES_MAX], login[BUNDLE_LOGIN_MAX + 1], *letters, *text = NULL, *end;
	const char *p;
	unsigned long old_v, new_v;
	uint32_t cur;
	size_t n, n_login;
	int switched, rc = -1;

	*recovered = 0;
	if (home_path(h, ACCESS_PENDING, path, e) == -1)
		return -1;
	if (access(path, F_OK) == -1) {
		if (errno != ENOENT)
			return err_sys(e, "%s", path);
		return access_live_sync(h, &switched, e);
	}
	*recovered = 1;
	if (read_file(&text, &n, path, PENDING_BYTES_MAX, e) == -1)
		return -1;
	text[strcspn(text, "\n")] = '\0';
	/* "LOGIN OLD NEW LETTERS" */
	n_login = strspn(text, "abcdefghijklmnopqrstuvwxyz0123456789");
	if (n_login == 0 || n_login > BUNDLE_LOGIN_MAX || text[n_login] != ' ')
		goto damaged;
	memcpy(login, text, n_login);
	login[n_login] = '\0';
	errno = 0;
	old_v = strtoul(text + n_login + 1, &end, 10);
	if (errno != 0 || *end != ' ' || !isdigit((unsigned char)text[n_login + 1]))
		goto damaged;
	p = end + 1;
	new_v = strtoul(p, &end, 10);
	if (errno != 0 || *end != ' ' || !isdigit((unsigned char)*p) ||
	    old_v > CRED_VERSION_MAX || new_v > CRED_VERSION_MAX)
		goto damaged;
	letters = end + 1;
	if (current_version(h, login, &cur, e) == -1 || access_live_sync(h, &switched, e) == -1)
		goto out;
	access_live_kill_point("access-before-drop");
	if ((old_v != 0 && old_v != cur && access_live_drop(h, login, (uint32_t)old_v, e) == -1) ||
	    (new_v != 0 && new_v != cur && access_live_drop(h, login, (uint32_t)new_v, e) == -1))
		goto out;
	/* the change never came into force: its letters hold a dead password */
	if (cur != new_v && strcmp(letters, "-") != 0 && letters[0] == '/' &&
	    remove_tree(letters, e) == -1)
		goto out;
	rc = unlink_if_exists(path, e);
	goto out;
damaged:
	err_set(e, ERR_SYSTEM, "%s: damaged (remove it once the site is checked)", path);
out:
	if (text != NULL)
		secure_wipe(text, n);
	free(text);
	return rc;
}
