/* access.c — bundles, htpasswd and salt shards from keys.db (see access.h). */
#include "access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* bundle_seal (old NULL) or bundle_reseal for the person's keys. */
static int
seal(struct access *a, const char *person_id, const struct bundle_head *h,
    const void *fragment, size_t n, const void *old, size_t old_n, struct buf *bundle_out,
    char login_out[ACCESS_LOGIN_BYTES], struct err *e)
{
	struct bundle_keys k;
	int r;

	buf_reset(bundle_out);
	login_out[0] = '\0';
	r = cred_load_keys(a->load, person_id, &k, e);
	if (r != 1)
		return r;
	if ((old == NULL ? bundle_seal(bundle_out, &k, h, fragment, n, e) :
	    bundle_reseal(bundle_out, &k, h, old, old_n, e)) == -1) {
		secure_wipe(&k, sizeof k);
		return err_prefix(e, "%s", person_id);
	}
	(void)snprintf(login_out, ACCESS_LOGIN_BYTES, "%s", k.login);
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
access_resident_tag(struct access *a, const char *person_id, const void *input, size_t n,
    unsigned char tag_out[ACCESS_TAG_BYTES], char login_out[ACCESS_LOGIN_BYTES],
    struct err *e)
{
	static const char label[] = "czynsze v1 generate tag";
	struct bundle_keys k;
	struct buf msg = BUF_INIT;
	unsigned char it[4];
	int r, rc = -1;

	login_out[0] = '\0';
	r = cred_load_keys(a->load, person_id, &k, e);
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
	(void)snprintf(login_out, ACCESS_LOGIN_BYTES, "%s", k.login);
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

/* v sorted by login.  One file per two-character prefix, and "_". */
static int
write_htpasswd(const char *dir, const struct entry *v, size_t n, struct err *e)
{
	char path[PATH_BYTES_MAX], name[ACCESS_HTPASSWD_PREFIX + 1];
	struct buf b = BUF_INIT, all = BUF_INIT;
	size_t i = 0, x, y, k = sizeof prefix_abc - 1;
	int rc = -1;

	if (mkdir_p(dir, 0750, e) == -1)
		return -1;
	/* Apache's one file (apache_conf.h) */
	for (x = 0; x < n; x++)
		if (buf_printf(&all, "%s:%s\n", v[x].login, v[x].verifier) == -1) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
	if (path_join(path, dir, ACCESS_HTPASSWD_ALL, e) == -1 ||
	    write_file_if_changed(path, all.len > 0 ? all.data : "", all.len, 0640, FS_SYNC, e) == -1)
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
			if (path_join(path, dir, name, e) == -1 ||
			    write_file_if_changed(path, b.len > 0 ? b.data : "", b.len, 0640,
			    FS_SYNC, e) == -1)
				goto out;
		}
	}
	if (i != n) {   /* cannot happen: logins are [a-z0-9]{2,}, sorted */
		err_set(e, ERR_INTERNAL, "htpasswd: login %s fits no file", v[i].login);
		goto out;
	}
	if (path_join(path, dir, "_", e) == -1 ||
	    write_file_if_changed(path, "", 0, 0640, FS_SYNC, e) == -1)
		goto out;
	rc = 0;
out:
	buf_free(&b);
	buf_free(&all);
	return rc;
}

static int
write_shards(const char *site_dir, const struct entry *v, size_t n, struct err *e)
{
	char dir[PATH_BYTES_MAX], path[PATH_BYTES_MAX], name[8];
	struct buf b = BUF_INIT;
	struct json j;
	size_t i = 0;
	unsigned s;
	int rc = -1;

	if (path_join(dir, site_dir, "auth", e) == -1 || mkdir_p(dir, 0755, e) == -1)
		return -1;
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
			json_object_end(&j);
		}
		json_object_end(&j);
		if (json_finish(&j) == -1 || buf_addc(&b, '\n') == -1) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
		memcpy(name + 2, ".json", 6);
		if (path_join(path, dir, name, e) == -1 ||
		    write_file_if_changed(path, b.data, b.len, 0644, FS_SYNC, e) == -1)
			goto out;
	}
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

int
access_write_files(struct access *a, const char *site_dir, const char *htpasswd_dir,
    struct err *e)
{
	struct db_stmt *st = NULL;
	struct entry *v = NULL, *grown;
	unsigned char h[CRYPTO_SHA256_BYTES];
	const char *login, *hash;
	const void *salt;
	size_t n = 0, cap = 0, salt_n;
	int r, rc = -1;

	if (db_prepare(&st, a->db, "SELECT login, salt, iterations, token_hash FROM login "
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
		(void)snprintf(v[n].login, sizeof v[n].login, "%s", login);
		(void)snprintf(v[n].verifier, sizeof v[n].verifier, "%s", hash);
		n++;
	}
	if (r == -1)
		goto out;
	/* Rows come sorted by login (ORDER BY, binary collation). */
	if (write_htpasswd(htpasswd_dir, v, n, e) == -1)
		goto out;
	if (n > 0)
		qsort(v, n, sizeof *v, by_hash);
	if (write_shards(site_dir, v, n, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(st);
	free(v);
	return rc;
}
