/* credentials.c — logins, passwords and data keys in keys.db. */
#include "credentials.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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
cred_prepare(struct cred_new *n, struct err *e)
{
	char raw[CRED_PASSWORD_CHARS + 1], token[BUNDLE_TOKEN_BYTES];
	size_t i, o = 0;
	int rc = -1;

	memset(n, 0, sizeof *n);
	n->k.iterations = CRED_ITERATIONS;
	if (crypto_random(n->k.data_key, sizeof n->k.data_key, e) == -1 ||
	    crypto_random(n->k.salt, sizeof n->k.salt, e) == -1 ||
	    random_text(raw, CRED_PASSWORD_CHARS, password_abc, e) == -1)
		goto out;
	for (i = 0; i < CRED_PASSWORD_CHARS; i++) {
		if (i > 0 && i % 4 == 0)
			n->out.password[o++] = '-';
		n->out.password[o++] = raw[i];
	}
	n->out.password[o] = '\0';
	/* the slow part: PBKDF2, once per person, no database */
	if (bundle_derive(n->kek, token, raw, n->k.salt, n->k.iterations, e) == -1 ||
	    crypto_sha_verifier(n->token_hash, token, e) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		secure_wipe(n, sizeof *n);
	secure_wipe(raw, sizeof raw);
	secure_wipe(token, sizeof token);
	return rc;
}

int
cred_insert(struct db *db, const char *person_id, struct cred_new *n, struct err *e)
{
	static const char sql[] =
	    "INSERT INTO login (login, person_id, data_key, salt, iterations, wrap_nonce, "
	    "wrapped_key, token_hash, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	struct db_stmt *st = NULL;
	char now[21];
	enum db_constraint c;
	int rc = -1, tries, r;

	if (strlen(person_id) > CRED_PERSON_ID_MAX)
		return err_set(e, ERR_DATA, "person id too long");
	if ((r = cred_live_login(db, person_id, NULL, e)) == -1)
		return -1;
	if (r == 1)
		return err_set(e, ERR_REFUSED, "%s already has a login; use credentials reset",
		    person_id);
	if (db_prepare(&st, db, sql, e) == -1)
		goto out;
	utc_now(now);
	for (tries = 0; tries < LOGIN_TRIES; tries++) {
		/* the login is in the wrap's AAD: a new login, a new wrap */
		if (random_text(n->k.login, CRED_LOGIN_LEN, login_abc, e) == -1 ||
		    bundle_wrap(&n->k, n->kek, e) == -1)
			goto out;
		db_reset(st);
		if (db_bind_text(st, 1, n->k.login, (size_t)-1, e) == -1 ||
		    db_bind_text(st, 2, person_id, (size_t)-1, e) == -1 ||
		    db_bind_blob(st, 3, n->k.data_key, sizeof n->k.data_key, e) == -1 ||
		    db_bind_blob(st, 4, n->k.salt, sizeof n->k.salt, e) == -1 ||
		    db_bind_int64(st, 5, n->k.iterations, e) == -1 ||
		    db_bind_blob(st, 6, n->k.wrap_nonce, sizeof n->k.wrap_nonce, e) == -1 ||
		    db_bind_blob(st, 7, n->k.wrapped_key, sizeof n->k.wrapped_key, e) == -1 ||
		    db_bind_text(st, 8, n->token_hash, (size_t)-1, e) == -1 ||
		    db_bind_text(st, 9, now, (size_t)-1, e) == -1)
			goto out;
		c = DB_OK;
		r = db_step(st, &c, e);
		if (r == 0)
			break;
		if (c != DB_UNIQUE)   /* a login already taken: draw again */
			goto out;
	}
	if (tries == LOGIN_TRIES) {
		err_set(e, ERR_INTERNAL, "no free login after %d tries", LOGIN_TRIES);
		goto out;
	}
	(void)snprintf(n->out.login, sizeof n->out.login, "%s", n->k.login);
	rc = 0;
out:
	db_finalize(st);   /* the statement's bound blobs go with it */
	secure_wipe(&n->k, sizeof n->k);
	secure_wipe(n->kek, sizeof n->kek);
	if (rc == -1)
		secure_wipe(&n->out, sizeof n->out);
	return rc;
}

int
cred_issue(struct db *db, const char *person_id, struct cred_issued *out, struct err *e)
{
	struct cred_new n;
	int rc = -1;

	if (cred_prepare(&n, e) == 0 && cred_insert(db, person_id, &n, e) == 0) {
		*out = n.out;
		rc = 0;
	}
	secure_wipe(&n, sizeof n);
	return rc;
}

/* ---- many at once: a pool of threads over cred_prepare ---------------- */

struct pool {
	struct cred_new *v;
	size_t n;
	atomic_size_t next, done;
	atomic_int failed;
	struct err e;                /* the first failure (under lock) */
	pthread_mutex_t lock;
};

static void *
pool_run(void *arg)
{
	struct pool *p = arg;
	struct err e;
	size_t i;

	err_clear(&e);
	while (!atomic_load(&p->failed) && (i = atomic_fetch_add(&p->next, 1)) < p->n) {
		if (cred_prepare(&p->v[i], &e) == -1) {
			(void)pthread_mutex_lock(&p->lock);
			if (!atomic_exchange(&p->failed, 1))
				p->e = e;
			(void)pthread_mutex_unlock(&p->lock);
			break;
		}
		atomic_fetch_add(&p->done, 1);
	}
	return NULL;
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	(void)clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
show_progress(FILE *f, size_t done, size_t n, double s, int last)
{
	double rate = s > 0 ? (double)done / s : 0;
	double left = rate > 0 ? (double)(n - done) / rate : 0;

	(void)fprintf(f, "\rczynsze: passwords %zu/%zu, %.1f/s, %s %.0f s   %s", done, n, rate,
	    last ? "took" : "left about", last ? s : left, last ? "\n" : "");
	(void)fflush(f);
}

int
cred_prepare_all(struct cred_new *v, size_t n, unsigned jobs, FILE *progress,
    struct err *e)
{
	struct pool p;
	pthread_t t[CRED_JOBS_MAX];
	struct timespec t0, tick = { 0, 250 * 1000 * 1000 };
	unsigned k, started = 0;
	int rc = -1;

	if (n == 0)
		return 0;
	if (jobs < 1)
		jobs = 1;
	if (jobs > CRED_JOBS_MAX)
		jobs = CRED_JOBS_MAX;
	if ((size_t)jobs > n)
		jobs = (unsigned)n;
	memset(&p, 0, sizeof p);
	p.v = v;
	p.n = n;
	atomic_init(&p.next, 0);
	atomic_init(&p.done, 0);
	atomic_init(&p.failed, 0);
	err_clear(&p.e);
	if (pthread_mutex_init(&p.lock, NULL) != 0)
		return err_set(e, ERR_SYSTEM, "pthread_mutex_init failed");
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	for (k = 0; k < jobs; k++) {
		if (pthread_create(&t[k], NULL, pool_run, &p) != 0) {
			atomic_store(&p.failed, 1);
			err_set(&p.e, ERR_SYSTEM, "cannot start a thread");
			break;
		}
		started++;
	}
	if (progress != NULL)
		while (atomic_load(&p.done) < n && !atomic_load(&p.failed) && started == jobs) {
			show_progress(progress, atomic_load(&p.done), n, seconds_since(&t0), 0);
			(void)nanosleep(&tick, NULL);
		}
	for (k = 0; k < started; k++)
		(void)pthread_join(t[k], NULL);
	if (atomic_load(&p.failed)) {
		*e = p.e;
		goto out;
	}
	if (progress != NULL)
		show_progress(progress, n, n, seconds_since(&t0), 1);
	rc = 0;
out:
	(void)pthread_mutex_destroy(&p.lock);
	if (rc == -1)
		secure_wipe(v, n * sizeof *v);
	return rc;
}

int
cred_prepare_load(struct db_stmt **out, struct db *db, struct err *e)
{
	return db_prepare(out, db,
	    "SELECT login, data_key, salt, iterations, wrap_nonce, wrapped_key, key_version "
	    "FROM login WHERE person_id = ? AND revoked = 0", e);
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
    uint32_t *version, struct err *e)
{
	const char *login;
	int64_t it, v;
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
	v = db_col_int64(st, 6);
	if (login == NULL || strlen(login) > BUNDLE_LOGIN_MAX || it < BUNDLE_ITERATIONS_MIN ||
	    it > BUNDLE_ITERATIONS_MAX || v < 1 || v > CRED_VERSION_MAX) {
		err_set(e, ERR_DATA, "keys.db: bad login row for %s", person_id);
		goto out;
	}
	(void)snprintf(k->login, sizeof k->login, "%s", login);
	k->iterations = (uint32_t)it;
	if (version != NULL)
		*version = (uint32_t)v;
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
cred_reset(struct db *db, const char *person_id, struct cred_issued *out,
    struct cred_rekey *rk, struct err *e)
{
	struct db_stmt *load = NULL, *st = NULL;
	char hash[CRYPTO_SSHA_BYTES], now[21];
	int rc = -1, r;

	memset(rk, 0, sizeof *rk);
	if (cred_prepare_load(&load, db, e) == -1 ||
	    (r = cred_load_keys(load, person_id, &rk->old, &rk->old_version, e)) == -1)
		goto out;
	if (r == 0) {
		err_set(e, ERR_DATA, "%s has no login; use credentials issue", person_id);
		goto out;
	}
	if (rk->old_version >= CRED_VERSION_MAX) {
		err_set(e, ERR_DATA, "%s: too many resets", person_id);
		goto out;
	}
	/* A new data key: whoever kept the old one (a stolen letter) opens
	 * nothing sealed from now on. */
	rk->now = rk->old;
	rk->version = rk->old_version + 1;
	if (crypto_random(rk->now.data_key, sizeof rk->now.data_key, e) == -1 ||
	    new_password(&rk->now, hash, out, e) == -1)
		goto out;
	utc_now(now);
	if (db_prepare(&st, db, "UPDATE login SET data_key = ?, salt = ?, iterations = ?, "
	    "wrap_nonce = ?, wrapped_key = ?, token_hash = ?, issued_at = ?, key_version = ? "
	    "WHERE login = ? AND revoked = 0", e) == -1 ||
	    db_bind_blob(st, 1, rk->now.data_key, sizeof rk->now.data_key, e) == -1 ||
	    db_bind_blob(st, 2, rk->now.salt, sizeof rk->now.salt, e) == -1 ||
	    db_bind_int64(st, 3, rk->now.iterations, e) == -1 ||
	    db_bind_blob(st, 4, rk->now.wrap_nonce, sizeof rk->now.wrap_nonce, e) == -1 ||
	    db_bind_blob(st, 5, rk->now.wrapped_key, sizeof rk->now.wrapped_key, e) == -1 ||
	    db_bind_text(st, 6, hash, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 7, now, (size_t)-1, e) == -1 ||
	    db_bind_int64(st, 8, rk->version, e) == -1 ||
	    db_bind_text(st, 9, rk->now.login, (size_t)-1, e) == -1 ||
	    db_step(st, NULL, e) != 0)
		goto out;
	if (db_changes(db) != 1) {
		err_set(e, ERR_INTERNAL, "reset of %s changed %lld rows", person_id,
		    (long long)db_changes(db));
		goto out;
	}
	rc = 0;
out:
	if (rc == -1) {
		secure_wipe(out, sizeof *out);
		secure_wipe(rk, sizeof *rk);
	}
	db_finalize(load);
	db_finalize(st);   /* the statement's bound blobs go with it */
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
