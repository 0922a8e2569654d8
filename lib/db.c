#include "db.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct db {
	sqlite3 *handle;
	char path[4096];
	void (*progress_fn)(void *);   /* db_on_progress */
	void *progress_ctx;
};

struct db_stmt {
	sqlite3_stmt *handle;
	struct db *db;
};

enum { BUSY_TIMEOUT_MS = 10000 };

static int
fail(struct db *db, struct err *e, const char *what)
{
	(void)err_set(e, ERR_INTERNAL, "%s: %s: %s", db->path, what,
	    sqlite3_errmsg(db->handle));
	return -1; /* spelt out for the analyzer (err_set is in another file) */
}

int
db_open(struct db **out, const char *path, enum db_open_mode mode, struct err *e)
{
	struct db *db = NULL;
	int flags, rc = -1;

	flags = mode == DB_READONLY ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (mode == DB_CREATE)
		flags |= SQLITE_OPEN_CREATE;
	flags |= SQLITE_OPEN_NOMUTEX;
	db = calloc(1, sizeof *db);
	if (db == NULL) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if ((size_t)snprintf(db->path, sizeof db->path, "%s", path) >= sizeof db->path) {
		err_set(e, ERR_USAGE, "path too long (%s)", path);
		goto out;
	}
	if (sqlite3_open_v2(path, &db->handle, flags, NULL) != SQLITE_OK) {
		if (db->handle == NULL)
			err_set(e, ERR_SYSTEM, "%s: cannot open database", path);
		else
			err_set(e, ERR_SYSTEM, "%s: cannot open database: %s", path,
			    sqlite3_errmsg(db->handle));
		goto out;
	}
	if (sqlite3_busy_timeout(db->handle, BUSY_TIMEOUT_MS) != SQLITE_OK) {
		fail(db, e, "busy timeout");
		goto out;
	}
	if (sqlite3_extended_result_codes(db->handle, 1) != SQLITE_OK) {
		fail(db, e, "extended result codes");
		goto out;
	}
	if (db_exec(db, "PRAGMA foreign_keys = ON", e) == -1)
		goto out;
	*out = db;
	db = NULL;
	rc = 0;
out:
	db_close(db);
	return rc;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	(void)sqlite3_close_v2(db->handle);
	free(db);
}

int
db_exec(struct db *db, const char *sql, struct err *e)
{
	char *msg = NULL;

	if (sqlite3_exec(db->handle, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(e, sqlite3_errcode(db->handle) == SQLITE_FULL ? ERR_SYSTEM : ERR_INTERNAL,
		    "%s: %s", db->path, msg != NULL ? msg : sqlite3_errmsg(db->handle));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
db_user_version(struct db *db, int *out, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = -1;

	if (db_prepare(&st, db, "PRAGMA user_version", e) == -1)
		goto out;
	if (db_step(st, NULL, e) != 1)
		goto out;
	*out = (int)db_col_int64(st, 0);
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

int
db_migrate_list(struct db *db, const struct db_migration *list, size_t count,
    size_t upto, struct err *e)
{
	char pragma[64];
	int version;
	size_t i;

	if (upto == 0 || upto > count)
		upto = count;
	if (db_user_version(db, &version, e) == -1)
		return -1;
	if (version < 0 || (size_t)version > count)
		return err_set(e, ERR_DATA, "%s: database schema version %d is newer "
		    "than this program knows (%zu)", db->path, version, count);
	for (i = (size_t)version; i < upto; i++) {
		/* The version number is ours, not data: a fixed format. */
		(void)snprintf(pragma, sizeof pragma, "PRAGMA user_version = %zu", i + 1);
		if (db_begin(db, e) == -1)
			return -1;
		if (db_exec(db, list[i].sql, e) == -1 ||
		    db_exec(db, pragma, e) == -1 || db_commit(db, e) == -1) {
			db_rollback(db);
			return err_prefix(e, "schema %s", list[i].name);
		}
	}
	return 0;
}

int
db_migrate(struct db *db, size_t upto, struct err *e)
{
	return db_migrate_list(db, schema_migrations, schema_migrations_count, upto, e);
}

int
db_begin(struct db *db, struct err *e)
{
	return db_exec(db, "BEGIN IMMEDIATE", e);
}

int
db_commit(struct db *db, struct err *e)
{
	return db_exec(db, "COMMIT", e);
}

void
db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->handle))
		(void)sqlite3_exec(db->handle, "ROLLBACK", NULL, NULL, NULL);
}

int
db_prepare(struct db_stmt **out, struct db *db, const char *sql, struct err *e)
{
	struct db_stmt *st;

	st = calloc(1, sizeof *st);
	if (st == NULL) {
		/* Not `return err_set()`: the analyzer cannot see err_set's -1
		 * from here and would follow a "success" without *out. */
		err_set(e, ERR_SYSTEM, "out of memory");
		return -1;
	}
	if (sqlite3_prepare_v3(db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st->handle, NULL) != SQLITE_OK) {
		free(st);
		return fail(db, e, "prepare");
	}
	st->db = db;
	*out = st;
	return 0;
}

void
db_finalize(struct db_stmt *st)
{
	if (st == NULL)
		return;
	(void)sqlite3_finalize(st->handle);
	free(st);
}

static int
bind_result(struct db_stmt *st, int rc, struct err *e)
{
	if (rc != SQLITE_OK)
		return fail(st->db, e, "bind");
	return 0;
}

int
db_bind_text(struct db_stmt *st, int idx, const char *s, size_t n, struct err *e)
{
	int len = n == (size_t)-1 ? -1 : (int)n;

	if (n != (size_t)-1 && n > (size_t)INT32_MAX)
		return err_set(e, ERR_DATA, "text too long to store");
	return bind_result(st, sqlite3_bind_text(st->handle, idx, s, len, SQLITE_STATIC), e);
}

int
db_bind_text_or_null(struct db_stmt *st, int idx, const char *s, size_t n, struct err *e)
{
	if (s == NULL || n == 0 || (n == (size_t)-1 && s[0] == '\0'))
		return db_bind_null(st, idx, e);
	return db_bind_text(st, idx, s, n, e);
}

int
db_bind_int64(struct db_stmt *st, int idx, int64_t v, struct err *e)
{
	return bind_result(st, sqlite3_bind_int64(st->handle, idx, v), e);
}

int
db_bind_null(struct db_stmt *st, int idx, struct err *e)
{
	return bind_result(st, sqlite3_bind_null(st->handle, idx), e);
}

int
db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n, struct err *e)
{
	if (n > (size_t)INT32_MAX)
		return err_set(e, ERR_DATA, "blob too long to store");
	return bind_result(st, sqlite3_bind_blob(st->handle, idx, p, (int)n, SQLITE_STATIC), e);
}

int
db_step(struct db_stmt *st, enum db_constraint *constraint, struct err *e)
{
	int rc = sqlite3_step(st->handle);

	if (constraint != NULL)
		*constraint = DB_OK;
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	if (constraint != NULL && (rc & 0xff) == SQLITE_CONSTRAINT) {
		switch (rc) {
		case SQLITE_CONSTRAINT_PRIMARYKEY:
		case SQLITE_CONSTRAINT_UNIQUE:
			*constraint = DB_UNIQUE;
			break;
		case SQLITE_CONSTRAINT_FOREIGNKEY:
			*constraint = DB_FOREIGN_KEY;
			break;
		case SQLITE_CONSTRAINT_CHECK:
			*constraint = DB_CHECK;
			break;
		default:
			*constraint = DB_OTHER;
			break;
		}
	}
	if ((rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR)
		return err_set(e, ERR_SYSTEM, "%s: %s", st->db->path, sqlite3_errmsg(st->db->handle));
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return err_set(e, ERR_LOCKED, "%s: database is busy", st->db->path);
	return fail(st->db, e, "step");
}

void
db_reset(struct db_stmt *st)
{
	(void)sqlite3_reset(st->handle);
	(void)sqlite3_clear_bindings(st->handle);
}

const char *
db_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->handle, col);
}

int64_t
db_col_int64(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->handle, col);
}

int
db_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(st->handle, col) == SQLITE_NULL;
}

const void *
db_col_blob(struct db_stmt *st, int col, size_t *n)
{
	const void *p = sqlite3_column_blob(st->handle, col);

	*n = (size_t)sqlite3_column_bytes(st->handle, col);
	return p;
}

static int
progress_trampoline(void *vdb)
{
	struct db *db = vdb;

	db->progress_fn(db->progress_ctx);
	return 0;   /* 0: go on */
}

void
db_on_progress(struct db *db, int ops, void (*fn)(void *), void *ctx)
{
	db->progress_fn = fn;
	db->progress_ctx = ctx;
	sqlite3_progress_handler(db->handle, fn != NULL ? ops : 0,
	    fn != NULL ? progress_trampoline : NULL, db);
}

int64_t
db_changes(struct db *db)
{
	return sqlite3_changes64(db->handle);
}

int
db_check_integrity(struct db *db, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = -1, r;
	const char *msg;

	if (db_prepare(&st, db, "PRAGMA integrity_check", e) == -1)
		goto out;
	r = db_step(st, NULL, e);
	if (r == -1)
		goto out;
	msg = r == 1 ? db_col_text(st, 0) : "no answer";
	if (msg == NULL || strcmp(msg, "ok") != 0) {
		err_set(e, ERR_DATA, "%s: integrity check: %s", db->path, msg ? msg : "?");
		goto out;
	}
	db_finalize(st);
	st = NULL;
	if (db_prepare(&st, db, "PRAGMA foreign_key_check", e) == -1)
		goto out;
	r = db_step(st, NULL, e);
	if (r == -1)
		goto out;
	if (r == 1) {
		err_set(e, ERR_DATA, "%s: foreign key check: table %s row %lld", db->path,
		    db_col_text(st, 0), (long long)db_col_int64(st, 1));
		goto out;
	}
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

int
db_exec_attached(struct db *db, const char *path, const char *sql, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = -1, attached = 0;

	if (db_prepare(&st, db, "ATTACH DATABASE ?1 AS other", e) == -1 ||
	    db_bind_text(st, 1, path, (size_t)-1, e) == -1 ||
	    db_step(st, NULL, e) == -1)
		goto out;
	attached = 1;
	if (db_exec(db, sql, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(st);
	if (attached && db_exec(db, "DETACH DATABASE other", rc == 0 ? e : &(struct err){0}) == -1)
		rc = -1;
	return rc;
}
