/*
 * cmd_credentials.c — czynsze credentials issue|reset|revoke|list|check|seal|publish
 *
 * Passwords appear only in the letters batch (owner-only files); nothing
 * here prints or logs one.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "access.h"
#include "access_live.h"
#include "arena.h"
#include "cli.h"
#include "nightly.h"
#include "credentials.h"
#include "db.h"
#include "fsutil.h"
#include "config.h"
#include "cpus.h"
#include "generation.h"
#include "letters.h"
#include "lock.h"
#include "secure.h"
#include "site_resident.h"

static const char usage_line[] =
    "czynsze credentials issue [--letters DIR] [--site-url URL] [--jobs N]\n"
    "       czynsze credentials reset PERSON_ID [--letters DIR] [--site-url URL]\n"
    "       czynsze credentials revoke PERSON_ID\n"
    "       czynsze credentials purge [--older-than DAYS]\n"
    "       czynsze credentials list\n"
    "       czynsze credentials check LOGIN BUNDLE [--print]   (password on stdin)\n"
    "       czynsze credentials seal PERSON_ID OUT_FILE        (fragment on stdin)\n"
    "       czynsze credentials publish SITE_DIR [--htpasswd DIR]";

#define PEOPLE_MAX 1000000
#define PASSWORD_LINE_MAX 256

struct opts {
	const char *letters, *site_url, *htpasswd;
	int print;
	unsigned days;
	unsigned jobs;          /* issue: threads for the passwords */
};

struct ctx {
	struct home h;
	struct db *keys;
	struct db *reg;         /* czynsze.db, read-only */
	int lock_fd;
};

static void
ctx_close(struct ctx *x)
{
	db_close(x->keys);
	db_close(x->reg);
	lock_release(x->lock_fd);
}

static int
ctx_open(struct ctx *x, struct cli *c, int want_register, struct err *e)
{
	char path[PATH_BYTES_MAX];

	x->keys = x->reg = NULL;
	x->lock_fd = -1;
	if (home_resolve(&x->h, c->home_opt, e) == -1 ||
	    home_path(&x->h, HOME_LOCK, path, e) == -1 ||
	    /* also finishes what a killed credentials command left:
	     * HOME/access follows keys.db (access_live_recover) */
	    nightly_lock(&x->lock_fd, path, &x->h, 0, e) == -1 ||
	    home_path(&x->h, HOME_KEYS_DB, path, e) == -1 ||
	    cred_open(&x->keys, path, e) == -1)
		return -1;
	if (want_register && (home_path(&x->h, HOME_DB, path, e) == -1 ||
	    db_open(&x->reg, path, DB_READONLY, e) == -1))
		return err_prefix(e, "the register (run czynsze import first)");
	return 0;
}

/* The batch folder for letters: --letters, else HOME/letters/<UTC>-<pid>. */
static int
batch_dir(char out[PATH_BYTES_MAX], const struct ctx *x, const struct opts *o,
    struct err *e)
{
	char now[21], name[64], parent[PATH_BYTES_MAX];
	size_t i, j = 0;

	if (o->letters != NULL) {
		if ((size_t)snprintf(out, PATH_BYTES_MAX, "%s", o->letters) >= PATH_BYTES_MAX)
			return err_set(e, ERR_USAGE, "path too long");
		return 0;
	}
	utc_now(now);
	for (i = 0; now[i] != '\0'; i++)
		if (now[i] != '-' && now[i] != ':')
			name[j++] = now[i];
	(void)snprintf(name + j, sizeof name - j, "-%ld", (long)getpid());
	if (home_path(&x->h, LETTERS_DIR, parent, e) == -1 || mkdir_p(parent, 0700, e) == -1)
		return -1;
	return path_join(out, parent, name, e);
}

static int
sender(struct letter_sender *s, struct arena *a, struct db *reg, const struct opts *o,
    struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = -1;

	s->site_url = o->site_url;
	if (db_prepare(&st, reg, "SELECT name, street, postcode, town FROM cooperative",
	    e) == -1)
		goto out;
	if (db_step(st, NULL, e) != 1) {
		if (e->kind == ERR_NONE)
			err_set(e, ERR_DATA, "the register has no cooperative");
		goto out;
	}
	s->name = arena_strdup(a, db_col_text(st, 0));
	s->street = arena_strdup(a, db_col_text(st, 1));
	s->postcode = arena_strdup(a, db_col_text(st, 2));
	s->town = arena_strdup(a, db_col_text(st, 3));
	if (s->name == NULL || s->street == NULL || s->postcode == NULL || s->town == NULL) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

/* Fills l (person fields only) from the current row: id, surname,
 * first_name, street, postcode, town. */
static int
person_row(struct letter *l, struct arena *a, struct db_stmt *st, struct err *e)
{
	const char *first = db_col_text(st, 2), *sur = db_col_text(st, 1);
	size_t n = strlen(sur) + (first != NULL ? strlen(first) + 1 : 0) + 1;
	char *name = arena_alloc(a, n);

	if (name == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	(void)snprintf(name, n, "%s%s%s", first != NULL ? first : "", first != NULL ? " " : "",
	    sur);
	l->name = name;
	l->person_id = arena_strdup(a, db_col_text(st, 0));
	l->street = arena_strdup(a, db_col_text(st, 3));
	l->postcode = arena_strdup(a, db_col_text(st, 4));
	l->town = arena_strdup(a, db_col_text(st, 5));
	if (l->person_id == NULL || l->street == NULL || l->postcode == NULL || l->town == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	return 0;
}

/* The header bundles sealed now carry: the export in HOME/czynsze.db. */
static int
export_head(const struct home *h, struct bundle_head *head, struct err *e)
{
	char path[PATH_BYTES_MAX];
	struct db *db = NULL;
	struct db_stmt *st = NULL;
	int r, rc = -1;

	if (home_path(h, HOME_DB, path, e) == -1 || db_open(&db, path, DB_READONLY, e) == -1 ||
	    db_prepare(&st, db, "SELECT generated_at, manifest_sha256 FROM export", e) == -1 ||
	    (r = db_step(st, NULL, e)) == -1)
		goto out;
	if (r == 0) {
		err_set(e, ERR_DATA, "database holds no export: run czynsze import first");
		goto out;
	}
	rc = bundle_head_set(head, db_col_text(st, 0), db_col_text(st, 1), e);
out:
	db_finalize(st);
	db_close(db);
	return rc;
}

/* Seals the statements of the k people just issued into the live
 * generation (HOME/site/www/r/), one new file each with their documents
 * (site_write_documents), nothing else touched;
 * *sealed counts them.  No live generation yet: nothing to do. */
static int
seal_into_live(struct ctx *x, const struct letter *l, size_t k, unsigned *sealed,
    struct err *e)
{
	char live[GENERATION_NAME_MAX], www[PATH_BYTES_MAX], keys[PATH_BYTES_MAX];
	char sites[PATH_BYTES_MAX], gen[PATH_BYTES_MAX];
	struct site_writer w = { NULL, 0, NULL, 0, 0, 0 };
	struct bundle_head head;
	struct site_resident r = { &w, NULL, 0, NULL, &head, NULL, NULL, DUE_DAY_DEFAULT,
	    &x->h };
	struct names docs = NAMES_INIT;
	struct statement *s = NULL;
	struct config cfg;
	struct site_resident_file f = SITE_RESIDENT_FILE_INIT;
	size_t i;
	int rc = -1;

	*sealed = 0;
	if (generation_live(&x->h, live, e) == -1 || config_load(&cfg, &x->h, e) == -1)
		return -1;
	r.due_day = cfg.due_day;      /* as generate renders it (czynsze.conf) */
	if (live[0] == '\0')
		return 0;
	/* sealed with the export the database holds, as generate seals */
	if (export_head(&x->h, &head, e) == -1 ||
	    home_path(&x->h, SITES_DIR, sites, e) == -1 || path_join(gen, sites, live, e) == -1 ||
	    path_join(www, gen, GENERATION_WWW, e) == -1 ||
	    home_path(&x->h, HOME_KEYS_DB, keys, e) == -1 ||
	    statement_query_open(&r.q, x->reg, e) == -1 || access_open(&r.access, keys, e) == -1)
		goto out;
	w.out_dir = www;
	for (i = 0; i < k; i++) {
		if (site_write_resident(&r, l[i].person_id, &f, e) == -1)
			goto out;
		if (f.name.len > 0)
			(*sealed)++;
		/* and their documents, which the statement just sealed lists */
		statement_free(s);
		s = NULL;
		if (statement_load_documents(&s, r.q, l[i].person_id, e) == -1 ||
		    site_write_documents(&r, s, &docs, e) == -1)
			goto out;
	}
	if (w.written > 0 && sync_filesystem(www, e) == -1)
		goto out;
	rc = 0;
out:
	statement_free(s);
	names_free(&docs);
	buf_free(&f.name);
	access_close(r.access);
	statement_query_close(r.q);
	return rc;
}

static const char people_sql[] =
    "SELECT p.id, p.surname, p.first_name, p.street, p.postcode, p.town FROM person p "
    "WHERE EXISTS (SELECT 1 FROM card c WHERE c.person_id = p.id)";

/* Issue (person_id NULL: everyone with a card and no login) or reset. */
static int
run_issue(struct cli *c, const struct opts *o, const char *person_id)
{
	struct ctx x;
	struct arena a = ARENA_INIT;
	struct letter_sender from;
	struct letter *l = NULL;
	struct cred_issued *iss = NULL;
	struct cred_new *fresh = NULL;
	struct cred_rekey rk;
	struct db_stmt *st = NULL;
	struct buf sql = BUF_INIT;
	char dir[PATH_BYTES_MAX];
	size_t n = 0, cap = 0, k = 0, i;
	struct err e;
	int r, status = 0, in_tx = 0, wrote = 0, pending = 0, switched;
	unsigned rekeyed = 0, sealed = 0;
	void *grown;

	err_clear(&e);
	memset(&rk, 0, sizeof rk);
	if (o->site_url == NULL)
		return cli_usage(usage_line, "--site-url (or $CZYNSZE_SITE_URL) is needed for "
		    "the letters");
	if (ctx_open(&x, c, 1, &e) == -1 || sender(&from, &a, x.reg, o, &e) == -1)
		goto fail;
	if (buf_adds(&sql, people_sql) == -1 ||
	    buf_adds(&sql, person_id != NULL ? " AND p.id = ?" : " ORDER BY p.id") == -1) {
		err_set(&e, ERR_SYSTEM, "out of memory");
		goto fail;
	}
	if (db_prepare(&st, x.reg, sql.data, &e) == -1 ||
	    (person_id != NULL && db_bind_text(st, 1, person_id, (size_t)-1, &e) == -1))
		goto fail;
	while ((r = db_step(st, NULL, &e)) == 1) {
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			if (cap > PEOPLE_MAX || (grown = realloc(l, cap * sizeof *l)) == NULL) {
				err_set(&e, ERR_SYSTEM, "out of memory");
				goto fail;
			}
			l = grown;
		}
		if (person_row(&l[n], &a, st, &e) == -1)
			goto fail;
		n++;
	}
	if (r == -1)
		goto fail;
	if (person_id != NULL && n == 0) {
		err_set(&e, ERR_DATA, "unknown person or person without a card (%s)", person_id);
		goto fail;
	}
	if (n > 0 && (iss = calloc(n, sizeof *iss)) == NULL) {
		err_set(&e, ERR_SYSTEM, "out of memory");
		goto fail;
	}
	if (person_id == NULL) {
		/* who has no login yet; their passwords on every core, before
		 * the one transaction (a run killed meanwhile issued nobody) */
		for (i = 0; i < n; i++) {
			if ((r = cred_live_login(x.keys, l[i].person_id, NULL, &e)) == -1)
				goto fail;
			if (r == 0)
				l[k++] = l[i];
		}
		if (k > 0 && (fresh = calloc(k, sizeof *fresh)) == NULL) {
			err_set(&e, ERR_SYSTEM, "out of memory");
			goto fail;
		}
		if (cred_prepare_all(fresh, k, o->jobs, isatty(STDERR_FILENO) ? stderr : NULL,
		    &e) == -1)
			goto fail;
		access_live_kill_point("issue-before-commit");
	}
	if (db_begin(x.keys, &e) == -1)
		goto fail;
	in_tx = 1;
	if (person_id == NULL) {
		for (i = 0; i < k; i++) {
			if (cred_insert(x.keys, l[i].person_id, &fresh[i], &e) == -1)
				goto fail;
			iss[i] = fresh[i].out;
			l[i].login = iss[i].login;
			l[i].password = iss[i].password;
		}
	} else {
		if (cred_reset(x.keys, l[0].person_id, &iss[0], &rk, &e) == -1)
			goto fail;
		l[0].login = iss[0].login;
		l[0].password = iss[0].password;
		k = 1;
	}
	if (k == 0) {
		db_rollback(x.keys);
		in_tx = 0;
		(void)printf("everyone with a card already has a login\n");
		goto out;
	}
	if (batch_dir(dir, &x, o, &e) == -1)
		goto fail;
	if (person_id != NULL) {
		/* the new bundle beside the old one in every generation, before
		 * anything switches (access_live.h) */
		if (access_live_begin(&x.h, rk.now.login, rk.old_version, rk.version, dir,
		    &e) == -1)
			goto fail;
		pending = 1;
		access_live_kill_point("reset-before-rekey");
		if (access_live_rekey(&x.h, &rk, &rekeyed, &e) == -1)
			goto fail;
		access_live_kill_point("reset-before-letters");
	}
	if (letters_write(dir, l, k, &from, &e) == -1)
		goto fail;
	wrote = 1;
	access_live_kill_point("reset-before-commit");
	if (db_commit(x.keys, &e) == -1)
		goto fail;
	in_tx = 0;
	wrote = 0;
	access_live_kill_point("reset-before-switch");
	/* new logins: their statements into the live generation before the
	 * logins come into force */
	if (person_id == NULL && seal_into_live(&x, l, k, &sealed, &e) == -1)
		goto fail;
	/* the commit point is keys.db; the live files follow it now (or, if
	 * this fails, at the next command that takes the lock) */
	if (pending ? access_live_recover(&x.h, &switched, &e) == -1 :
	    access_live_sync(&x.h, &switched, &e) == -1)
		goto fail;
	pending = 0;
	(void)printf("%s %zu login%s; letters and credentials.csv in %s\n"
	    "(they hold passwords: delete them once printed; credentials purge removes them "
	    "after %d days)\n", person_id == NULL ? "issued" : "reset", k, k == 1 ? "" : "s",
	    dir, LETTERS_PURGE_DAYS);
	if (person_id != NULL)
		(void)printf("in force now: the new password opens the statement (re-sealed under "
		    "a new key in %u generation%s), the old one opens nothing\n", rekeyed,
		    rekeyed == 1 ? "" : "s");
	else
		(void)printf("in force now: the new logins can sign in (%u statement%s sealed "
		    "into the live site)\n", sealed, sealed == 1 ? "" : "s");
	goto out;
fail:
	status = cli_fail(&e);
	if (wrote)
		(void)remove_tree(dir, &e);
out:
	if (in_tx)
		db_rollback(x.keys);
	if (pending && access_live_recover(&x.h, &switched, &e) == -1)
		(void)fprintf(stderr, "czynsze: %s (the next credentials command or nightly run "
		    "finishes it)\n", e.msg);
	secure_wipe(&rk, sizeof rk);
	if (iss != NULL)
		secure_wipe(iss, n * sizeof *iss);
	free(iss);
	if (fresh != NULL)
		secure_wipe(fresh, k * sizeof *fresh);
	free(fresh);
	free(l);
	db_finalize(st);
	buf_free(&sql);
	arena_free(&a);
	ctx_close(&x);
	return status;
}

static int
run_revoke(struct cli *c, const char *person_id)
{
	struct ctx x;
	struct db_stmt *load = NULL;
	struct bundle_keys k;
	uint32_t v = 0;
	struct err e;
	int status = 0, r, in_tx = 0, pending = 0, switched;

	err_clear(&e);
	memset(&k, 0, sizeof k);
	if (ctx_open(&x, c, 0, &e) == -1 || db_begin(x.keys, &e) == -1)
		goto fail;
	in_tx = 1;
	if (cred_prepare_load(&load, x.keys, &e) == -1 ||
	    (r = cred_load_keys(load, person_id, &k, &v, &e)) == -1)
		goto fail;
	if (r == 0) {
		err_set(&e, ERR_DATA, "%s has no login to revoke", person_id);
		goto fail;
	}
	if (cred_revoke(x.keys, person_id, &e) == -1 ||
	    access_live_begin(&x.h, k.login, v, 0, NULL, &e) == -1)
		goto fail;
	pending = 1;
	access_live_kill_point("revoke-before-commit");
	if (db_commit(x.keys, &e) == -1)
		goto fail;
	in_tx = 0;
	access_live_kill_point("revoke-before-switch");
	if (access_live_recover(&x.h, &switched, &e) == -1)
		goto fail;
	pending = 0;
	(void)printf("revoked the login %s of %s: from now on it opens nothing (its bundle is "
	    "removed from every generation)\n", k.login, person_id);
	goto out;
fail:
	status = cli_fail(&e);
out:
	if (in_tx)
		db_rollback(x.keys);
	if (pending && access_live_recover(&x.h, &switched, &e) == -1)
		(void)fprintf(stderr, "czynsze: %s (the next credentials command or nightly run "
		    "finishes it)\n", e.msg);
	secure_wipe(&k, sizeof k);
	db_finalize(load);
	ctx_close(&x);
	return status;
}

static int
run_purge(struct cli *c, const struct opts *o)
{
	struct ctx x;
	char parent[PATH_BYTES_MAX];
	size_t removed;
	struct err e;
	int status = 0;

	err_clear(&e);
	if (ctx_open(&x, c, 0, &e) == -1 || home_path(&x.h, LETTERS_DIR, parent, &e) == -1 ||
	    letters_purge(parent, o->days, time(NULL), &removed, &e) == -1)
		goto fail;
	(void)printf("removed %zu letter batch%s older than %u days from %s\n", removed,
	    removed == 1 ? "" : "es", o->days, parent);
	goto out;
fail:
	status = cli_fail(&e);
out:
	ctx_close(&x);
	return status;
}

static int
run_list(struct cli *c)
{
	struct ctx x;
	struct db_stmt *st = NULL;
	struct err e;
	int status = 0, r;

	err_clear(&e);
	if (ctx_open(&x, c, 0, &e) == -1 ||
	    db_prepare(&st, x.keys, "SELECT person_id, login, issued_at, revoked, "
	    "coalesce(revoked_at, '') FROM login ORDER BY person_id, issued_at", &e) == -1)
		goto fail;
	(void)printf("person\tlogin\tissued_at\tstate\n");
	while ((r = db_step(st, NULL, &e)) == 1)
		(void)printf("%s\t%s\t%s\t%s%s\n", db_col_text(st, 0), db_col_text(st, 1),
		    db_col_text(st, 2), db_col_int64(st, 3) ? "revoked " : "live",
		    db_col_text(st, 4));
	if (r == -1)
		goto fail;
	goto out;
fail:
	status = cli_fail(&e);
out:
	db_finalize(st);
	ctx_close(&x);
	return status;
}

/* Reads the first line of stdin (the password) into out. */
static int
read_password(char out[PASSWORD_LINE_MAX], struct err *e)
{
	size_t n;

	if (fgets(out, PASSWORD_LINE_MAX, stdin) == NULL)
		return err_set(e, ERR_USAGE, "no password on standard input");
	n = strlen(out);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return 0;
}

static int
run_check(struct cli *c, const struct opts *o, const char *login, const char *bundle_path)
{
	struct ctx x;
	struct db_stmt *st = NULL;
	struct buf frag = BUF_INIT;
	struct bundle_head head;
	char pw[PASSWORD_LINE_MAX], token[BUNDLE_TOKEN_BYTES], *bundle = NULL;
	unsigned char kek[CRYPTO_KEY_BYTES], salt[BUNDLE_SALT_BYTES];
	const void *p;
	size_t n = 0, salt_n;
	struct err e;
	int status = 0, r, good;

	err_clear(&e);
	if (ctx_open(&x, c, 0, &e) == -1 || read_password(pw, &e) == -1 ||
	    read_file(&bundle, &n, bundle_path, BUNDLE_FRAGMENT_BYTES_MAX * 2, &e) == -1)
		goto fail;
	/* The bundle (what the browser decrypts)... */
	if (bundle_open(&frag, &head, bundle, n, login, pw, &e) == -1)
		goto fail;
	/* ...and the htpasswd verifier (what nginx checks). */
	if (db_prepare(&st, x.keys, "SELECT salt, iterations, token_hash FROM login "
	    "WHERE login = ? AND revoked = 0", &e) == -1 ||
	    db_bind_text(st, 1, login, (size_t)-1, &e) == -1 ||
	    (r = db_step(st, NULL, &e)) == -1)
		goto fail;
	p = r == 1 ? db_col_blob(st, 0, &salt_n) : NULL;
	if (p == NULL || salt_n != sizeof salt) {
		err_set(&e, ERR_DATA, "wrong login or password");
		goto fail;
	}
	memcpy(salt, p, sizeof salt);
	if (bundle_derive(kek, token, pw, salt, (uint32_t)db_col_int64(st, 1), &e) == -1 ||
	    (good = crypto_ssha_check(db_col_text(st, 2), token, &e)) == -1)
		goto fail;
	if (!good) {
		err_set(&e, ERR_DATA, "the bundle opens but keys.db holds another token "
		    "(bundle older than the last reset?)");
		goto fail;
	}
	if (o->print) {
		if (fwrite(frag.data, 1, frag.len, stdout) != frag.len) {
			err_sys(&e, "write");
			goto fail;
		}
	} else {
		(void)printf("ok: the password opens %s and its token verifies\n"
		    "sealed from the export of %s (id %s)\n", bundle_path, head.exported_at,
		    head.generation);
	}
	goto out;
fail:
	status = cli_fail(&e);
out:
	secure_wipe(pw, sizeof pw);
	secure_wipe(kek, sizeof kek);
	secure_wipe(token, sizeof token);
	buf_wipe_free(&frag);
	free(bundle);
	db_finalize(st);
	ctx_close(&x);
	return status;
}

static int
run_seal(struct cli *c, const char *person_id, const char *out_path)
{
	struct bundle_head head;
	struct access *a = NULL;
	struct buf frag = BUF_INIT, bundle = BUF_INIT;
	struct home h;
	char path[PATH_BYTES_MAX], login[ACCESS_LOGIN_BYTES], block[8192];
	struct err e;
	size_t got;
	int status = 0, r;

	err_clear(&e);
	while ((got = fread(block, 1, sizeof block, stdin)) > 0) {
		if (frag.len + got > BUNDLE_FRAGMENT_BYTES_MAX || buf_add(&frag, block, got) == -1) {
			err_set(&e, ERR_DATA, "fragment too large");
			goto fail;
		}
	}
	if (ferror(stdin)) {
		err_sys(&e, "read standard input");
		goto fail;
	}
	if (home_resolve(&h, c->home_opt, &e) == -1 ||
	    export_head(&h, &head, &e) == -1 ||
	    home_path(&h, HOME_KEYS_DB, path, &e) == -1 || access_open(&a, path, &e) == -1 ||
	    (r = access_seal_resident(a, person_id, &head, frag.data != NULL ? frag.data : "",
	    frag.len, &bundle, login, &e)) == -1)
		goto fail;
	if (r == 0) {
		err_set(&e, ERR_DATA, "%s has no login", person_id);
		goto fail;
	}
	if (write_file_atomic(out_path, bundle.data, bundle.len, 0644, &e) == -1)
		goto fail;
	(void)printf("%s\n", login);
	goto out;
fail:
	status = cli_fail(&e);
out:
	access_close(a);
	buf_wipe_free(&frag);
	buf_free(&bundle);
	return status;
}

static int
run_publish(struct cli *c, const struct opts *o, const char *site)
{
	struct access *a = NULL;
	struct home h;
	char path[PATH_BYTES_MAX], ht[PATH_BYTES_MAX];
	struct err e;
	int status = 0;

	err_clear(&e);
	if (home_resolve(&h, c->home_opt, &e) == -1 ||
	    home_path(&h, HOME_KEYS_DB, path, &e) == -1)
		goto fail;
	if (o->htpasswd == NULL ? home_path(&h, "htpasswd.d", ht, &e) == -1 :
	    (size_t)snprintf(ht, sizeof ht, "%s", o->htpasswd) >= sizeof ht &&
	    err_set(&e, ERR_USAGE, "path too long") == -1)
		goto fail;
	if (access_open(&a, path, &e) == -1 || access_write_files(a, site, ht, &e) == -1)
		goto fail;
	(void)printf("wrote %s/auth/ and %s\n", site, ht);
	goto out;
fail:
	status = cli_fail(&e);
out:
	access_close(a);
	return status;
}

int
cmd_credentials(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "letters", required_argument, NULL, 'l' },
		{ "site-url", required_argument, NULL, 'u' },
		{ "htpasswd", required_argument, NULL, 'p' },
		{ "print", no_argument, NULL, 'P' },
		{ "older-than", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "home", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { NULL, NULL, NULL, 0, LETTERS_PURGE_DAYS, 0 };
	const char *sub;
	int ch, nargs;

	o.site_url = getenv("CZYNSZE_SITE_URL");
	o.jobs = cpus_online(CRED_JOBS_MAX);
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l': o.letters = optarg; break;
		case 'u': o.site_url = optarg; break;
		case 'p': o.htpasswd = optarg; break;
		case 'P': o.print = 1; break;
		case 'o':
			if (cli_number(&o.days, optarg, 0, 36500) == -1)
				return cli_usage(usage_line, "--older-than: a number of days (%s)",
				    optarg);
			break;
		case 'j':
			if (cli_number(&o.jobs, optarg, 1, CRED_JOBS_MAX) == -1)
				return cli_usage(usage_line, "--jobs: 1 to %d threads (%s)",
				    CRED_JOBS_MAX, optarg);
			break;
		case 'H': c->home_opt = optarg; break;
		case 'h':
			(void)printf("usage: %s\n\nResidents' logins: issue gives everyone with a "
			    "card and no login one,\nwith a letter to post; reset gives a new "
			    "password (room 8, after an ID check);\nrevoke removes access.  "
			    "Passwords are never stored: they exist only in the letters.\n",
			    usage_line);
			return 0;
		default: return cli_usage(usage_line, "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage(usage_line, "which credentials command?");
	sub = argv[optind];
	nargs = argc - optind - 1;
	argv += optind + 1;
	if (strcmp(sub, "issue") == 0 && nargs == 0)
		return run_issue(c, &o, NULL);
	if (strcmp(sub, "reset") == 0 && nargs == 1)
		return run_issue(c, &o, argv[0]);
	if (strcmp(sub, "revoke") == 0 && nargs == 1)
		return run_revoke(c, argv[0]);
	if (strcmp(sub, "purge") == 0 && nargs == 0)
		return run_purge(c, &o);
	if (strcmp(sub, "list") == 0 && nargs == 0)
		return run_list(c);
	if (strcmp(sub, "check") == 0 && nargs == 2)
		return run_check(c, &o, argv[0], argv[1]);
	if (strcmp(sub, "seal") == 0 && nargs == 2)
		return run_seal(c, argv[0], argv[1]);
	if (strcmp(sub, "publish") == 0 && nargs == 1)
		return run_publish(c, &o, argv[0]);
	return cli_usage(usage_line, "credentials %s: wrong command or arguments", sub);
}
