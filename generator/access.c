/* access.c — bundles, htpasswd and salt shards from keys.db (see access.h). */
#include "access.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "credentials.h"
#include "crypto.h"
#include "db.h"
#include "fsutil.h"
#include "json.h"
#include "secure.h"

/* Login characters, in byte order (the order ORDER BY login gives). */
static const char prefix_abc[] = "0123456789abcdefghijklmnopqrstuvwxyz";

struct access {
	struct db *db;
	struct db_stmt *load;
};

/* One live login as the public files need it. */
struct entry {
	char login[BUNDLE_LOGIN_MAX + 1];
	char verifier[CRYPTO_SSHA_BYTES];
	char hash[CRYPTO_SHA256_BYTES * 2 + 1];
	char salt[CRYPTO_B64_LEN(BUNDLE_SALT_BYTES) + 1];
	int64_t iterations;
	int64_t version;
};

/* Where access files go: dir, and (when live is not NULL) a folder with
 * the same names whose unchanged files are hard-linked instead of
 * written.  changed counts files whose bytes differ. */
struct put {
	const char *dir;
	const char *live;
	int fresh;                  /* dir is new: write without fsync, compare with live */
	int compare_only;           /* dir is NULL: only count files that differ from live */
	mode_t mode;
	unsigned long changed;
};

int
access_open(struct access **out, const char *keys_db_path, struct err *e)
{
	struct access *a;

	if ((a = calloc(1, sizeof *a)) == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (cred_open(&a->db, keys_db_path, e) == -1 ||
	    cred_prepare_load(&a->load, a->db, e) == -1) {
		access_close(a);
		return -1;
	}
	*out = a;
	return 0;
}

void
access_close(struct access *a)
{
	if (a == NULL)
		return;
	db_finalize(a->load);
	db_close(a->db);
	free(a);
}

int
access_bundle_stem(char out[ACCESS_LOGIN_BYTES], const char *login, uint32_t version)
{
	int n = version <= 1 ? snprintf(out, ACCESS_LOGIN_BYTES, "%s", login) :
	    snprintf(out, ACCESS_LOGIN_BYTES, "%s.%" PRIu32, login, version);

	return n < 0 || (size_t)n >= ACCESS_LOGIN_BYTES ? -1 : 0;
}

/* bundle_seal (old NULL) or bundle_reseal for the person's keys. */
static int
seal(struct access *a, const char *person_id, const struct bundle_head *h,
    const void *fragment, size_t n, const void *old, size_t old_n, struct buf *bundle_out,
    char login_out[ACCESS_LOGIN_BYTES], struct err *e)
{
	struct bundle_keys k;
	uint32_t v;
	int r;

	buf_reset(bundle_out);
	login_out[0] = '\0';
	r = cred_load_keys(a->load, person_id, &k, &v, e);
	if (r != 1)
		return r;
	if ((old == NULL ? bundle_seal(bundle_out, &k, h, fragment, n, e) :
	    bundle_reseal(bundle_out, &k, h, old, old_n, e)) == -1) {
		secure_wipe(&k, sizeof k);
		return err_prefix(e, "%s", person_id);
	}
	(void)access_bundle_stem(login_out, k.login, v);
	secure_wipe(&k, sizeof k);
	return 1;
}

int
access_seal_resident(struct access *a, const char *person_id, const struct bundle_head *h,
    const void *fragment, size_t n, struct buf *bundle_out,
    char login_out[ACCESS_LOGIN_BYTES], struct err *e)
{
	return seal(a, person_id, h, fragment, n, NULL, 0, bundle_out, login_out, e);
}

int
access_reseal_resident(struct access *a, const char *person_id, const struct bundle_head *h,
    const void *old, size_t old_n, struct buf *bundle_out,
    char login_out[ACCESS_LOGIN_BYTES], struct err *e)
{
	return seal(a, person_id, h, NULL, 0, old, old_n, bundle_out, login_out, e);
}

int
access_load_keys(struct access *a, const char *person_id, struct bundle_keys *k,
    char stem_out[ACCESS_LOGIN_BYTES], struct err *e)
{
	uint32_t v;
	int r;

	stem_out[0] = '\0';
	r = cred_load_keys(a->load, person_id, k, &v, e);
	if (r != 1)
		return r;
	if (access_bundle_stem(stem_out, k->login, v) == -1) {
		secure_wipe(k, sizeof *k);
		return err_set(e, ERR_DATA, "%s: login too long", person_id);
	}
	return 1;
}

int
access_resident_tag(struct access *a, const char *person_id, const void *input, size_t n,
    unsigned char tag_out[ACCESS_TAG_BYTES], char login_out[ACCESS_LOGIN_BYTES],
    struct err *e)
{
	static const char label[] = "czynsze v1 generate tag";
	struct bundle_keys k;
	struct buf msg = BUF_INIT;
	unsigned char it[4];
	uint32_t v;
	int r, rc = -1;

	login_out[0] = '\0';
	r = cred_load_keys(a->load, person_id, &k, &v, e);
	if (r != 1)
		return r;
	it[0] = (unsigned char)(k.iterations >> 24);
	it[1] = (unsigned char)(k.iterations >> 16);
	it[2] = (unsigned char)(k.iterations >> 8);
	it[3] = (unsigned char)k.iterations;
	/* everything bundle_seal takes from the keys, the key itself as the
	 * HMAC key; the login NUL-terminated so that it cannot run into the
	 * rest */
	if (buf_add(&msg, label, sizeof label) == -1 ||
	    buf_add(&msg, k.login, strlen(k.login) + 1) == -1 ||
	    buf_add(&msg, it, sizeof it) == -1 ||
	    buf_add(&msg, k.salt, sizeof k.salt) == -1 ||
	    buf_add(&msg, k.wrap_nonce, sizeof k.wrap_nonce) == -1 ||
	    buf_add(&msg, k.wrapped_key, sizeof k.wrapped_key) == -1 ||
	    buf_add(&msg, input, n) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (crypto_hmac_sha256(tag_out, k.data_key, sizeof k.data_key, msg.data, msg.len,
	    e) == -1)
		goto out;
	(void)access_bundle_stem(login_out, k.login, v);
	rc = 1;
out:
	secure_wipe(&k, sizeof k);
	buf_free(&msg);
	return rc;
}

/* [a-z0-9], 2..BUNDLE_LOGIN_MAX characters: the htpasswd file names and
 * the nginx map rely on it. */
static int
login_fits(const char *login)
{
	size_t n = strlen(login);

	return n >= ACCESS_HTPASSWD_PREFIX && n <= BUNDLE_LOGIN_MAX &&
	    strspn(login, prefix_abc) == n;
}

static int
by_hash(const void *x, const void *y)
{
	return strcmp(((const struct entry *)x)->hash, ((const struct entry *)y)->hash);
}

/* Writes dir/name unless it already holds exactly data; with p->live, a
 * file whose bytes equal live/name's is that file hard-linked. */
/* 1 when path is a readable file holding exactly data[0..n). */
static int
file_holds(const char *path, const char *data, size_t n)
{
	struct err ignored;
	char *old = NULL;
	size_t old_n = 0;
	int same = read_file(&old, &old_n, path, n + 1, &ignored) == 0 && old_n == n &&
	    memcmp(old, data, n) == 0;

	free(old);
	return same;
}

static int
put_file(struct put *p, const char *name, const char *data, size_t n, struct err *e)
{
	char path[PATH_BYTES_MAX], from[PATH_BYTES_MAX];
	int r;

	if (p->compare_only) {
		if (path_join(from, p->live, name, e) == -1)
			return -1;
		p->changed += file_holds(from, data, n) ? 0 : 1;
		return 0;
	}
	if (path_join(path, p->dir, name, e) == -1 ||
	    path_join(from, p->live != NULL ? p->live : p->dir, name, e) == -1)
		return -1;
	if (!p->fresh) {
		if ((r = write_file_if_changed(path, data, n, p->mode, FS_SYNC, e)) == -1)
			return -1;
		p->changed += (unsigned long)r;
		return 0;
	}
	if (p->live != NULL && file_holds(from, data, n)) {
		if (link(from, path) == -1)
			return err_sys(e, "link %s to %s", from, path);
		return 0;
	}
	p->changed++;
	/* a fresh folder, made durable as a whole by the caller */
	return write_file_atomic_nosync(path, data, n, p->mode, e);
}


/* v sorted by login.  One file per two-character prefix, and "_". */
static int
write_htpasswd(struct put *p, const struct entry *v, size_t n, struct err *e)
{
	char name[ACCESS_HTPASSWD_PREFIX + 1];
	struct buf b = BUF_INIT, all = BUF_INIT;
	size_t i = 0, x, y, k = sizeof prefix_abc - 1;
	int rc = -1;

	if (!p->compare_only && mkdir_p(p->dir, ACCESS_HTPASSWD_DIR_MODE, e) == -1)
		return -1;
	p->mode = ACCESS_HTPASSWD_MODE;
	/* Apache's one file (apache_conf.h) */
	for (x = 0; x < n; x++)
		if (buf_printf(&all, "%s:%s\n", v[x].login, v[x].verifier) == -1) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
	if (put_file(p, ACCESS_HTPASSWD_ALL, all.len > 0 ? all.data : "", all.len, e) == -1)
		goto out;
	for (x = 0; x < k; x++) {
		for (y = 0; y < k; y++) {
			name[0] = prefix_abc[x];
			name[1] = prefix_abc[y];
			name[2] = '\0';
			buf_reset(&b);
			for (; i < n && strncmp(v[i].login, name, 2) == 0; i++)
				if (buf_printf(&b, "%s:%s\n", v[i].login, v[i].verifier) == -1) {
					err_set(e, ERR_SYSTEM, "out of memory");
					goto out;
				}
			if (put_file(p, name, b.len > 0 ? b.data : "", b.len, e) == -1)
				goto out;
		}
	}
	if (i != n) {   /* cannot happen: logins are [a-z0-9]{2,}, sorted */
		err_set(e, ERR_INTERNAL, "htpasswd: login %s fits no file", v[i].login);
		goto out;
	}
	if (put_file(p, "_", "", 0, e) == -1)
		goto out;
	rc = 0;
out:
	buf_free(&b);
	buf_free(&all);
	return rc;
}

static int
write_shards(struct put *p, const struct entry *v, size_t n, struct err *e)
{
	char name[8];
	struct buf b = BUF_INIT;
	struct json j;
	size_t i = 0;
	unsigned s;
	int rc = -1;

	if (!p->compare_only && mkdir_p(p->dir, ACCESS_PUBLIC_DIR_MODE, e) == -1)
		return -1;
	p->mode = ACCESS_PUBLIC_MODE;
	for (s = 0; s < ACCESS_SHARDS; s++) {
		buf_reset(&b);
		json_init(&j, &b, 0);
		json_object_begin(&j);
		crypto_hex(name, (const unsigned char[]){ (unsigned char)s }, 1);
		for (; i < n && strncmp(v[i].hash, name, 2) == 0; i++) {
			json_key(&j, v[i].hash);
			json_object_begin(&j);
			json_kv_string(&j, "salt", v[i].salt);
			json_kv_int(&j, "iterations", v[i].iterations);
			if (v[i].version > 1)
				json_kv_int(&j, "v", v[i].version);
			json_object_end(&j);
		}
		json_object_end(&j);
		if (json_finish(&j) == -1 || buf_addc(&b, '\n') == -1) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
		memcpy(name + 2, ".json", 6);
		if (put_file(p, name, b.data, b.len, e) == -1)
			goto out;
	}
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

static int
write_all(struct access *a, struct put *shards, struct put *ht, struct err *e)
{
	struct db_stmt *st = NULL;
	struct entry *v = NULL, *grown;
	unsigned char h[CRYPTO_SHA256_BYTES];
	const char *login, *hash;
	const void *salt;
	size_t n = 0, cap = 0, salt_n;
	int r, rc = -1;

	if (db_prepare(&st, a->db, "SELECT login, salt, iterations, token_hash, key_version FROM login "
	    "WHERE revoked = 0 ORDER BY login", e) == -1)
		goto out;
	while ((r = db_step(st, NULL, e)) == 1) {
		login = db_col_text(st, 0);
		salt = db_col_blob(st, 1, &salt_n);
		hash = db_col_text(st, 3);
		if (login == NULL || hash == NULL || salt == NULL ||
		    salt_n != BUNDLE_SALT_BYTES || (strncmp(hash, "{SHA}", 5) != 0 && strncmp(hash, "{SSHA}", 6) != 0) ||
		    strlen(hash) >= CRYPTO_SSHA_BYTES || !login_fits(login)) {
			err_set(e, ERR_DATA, "keys.db: damaged row for login %s",
			    login != NULL ? login : "(null)");
			goto out;
		}
		if ((grown = array_grow(v, &cap, n + 1, sizeof *v, 256)) == NULL) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
		v = grown;
		if (crypto_sha256(h, login, strlen(login), e) == -1)
			goto out;
		crypto_hex(v[n].hash, h, sizeof h);
		crypto_base64(v[n].salt, salt, salt_n, 1);
		v[n].iterations = db_col_int64(st, 2);
		v[n].version = db_col_int64(st, 4);
		(void)snprintf(v[n].login, sizeof v[n].login, "%s", login);
		(void)snprintf(v[n].verifier, sizeof v[n].verifier, "%s", hash);
		n++;
	}
	if (r == -1)
		goto out;
	/* Rows come sorted by login (ORDER BY, binary collation). */
	if (write_htpasswd(ht, v, n, e) == -1)
		goto out;
	if (n > 0)
		qsort(v, n, sizeof *v, by_hash);
	if (write_shards(shards, v, n, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(st);
	free(v);
	return rc;
}

int
access_write_files(struct access *a, const char *site_dir, const char *htpasswd_dir,
    struct err *e)
{
	char auth[PATH_BYTES_MAX];
	struct put shards = { .dir = NULL }, ht = { .dir = htpasswd_dir };

	if (path_join(auth, site_dir, ACCESS_AUTH, e) == -1)
		return -1;
	shards.dir = auth;
	return write_all(a, &shards, &ht, e);
}

int
access_write_dir(struct access *a, const char *dir, const char *live, unsigned long *changed,
    struct err *e)
{
	char auth[PATH_BYTES_MAX], ht[PATH_BYTES_MAX];
	char live_auth[PATH_BYTES_MAX], live_ht[PATH_BYTES_MAX];
	struct put shards = { .fresh = 1 }, hp = { .fresh = 1 };

	*changed = 0;
	if (path_join(auth, dir, ACCESS_AUTH, e) == -1 ||
	    path_join(ht, dir, ACCESS_HTPASSWD, e) == -1 ||
	    (live != NULL && (path_join(live_auth, live, ACCESS_AUTH, e) == -1 ||
	    path_join(live_ht, live, ACCESS_HTPASSWD, e) == -1)))
		return -1;
	shards.dir = auth;
	hp.dir = ht;
	if (live != NULL) {
		shards.live = live_auth;
		hp.live = live_ht;
	}
	if (write_all(a, &shards, &hp, e) == -1)
		return -1;
	*changed = shards.changed + hp.changed;
	return 0;
}

int
access_compare_dir(struct access *a, const char *live, unsigned long *changed, struct err *e)
{
	char live_auth[PATH_BYTES_MAX], live_ht[PATH_BYTES_MAX];
	struct put shards = { .compare_only = 1 }, hp = { .compare_only = 1 };

	*changed = 0;
	if (path_join(live_auth, live, ACCESS_AUTH, e) == -1 ||
	    path_join(live_ht, live, ACCESS_HTPASSWD, e) == -1)
		return -1;
	shards.live = live_auth;
	hp.live = live_ht;
	if (write_all(a, &shards, &hp, e) == -1)
		return -1;
	*changed = shards.changed + hp.changed;
	return 0;
}
