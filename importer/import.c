/*
 * import.c — the import, from manifest to the rename that makes it live:
 * read the manifest, decide (import_decide: unchanged, refused or to be
 * loaded), verify the files, load them (load_export.h), record the run,
 * rename the new database over the live one.
 */
#include "import.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "docstore.h"
#include "fsutil.h"
#include "load.h"
#include "load_export.h"
#include "warnings.h"

/* What the live database says about the export it holds. */
struct live {
	int exists;
	int old_schema;         /* built by an older czynsze: rebuild it */
	char generated_at[20];
	char manifest_sha256[SHA256_HEX_LEN + 1];
};

static int
read_live(struct live *lv, const char *path, struct err *e)
{
	struct db *db = NULL;
	struct db_stmt *st = NULL;
	int rc = -1, r, version;

	memset(lv, 0, sizeof *lv);
	if (access(path, F_OK) == -1) {
		if (errno == ENOENT)
			return 0;
		return err_sys(e, "%s", path);
	}
	if (db_open(&db, path, DB_READONLY, e) == -1 ||
	    db_user_version(db, &version, e) == -1 ||
	    db_prepare(&st, db, "SELECT generated_at, manifest_sha256 FROM export", e) == -1)
		goto out;
	lv->old_schema = version >= 0 && (size_t)version < schema_migrations_count;
	r = db_step(st, NULL, e);
	if (r == -1)
		goto out;
	if (r == 1) {
		lv->exists = 1;
		(void)snprintf(lv->generated_at, sizeof lv->generated_at, "%s", db_col_text(st, 0));
		(void)snprintf(lv->manifest_sha256, sizeof lv->manifest_sha256, "%s", db_col_text(st, 1));
	}
	rc = 0;
out:
	db_finalize(st);
	db_close(db);
	return rc;
}

/* The columns of import_run, in one place for the insert and the copy. */
#define RUN_COLUMNS "started_at, finished_at, export_dir, generated_at, manifest_sha256, " \
	"outcome, rows_premises, rows_people, rows_cards, rows_bookings, rows_components, " \
	"rows_announcements, warnings, error"

struct run {
	char started_at[21];
	char finished_at[21];
	const char *export_dir;
	const struct manifest *m;     /* NULL when the manifest was not read */
	const char *outcome;
	const struct load *l;         /* NULL when nothing was loaded */
	uint64_t warnings;
	const char *error;            /* NULL on success */
};

static int
insert_run(struct db *db, const struct run *run, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = -1, i;

	if (db_prepare(&st, db, "INSERT INTO import_run (" RUN_COLUMNS ") VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)", e) == -1)
		goto out;
	if (db_bind_text(st, 1, run->started_at, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 2, run->finished_at, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 3, run->export_dir, (size_t)-1, e) == -1 ||
	    db_bind_text_or_null(st, 4, run->m ? run->m->generated_at : NULL, (size_t)-1, e) == -1 ||
	    db_bind_text_or_null(st, 5, run->m ? run->m->digest : NULL, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 6, run->outcome, (size_t)-1, e) == -1 ||
	    db_bind_text_or_null(st, 14, run->error, (size_t)-1, e) == -1)
		goto out;
	if (run->l != NULL) {
		for (i = 0; i < 4; i++)
			if (db_bind_int64(st, 7 + i, (int64_t)run->l->rows[i], e) == -1)
				goto out;
		if (db_bind_int64(st, 11, (int64_t)run->l->components, e) == -1 ||
		    db_bind_int64(st, 12, (int64_t)run->l->rows[FILE_KOMUNIKATY], e) == -1 ||
		    db_bind_int64(st, 13, (int64_t)run->warnings, e) == -1)
			goto out;
	}
	if (db_step(st, NULL, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

/* Records a run that did not produce a new database in the live one.
 * Best effort: the import's own error matters more than this one. */
static void
log_run_in_live(const char *live_path, struct run *run)
{
	struct db *db = NULL;
	struct err ignored;

	utc_now(run->finished_at);
	if (access(live_path, F_OK) == -1)
		return;
	if (db_open(&db, live_path, DB_READWRITE, &ignored) == 0)
		(void)insert_run(db, run, &ignored);
	db_close(db);
}

/* What to do with an export, given the live database. */
enum import_decision {
	DECIDE_UNCHANGED,   /* this very export is live: nothing to do */
	DECIDE_REFUSE,      /* not newer than the live one, and no --force */
	DECIDE_LOAD,
};

static enum import_decision
import_decide(const struct live *lv, const struct manifest *m, int force)
{
	if (!lv->exists)
		return DECIDE_LOAD;
	/* The same export again changes nothing, unless the live database
	 * was built by an older czynsze (a schema without what this one
	 * needs, card_digest say): then it is built again from it. */
	if (strcmp(lv->manifest_sha256, m->digest) == 0)
		return lv->old_schema ? DECIDE_LOAD : DECIDE_UNCHANGED;
	if (!force && strcmp(m->generated_at, lv->generated_at) <= 0)
		return DECIDE_REFUSE;
	return DECIDE_LOAD;
}

static int
insert_export(struct db *db, const struct manifest *m, struct err *e)
{
	struct db_stmt *st = NULL;
	char now[21];
	int rc = -1;

	utc_now(now);
	if (db_prepare(&st, db, "INSERT INTO cooperative (id, name, nip, street, postcode, town) "
	    "VALUES (1, ?1, ?2, ?3, ?4, ?5)", e) == -1)
		goto out;
	if (db_bind_text(st, 1, m->coop_name, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 2, m->coop_nip, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 3, m->coop_street, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 4, m->coop_postcode, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 5, m->coop_town, (size_t)-1, e) == -1 ||
	    db_step(st, NULL, e) == -1)
		goto out;
	db_finalize(st);
	st = NULL;
	if (db_prepare(&st, db, "INSERT INTO export (id, system, version, generated_at, "
	    "manifest_sha256, imported_at, format) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)", e) == -1)
		goto out;
	if (db_bind_text(st, 1, m->system, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 2, m->version, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 3, m->generated_at, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 4, m->digest, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 5, now, (size_t)-1, e) == -1 ||
	    db_bind_int64(st, 6, m->format, e) == -1 ||
	    db_step(st, NULL, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

static int
copy_history(struct db *db, const char *live_path, struct err *e)
{
	if (access(live_path, F_OK) == -1)
		return 0;
	return db_exec_attached(db, live_path, "INSERT INTO import_run (" RUN_COLUMNS ") SELECT "
	    RUN_COLUMNS " FROM other.import_run ORDER BY id", e);
}

static int
count_reading_warnings(struct db *db, uint64_t *count, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = -1;

	if (db_prepare(&st, db, "SELECT count(*) FROM reading_warning", e) == -1 ||
	    db_step(st, NULL, e) != 1)
		goto out;
	*count = (uint64_t)db_col_int64(st, 0);
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

int
import_run(const struct home *h, const struct import_opts *o,
    struct import_result *r, struct diag *diag, struct err *e)
{
	char live_path[PATH_BYTES_MAX], new_path[PATH_BYTES_MAX], aux_path[PATH_BYTES_MAX];
	char dir[PATH_MAX];
	struct manifest *m = NULL;
	struct load l;
	struct live lv;
	struct db *db = NULL;
	struct run run;
	enum import_decision decision;
	struct err ignored;
	int rc = -1, loaded = 0;
	size_t f;

	memset(r, 0, sizeof *r);
	memset(&l, 0, sizeof l);
	memset(&run, 0, sizeof run);
	utc_now(run.started_at);
	run.export_dir = realpath(o->export_dir, dir) != NULL ? dir : o->export_dir;
	run.outcome = "failed";
	if (home_path(h, HOME_DB, live_path, e) == -1 ||
	    home_path(h, HOME_DB ".new", new_path, e) == -1 ||
	    home_path(h, HOME_DB ".new-charges", aux_path, e) == -1)
		return -1;
	m = calloc(1, sizeof *m);
	if (m == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (access(o->export_dir, R_OK | X_OK) == -1) {
		err_sys(e, "export folder %s", o->export_dir);
		e->kind = ERR_DATA;
		goto fail;
	}
	if (manifest_read(m, o->export_dir, diag, e) == -1 ||
	    manifest_check_optional(m, o->export_dir, e) == -1)
		goto fail;
	run.m = m;
	(void)memcpy(r->generated_at, m->generated_at, sizeof r->generated_at);
	(void)memcpy(r->manifest_sha256, m->digest, sizeof r->manifest_sha256);
	if (read_live(&lv, live_path, e) == -1)
		goto fail;
	decision = import_decide(&lv, m, o->force);
	/* The files are checked even for an export that is not loaded: a
	 * damaged copy is still worth an error.  When the export is loaded,
	 * naliczenia.xml (most of the bytes) is hashed by the thread that
	 * parses it, as it reads it (load_export), and checked before
	 * anything can become live. */
	for (f = 0; f < FILE_COUNT; f++) {
		if (!m->file[f].listed)       /* an optional file (manifest_read) */
			continue;
		if (((decision != DECIDE_LOAD || f != FILE_NALICZENIA) &&
		    manifest_hash_file(m, o->export_dir, (enum export_file)f, e) == -1) ||
		    manifest_stat_file(o->export_dir, (enum export_file)f, e) == -1)
			goto fail;
	}
	if (decision == DECIDE_UNCHANGED) {
		/* Not logged either: importing the same export twice leaves the
		 * database byte for byte as it was. */
		r->outcome = IMPORT_UNCHANGED;
		rc = 0;
		goto out;
	}
	if (decision == DECIDE_REFUSE) {
		err_set(e, ERR_REFUSED, "%s: export of %s is not newer than the live one (%s); "
		    "use --force to import it anyway", MANIFEST_FILE, m->generated_at,
		    lv.generated_at);
		run.outcome = "refused";
		goto fail;
	}

	if (load_db_create(&db, new_path, e) == -1 || db_migrate(db, 1, e) == -1)
		goto fail;
	l.db = db;
	l.dir = o->export_dir;
	l.home = h;
	l.diag = diag;
	loaded = 1;
	if (load_export(&l, m, new_path, aux_path, o->progress, e) == -1 ||
	    insert_export(db, m, e) == -1 || db_exec(db, "COMMIT", e) == -1)
		goto fail;
	if (o->progress != NULL)
		(void)fprintf(o->progress, "czynsze: indexing and checking\n");
	if (warnings_months_store(db, &r->warnings, e) == -1 ||
	    count_reading_warnings(db, &r->reading_warnings, e) == -1 ||
	    copy_history(db, live_path, e) == -1)
		goto fail;
	run.l = &l;
	run.warnings = r->warnings;
	run.outcome = "ok";
	utc_now(run.finished_at);
	/* No integrity_check here: it reads every page again (a fifth of the
	 * import's time); the crash tests run it on what the import leaves. */
	if (insert_run(db, &run, e) == -1 ||
	    db_exec(db, "PRAGMA journal_mode = DELETE", e) == -1)
		goto fail;
	db_close(db);
	db = NULL;
	if (fsync_path(new_path, e) == -1 || rename_durable(new_path, live_path, e) == -1)
		goto fail;
	r->outcome = IMPORT_OK;
	memcpy(r->rows, l.rows, sizeof r->rows);
	r->components = l.components;
	/* The new database is live: the documents nobody names any more go.
	 * Too late to fail the import: a failure here leaves files the next
	 * import removes. */
	if (docstore_prune(h, NULL, &ignored) == -1 && o->progress != NULL)
		(void)fprintf(o->progress, "czynsze: document store not pruned: %s\n", ignored.msg);
	rc = 0;
	goto out;
fail:
	db_close(db);
	db = NULL;
	(void)unlink(new_path);
	/* what this load added to the document store, unless the live
	 * database names it (best effort, as above) */
	if (loaded)
		(void)docstore_prune(h, NULL, &ignored);
	run.error = e->msg;
	run.l = loaded ? &l : NULL;
	if (!o->no_failure_log)
		log_run_in_live(live_path, &run);
out:
	db_close(db);
	free(m);
	return rc;
}
