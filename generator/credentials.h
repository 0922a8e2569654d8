/*
 * credentials.h — residents' logins in HOME/keys.db: issue, reset, revoke.
 *
 * keys.db (schema/keys/) is created owner-only (0600) and migrated with
 * keys_migrations.  It never holds a password: an issue or reset generates
 * one, derives from it (bundle_derive) the KEK, which wraps the data key,
 * and the auth token, of which only the {SSHA} verifier is kept, and hands
 * the password to the caller, who prints it once and wipes it.
 *
 * Logins: CRED_LOGIN_LEN characters from a look-alike-free lower-case
 * alphabet (no 0 o 1 l i), random (CSPRNG), unique, unrelated to anything in
 * the register.  Passwords: CRED_PASSWORD_CHARS characters from the upper-case
 * alphabet "23456789ABCDEFGHJKMNPQRSTUVWXYZ" (31 symbols, 4.95 bits each:
 * 99 bits), shown in groups of four: K7QM-4XZP-9HCE-WTRF-N2AB.
 *
 * Ownership: struct cred_issued holds the password; wipe it with
 * secure_wipe(p, sizeof *p).  Functions that change keys.db run inside the
 * caller's transaction (db_begin/db_commit), so a batch is all or nothing.
 */
#ifndef CZYNSZE_CREDENTIALS_H
#define CZYNSZE_CREDENTIALS_H

#include <stdint.h>
#include <stdio.h>

#include "bundle.h"
#include "db.h"
#include "err.h"

#define CRED_LOGIN_LEN 10
#define CRED_PASSWORD_CHARS 20
/* 20 characters and 4 dashes, + NUL. */
#define CRED_PASSWORD_BYTES (CRED_PASSWORD_CHARS + CRED_PASSWORD_CHARS / 4 + 1)
#define CRED_ITERATIONS 600000u
#define CRED_PERSON_ID_MAX 64

struct cred_issued {
	char login[BUNDLE_LOGIN_MAX + 1];
	char password[CRED_PASSWORD_BYTES];   /* grouped, as printed */
};

/* Opens (creating when missing, mode 0600, and tightening an existing
 * file to 0600) and migrates keys.db at path. */
int cred_open(struct db **out, const char *path, struct err *e);

/* 1 when person_id has a live login (its name into login, may be NULL),
 * 0 when not, -1 on error. */
int cred_live_login(struct db *db, const char *person_id,
    char login[BUNDLE_LOGIN_MAX + 1], struct err *e);

/* Gives person_id, who must have no live login, a new login, data key and
 * password (cred_prepare then cred_insert).  ERR_REFUSED when the person
 * already has a live login. */
int cred_issue(struct db *db, const char *person_id, struct cred_issued *out,
    struct err *e);

/* What a reset changed: the keys before and after, and the key versions
 * (the bundle is OUT/r/LOGIN.V.bin).  Holds two data keys: wipe it with
 * secure_wipe(rk, sizeof *rk). */
struct cred_rekey {
	struct bundle_keys old, now;
	uint32_t old_version, version;
};
#define CRED_VERSION_MAX 1000000000u

/*
 * Issuing many logins: the slow part (PBKDF2, ~0.3 s each) needs no
 * database and runs on every core (cred_prepare_all); the inserts then
 * run in the caller's one transaction (cred_insert), so a batch is still
 * all or nothing: a run killed while preparing has written nothing.
 * struct cred_new holds a data key, a KEK and a password: wipe it.
 */
struct cred_new {
	struct bundle_keys k;                 /* data key, salt; login set at insert */
	unsigned char kek[CRYPTO_KEY_BYTES];  /* wraps the data key (at insert) */
	char token_hash[CRYPTO_SSHA_BYTES];   /* the htpasswd verifier */
	struct cred_issued out;               /* the password; the login at insert */
};
#define CRED_JOBS_MAX 256

/* Draws a data key, salt and password and derives the KEK and verifier.
 * Thread-safe, no database. */
int cred_prepare(struct cred_new *n, struct err *e);
/* cred_prepare for v[0..n) on `jobs` threads.  With progress (a
 * terminal), a line "passwords DONE/N, RATE/s, left about S s" is
 * rewritten there four times a second.  On -1 every v[i] is wiped. */
int cred_prepare_all(struct cred_new *v, size_t n, unsigned jobs, FILE *progress,
    struct err *e);
/* Inserts a prepared login for person_id (drawing the login, wrapping the
 * data key) in the caller's transaction; n->out then holds the login and
 * password, and n's keys are wiped.  ERR_REFUSED when the person already
 * has a live login. */
int cred_insert(struct db *db, const char *person_id, struct cred_new *n, struct err *e);

/* A new password, salt, token verifier and a new random data key for
 * person_id's live login, whose key version goes up by one; the login
 * stays.  *rk tells the caller how to re-seal the published bundles
 * (bundle_rekey).  ERR_DATA when the person has no live login. */
int cred_reset(struct db *db, const char *person_id, struct cred_issued *out,
    struct cred_rekey *rk, struct err *e);

/* Marks person_id's live login revoked and destroys its keys.  ERR_DATA
 * when there is none. */
int cred_revoke(struct db *db, const char *person_id, struct err *e);

/* The keys that seal person_id's bundle: 1 and *k (and *version, the
 * key version, when not NULL) filled for a live login, 0 when there is
 * none, -1 on error (a row that fails its checks is ERR_DATA).  Wipe *k
 * after use. */
int cred_load_keys(struct db_stmt *st, const char *person_id, struct bundle_keys *k,
    uint32_t *version, struct err *e);
/* The statement cred_load_keys runs, prepared on db. */
int cred_prepare_load(struct db_stmt **out, struct db *db, struct err *e);

#endif
