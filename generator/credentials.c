/* credentials.c — logins, passwords and data keys in keys.db. */
#include "credentials.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "fsutil.h"
#include "secure.h"

static const char login_abc[] = "23456789abcdefghjkmnpqrstuvwxyz";
static const char password_abc[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
#define ABC_N 31u
/* Bytes below this are used (mod 31), others redrawn: no modulo bias. */
#define ABC_LIMIT (256u - 256u % ABC_N)
#define LOGIN_TRIES 16

/* n uniformly random characters of abc (31 symbols) into out, NUL-ended. */
static int
random_text(char *out, size_t n, const char *abc, struct err *e)
{
	unsigned char pool[64];
	size_t o = 0, i;

	while (o < n) {
		if (crypto_random(pool, sizeof pool, e) == -1)
			goto fail;
		for (i = 0; i < sizeof pool && o < n; i++)
			if (pool[i] < ABC_LIMIT)
				out[o++] = abc[pool[i] % ABC_N];
	}
	out[o] = '\0';
	secure_wipe(pool, sizeof pool);
	return 0;
fail:
	secure_wipe(pool, sizeof pool);
	secure_wipe(out, o);
	return -1;
}

int
cred_open(struct db **out, const char *path, struct err *e)
{
	struct db *db = NULL;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1)
		return err_sys(e, "%s", path);
	if (fchmod(fd, 0600) == -1) {
		err_sys(e, "chmod %s", path);
		(void)close(fd);
		return -1;
	}
	if (close(fd) == -1)
		return err_sys(e, "close %s", path);
	if (db_open(&db, path, DB_READWRITE, e) == -1)
		return -1;
	if (db_migrate_list(db, keys_migrations, keys_migrations_count, 0, e) == -1) {
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

int
cred_live_login(struct db *db, const char *person_id, char login[BUNDLE_LOGIN_MAX + 1],
    struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = -1, r;

	if (db_prepare(&st, db, "SELECT login FROM login WHERE person_id = ? AND revoked = 0",
	    e) == -1 || db_bind_text(st, 1, person_id, (size_t)-1, e) == -1)
		goto out;
	if ((r = db_step(st, NULL, e)) == -1)
		goto out;
	if (r == 1 && login != NULL)
		(void)snprintf(login, BUNDLE_LOGIN_MAX + 1, "%s", db_col_text(st, 0));
	rc = r;
out:
	db_finalize(st);
	return rc;
}

/* For k (login and data key set): a fresh salt and password, the wrap of
 * the data key under the password's KEK, and the token's verifier. */
static int
new_password(struct bundle_keys *k, char token_hash[CRYPTO_SSHA_BYTES],
    struct cred_issued *out, struct err *e)
{
	char raw[CRED_PASSWORD_CHARS + 1], token[BUNDLE_TOKEN_BYTES];
	unsigned char kek[CRYPTO_KEY_BYTES];
	size_t i, o = 0;
	int rc = -1;

	k->iterations = CRED_ITERATIONS;
	if (crypto_random(k->salt, sizeof k->salt, e) == -1 ||
	    random_text(raw, CRED_PASSWORD_CHARS, password_abc, e) == -1)
		goto out;
	for (i = 0; i < CRED_PASSWORD_CHARS; i++) {
		if (i > 0 && i % 4 == 0)
			out->password[o++] = '-';
		out->password[o++] = raw[i];
	}
	out->password[o] = '\0';
	(void)snprintf(out->login, sizeof out->login, "%s", k->login);
	if (bundle_derive(kek, token, raw, k->salt, k->iterations, e) == -1 ||
	    bundle_wrap(k, kek, e) == -1 || crypto_sha_verifier(token_hash, token, e) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		secure_wipe(out, sizeof *out);
	secure_wipe(raw, sizeof raw);
	secure_wipe(token, sizeof token);
	secure_wipe(kek, sizeof kek);
	return rc;
}

int
cred_issue(struct db *db, const char *person_id, struct cred_issued *out, struct err *e)
{
	static const char sql[] =
	    "INSERT INTO login (login, person_id, data_key, salt, iterations, wrap_nonce, "
	    "wrapped_key, token_hash, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	struct db_stmt *st = NULL;
	struct bundle_keys k;
	char hash[CRYPTO_SSHA_BYTES], now[21];
	enum db_constraint c;
	int rc = -1, tries, r;

	memset(&k, 0, sizeof k);
	if (strlen(person_id) > CRED_PERSON_ID_MAX)
		return err_set(e, ERR_DATA, "person id too long");
	if ((r = cred_live_login(db, person_id, NULL, e)) == -1)
		return -1;
	if (r == 1)
		return err_set(e, ERR_REFUSED, "%s already has a login; use credentials reset",
		    person_id);
	if (crypto_random(k.data_key, sizeof k.data_key, e) == -1 ||
	    db_prepare(&st, db, sql, e) == -1)
		goto out;
	utc_now(now);
	for (tries = 0; tries < LOGIN_TRIES; tries++) {
		if (random_text(k.login, CRED_LOGIN_LEN, login_abc, e) == -1 ||
		    new_password(&k, hash, out, e) == -1)
			goto out;
		db_reset(st);
		if (db_bind_text(st, 1, k.login, (size_t)-1, e) == -1 ||
		    db_bind_text(st, 2, person_id, (size_t)-1, e) == -1 ||
		    db_bind_blob(st, 3, k.data_key, sizeof k.data_key, e) == -1 ||
		    db_bind_blob(st, 4, k.salt, sizeof k.salt, e) == -1 ||
		    db_bind_int64(st, 5, k.iterations, e) == -1 ||
		    db_bind_blob(st, 6, k.wrap_nonce, sizeof k.wrap_nonce, e) == -1 ||
		    db_bind_blob(st, 7, k.wrapped_key, sizeof k.wrapped_key, e) == -1 ||
		    db_bind_text(st, 8, hash, (size_t)-1, e) == -1 ||
		    db_bind_text(st, 9, now, (size_t)-1, e) == -1)
			goto out;
		c = DB_OK;
		r = db_step(st, &c, e);
		if (r == 0)
			break;
		secure_wipe(out, sizeof *out);
		if (c != DB_UNIQUE)   /* a login already taken: draw again */
			goto out;
	}
	if (tries == LOGIN_TRIES) {
		err_set(e, ERR_INTERNAL, "no free login after %d tries", LOGIN_TRIES);
		goto out;
	}
	rc = 0;
out:
	db_finalize(st);   /* the statement's bound blobs go with it */
	secure_wipe(&k, sizeof k);
	return rc;
}

int
cred_prepare_load(struct db_stmt **out, struct db *db, struct err *e)
{
	return db_prepare(out, db,
	    "SELECT login, data_key, salt, iterations, wrap_nonce, wrapped_key FROM login "
	    "WHERE person_id = ? AND revoked = 0", e);
}

static int
blob(unsigned char *to, size_t want, struct db_stmt *st, int col, const char *what,
    struct err *e)
{
	const void *p;
	size_t n;

	p = db_col_blob(st, col, &n);
	if (p == NULL || n != want)
		return err_set(e, ERR_DATA, "keys.db: %s has %zu bytes, not %zu", what, n, want);
	memcpy(to, p, n);
	return 0;
}

int
cred_load_keys(struct db_stmt *st, const char *person_id, struct bundle_keys *k,
    struct err *e)
{
	const char *login;
	int64_t it;
	int r, rc = -1;

	memset(k, 0, sizeof *k);
	db_reset(st);
	if (db_bind_text(st, 1, person_id, (size_t)-1, e) == -1 ||
	    (r = db_step(st, NULL, e)) == -1)
		goto out;
	if (r == 0) {
		rc = 0;
		goto out;
	}
	login = db_col_text(st, 0);
	it = db_col_int64(st, 3);
	if (login == NULL || strlen(login) > BUNDLE_LOGIN_MAX || it < BUNDLE_ITERATIONS_MIN ||
	    it > BUNDLE_ITERATIONS_MAX) {
		err_set(e, ERR_DATA, "keys.db: bad login row for %s", person_id);
		goto out;
	}
	(void)snprintf(k->login, sizeof k->login, "%s", login);
	k->iterations = (uint32_t)it;
	if (blob(k->data_key, sizeof k->data_key, st, 1, "data_key", e) == -1 ||
	    blob(k->salt, sizeof k->salt, st, 2, "salt", e) == -1 ||
	    blob(k->wrap_nonce, sizeof k->wrap_nonce, st, 4, "wrap_nonce", e) == -1 ||
	    blob(k->wrapped_key, sizeof k->wrapped_key, st, 5, "wrapped_key", e) == -1)
		goto out;
	rc = 1;
out:
	if (rc != 1)
		secure_wipe(k, sizeof *k);
	db_reset(st);
	return rc;
}

int
cred_reset(struct db *db, const char *person_id, struct cred_issued *out, struct err *e)
{
	struct db_stmt *load = NULL, *st = NULL;
	struct bundle_keys k;
	char hash[CRYPTO_SSHA_BYTES], now[21];
	int rc = -1, r;

	memset(&k, 0, sizeof k);
	if (cred_prepare_load(&load, db, e) == -1 ||
	    (r = cred_load_keys(load, person_id, &k, e)) == -1)
		goto out;
	if (r == 0) {
		err_set(e, ERR_DATA, "%s has no login; use credentials issue", person_id);
		goto out;
	}
	if (new_password(&k, hash, out, e) == -1)
		goto out;
	utc_now(now);
	if (db_prepare(&st, db, "UPDATE login SET salt = ?, iterations = ?, wrap_nonce = ?, "
	    "wrapped_key = ?, token_hash = ?, issued_at = ? WHERE login = ? AND revoked = 0",
	    e) == -1 ||
	    db_bind_blob(st, 1, k.salt, sizeof k.salt, e) == -1 ||
	    db_bind_int64(st, 2, k.iterations, e) == -1 ||
	    db_bind_blob(st, 3, k.wrap_nonce, sizeof k.wrap_nonce, e) == -1 ||
	    db_bind_blob(st, 4, k.wrapped_key, sizeof k.wrapped_key, e) == -1 ||
	    db_bind_text(st, 5, hash, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 6, now, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 7, k.login, (size_t)-1, e) == -1 ||
	    db_step(st, NULL, e) != 0)
		goto out;
	if (db_changes(db) != 1) {
		err_set(e, ERR_INTERNAL, "reset of %s changed %lld rows", person_id,
		    (long long)db_changes(db));
		goto out;
	}
	rc = 0;
out:
	if (rc == -1)
		secure_wipe(out, sizeof *out);
	db_finalize(load);
	db_finalize(st);
	secure_wipe(&k, sizeof k);
	return rc;
}

int
cred_revoke(struct db *db, const char *person_id, struct err *e)
{
	struct db_stmt *st = NULL;
	char now[21];
	int rc = -1;

	utc_now(now);
	if (db_prepare(&st, db, "UPDATE login SET revoked = 1, revoked_at = ?, "
	    "data_key = zeroblob(32), wrapped_key = zeroblob(48), token_hash = '' "
	    "WHERE person_id = ? AND revoked = 0", e) == -1 ||
	    db_bind_text(st, 1, now, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 2, person_id, (size_t)-1, e) == -1 ||
	    db_step(st, NULL, e) != 0)
		goto out;
	if (db_changes(db) != 1) {
		err_set(e, ERR_DATA, "%s has no login to revoke", person_id);
		goto out;
	}
	rc = 0;
out:
	db_finalize(st);
	return rc;
}
