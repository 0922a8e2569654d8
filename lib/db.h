/*
 * db.h — the project's only door to SQLite.
 *
 * Turns SQLite's result codes into this project's convention (0 / -1 with
 * a struct err), and keeps SQL to prepared statements with bound
 * parameters: there is no function here that runs a statement built from
 * data.  db_exec() is for fixed SQL text (pragmas, schema) only.
 *
 * Ownership: db_open() gives a struct db the caller releases with
 * db_close(); db_prepare() gives a struct db_stmt released with
 * db_finalize().  Both release functions accept NULL.
 */
#ifndef CZYNSZE_DB_H
#define CZYNSZE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct db;
struct db_stmt;

struct db_migration {
	const char *name;  /* file name in schema/, e.g. "001-init.sql" */
	const char *sql;
};

/* The schema/ files compiled in, in order (build/gen/schema_sql.c). */
extern const struct db_migration schema_migrations[];
extern const size_t schema_migrations_count;
/* The schema/keys/ files (HOME/keys.db), in order (build/gen/keys_sql.c). */
extern const struct db_migration keys_migrations[];
extern const size_t keys_migrations_count;

enum db_open_mode {
	DB_READONLY,
	DB_READWRITE,      /* must exist */
	DB_CREATE,         /* created (mode 0600) when missing */
};

/* Opens path.  Sets a busy timeout and turns foreign keys on. */
int db_open(struct db **out, const char *path, enum db_open_mode mode, struct err *e);
void db_close(struct db *db);

/* Runs fixed SQL text (one or more statements).  Never pass data in it. */
int db_exec(struct db *db, const char *sql, struct err *e);

/* Applies schema_migrations[i] for user_version <= i < upto, each in its
 * own transaction, bumping PRAGMA user_version.  upto = 0 means all. */
int db_migrate(struct db *db, size_t upto, struct err *e);
/* The same with another list of migrations (e.g. keys_migrations). */
int db_migrate_list(struct db *db, const struct db_migration *list, size_t count,
    size_t upto, struct err *e);

/* Attaches the database file at path as `other`, runs the fixed SQL
 * text sql (which names its tables other.TABLE), detaches it.  Never
 * pass data in sql. */
int db_exec_attached(struct db *db, const char *path, const char *sql, struct err *e);

/* PRAGMA user_version. */
int db_user_version(struct db *db, int *out, struct err *e);

int db_begin(struct db *db, struct err *e);     /* BEGIN IMMEDIATE */
int db_commit(struct db *db, struct err *e);
void db_rollback(struct db *db);                /* best effort, no error */

int db_prepare(struct db_stmt **out, struct db *db, const char *sql, struct err *e);
void db_finalize(struct db_stmt *st);

/*
 * Binding: index from 1.  Text is bound without copying: the caller
 * keeps it alive until the next db_step()/db_reset().  n == (size_t)-1
 * means NUL-terminated.  db_bind_text_or_null binds NULL for empty text.
 */
int db_bind_text(struct db_stmt *st, int idx, const char *s, size_t n, struct err *e);
int db_bind_text_or_null(struct db_stmt *st, int idx, const char *s, size_t n, struct err *e);
int db_bind_int64(struct db_stmt *st, int idx, int64_t v, struct err *e);
int db_bind_null(struct db_stmt *st, int idx, struct err *e);
int db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t n, struct err *e);

/* Steps: returns 1 for a row, 0 when done, -1 on error.  On a constraint
 * failure *constraint (if not NULL) is set to the enum below. */
enum db_constraint { DB_OK = 0, DB_UNIQUE, DB_FOREIGN_KEY, DB_CHECK, DB_OTHER };
int db_step(struct db_stmt *st, enum db_constraint *constraint, struct err *e);

/* Resets for another run and clears bindings.  Can't fail. */
void db_reset(struct db_stmt *st);

/* Column readers for the current row; col from 0.  Text is valid until
 * the next step/reset; NULL columns give NULL (text) or 0. */
const char *db_col_text(struct db_stmt *st, int col);
int64_t db_col_int64(struct db_stmt *st, int col);
int db_col_is_null(struct db_stmt *st, int col);
const void *db_col_blob(struct db_stmt *st, int col, size_t *n);

/* Calls fn(ctx) about every `ops` SQLite virtual-machine steps while a
 * statement runs on db (sqlite3_progress_handler); fn NULL removes it.
 * For progress reports only: fn cannot stop the statement.  Can't fail. */
void db_on_progress(struct db *db, int ops, void (*fn)(void *), void *ctx);

/* Number of rows changed by the last statement. */
int64_t db_changes(struct db *db);

/* Runs PRAGMA integrity_check and foreign_key_check; -1 with the first
 * problem in e when either finds anything. */
int db_check_integrity(struct db *db, struct err *e);

#endif
