/* nightly.c — the nightly job, one function per step (see nightly.h). */
#include "nightly.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "access.h"
#include "access_live.h"
#include "db.h"
#include "docstore.h"
#include "fsutil.h"
#include "generate.h"
#include "generation.h"
#include "import.h"
#include "inbox.h"
#include "letters.h"
#include "lock.h"
#include "rejected.h"
#include "snapshot.h"

#define DB_PREV HOME_DB ".prev"

/* What the job carries from step to step. */
struct job {
	const struct home *h;
	const struct nightly_opts *o;
	struct runlog *log;
	struct nightly_result *r;
	char incoming[PATH_BYTES_MAX];   /* the private copy, "" when none */
	char live[GENERATION_NAME_MAX];  /* live generation before the run */
	char gen[GENERATION_NAME_MAX];   /* the one being made, "" when none */
	int pending;                     /* nightly.pending written */
	int unchanged;                   /* import found this export live already */
	char sha256[SHA256_HEX_LEN + 1];  /* the export's manifest digest */
};

/* ---- the pending marker and the undo ------------------------------- */

static int
pending_write(const struct home *h, const char *gen, struct err *e)
{
	char path[PATH_BYTES_MAX], line[GENERATION_NAME_MAX + 1];
	int n;

	n = snprintf(line, sizeof line, "%s\n", gen);
	if (home_path(h, NIGHTLY_PENDING, path, e) == -1)
		return -1;
	return write_file_atomic(path, line, (size_t)n, 0600, e);
}

/* Puts the previous database back (if the run replaced it) and removes
 * everything the run made that is not live. */
static int
undo(const struct home *h, const char *gen, const char *live, struct err *e)
{
	char prev[PATH_BYTES_MAX], db[PATH_BYTES_MAX], pending[PATH_BYTES_MAX];

	if (home_path(h, DB_PREV, prev, e) == -1 || home_path(h, HOME_DB, db, e) == -1 ||
	    home_path(h, NIGHTLY_PENDING, pending, e) == -1)
		return -1;
	if (access(prev, F_OK) == 0) {
		/* rename(2) of two links to one file does nothing: hence the unlink */
		if (rename_durable(prev, db, e) == -1 || unlink_if_exists(prev, e) == -1 ||
		    docstore_prune(h, NULL, e) == -1)  /* the undone import's documents */
			return -1;
	}
	if (gen[0] != '\0' && strcmp(gen, live) != 0 && generation_remove(h, gen, e) == -1)
		return -1;
	if (generation_clean_staging(h, e) == -1 || inbox_clean(h, e) == -1)
		return -1;
	return unlink_if_exists(pending, e);
}

/* The run reached the switch: the previous database is history, and so
 * are the documents only it named (best effort: the switch is done; what
 * stays is removed by the next import). */
static int
finish(const struct home *h, struct err *e)
{
	char prev[PATH_BYTES_MAX], pending[PATH_BYTES_MAX];
	struct err ignored;

	if (home_path(h, DB_PREV, prev, e) == -1 ||
	    home_path(h, NIGHTLY_PENDING, pending, e) == -1 ||
	    unlink_if_exists(prev, e) == -1 || fsync_path(h->dir, e) == -1)
		return -1;
	(void)docstore_prune(h, NULL, &ignored);
	return unlink_if_exists(pending, e);
}

int
nightly_recover(const struct home *h, int *recovered, struct err *e)
{
	char path[PATH_BYTES_MAX], live[GENERATION_NAME_MAX];
	char *text = NULL;
	size_t n;
	int rc = -1;

	*recovered = 0;
	if (home_path(h, NIGHTLY_PENDING, path, e) == -1 || generation_live(h, live, e) == -1)
		return -1;
	if (access(path, F_OK) == -1) {
		if (errno != ENOENT)
			return err_sys(e, "%s", path);
		/* no interrupted job; staging left by an interrupted
		 * rollback-free crash before the marker: clean anyway */
		if (generation_clean_staging(h, e) == -1 || inbox_clean(h, e) == -1)
			return -1;
		return 0;
	}
	*recovered = 1;
	if (read_file(&text, &n, path, 256, e) == -1)
		return -1;
	text[strcspn(text, "\n")] = '\0';
	if (text[0] != '\0' && strcmp(text, live) == 0)
		rc = finish(h, e) == -1 || generation_clean_staging(h, e) == -1 ||
		    inbox_clean(h, e) == -1 ? -1 : 0;
	else
		rc = undo(h, text, live, e);
	free(text);
	return rc;
}

int
nightly_lock_db(int *fd_out, const char *lock_path, const struct home *h, int wait,
    struct err *e)
{
	int recovered;

	if (lock_acquire(fd_out, lock_path, wait, e) == -1)
		return -1;
	if (nightly_recover(h, &recovered, e) == -1) {
		lock_release(*fd_out);
		*fd_out = -1;
		return err_prefix(e, "completing an interrupted nightly run");
	}
	return 0;
}

int
nightly_lock(int *fd_out, const char *lock_path, const struct home *h, int wait,
    struct err *e)
{
	int recovered;

	if (nightly_lock_db(fd_out, lock_path, h, wait, e) == -1)
		return -1;
	/* and of a credentials command: HOME/access follows keys.db */
	if (access_live_recover(h, &recovered, e) == -1) {
		lock_release(*fd_out);
		*fd_out = -1;
		return err_prefix(e, "completing an interrupted credentials command");
	}
	return 0;
}

int
nightly_live_db(const struct home *h, char out[PATH_BYTES_MAX], struct err *e)
{
	char pending[PATH_BYTES_MAX], prev[PATH_BYTES_MAX], live[GENERATION_NAME_MAX];
	char *text = NULL;
	size_t n;
	int switched;

	if (home_path(h, HOME_DB, out, e) == -1 || home_path(h, NIGHTLY_PENDING, pending, e) == -1 ||
	    home_path(h, DB_PREV, prev, e) == -1)
		return -1;
	if (access(pending, F_OK) == -1)
		return errno == ENOENT ? 0 : err_sys(e, "%s", pending);
	if (read_file(&text, &n, pending, 256, e) == -1) {
		/* the run finished between the two calls: czynsze.db is live */
		if (access(pending, F_OK) == -1 && errno == ENOENT)
			return 0;
		return -1;
	}
	text[strcspn(text, "\n")] = '\0';
	switched = text[0] != '\0' && generation_live(h, live, e) == 0 && strcmp(text, live) == 0;
	free(text);
	if (!switched && access(prev, F_OK) == 0)
		(void)memcpy(out, prev, PATH_BYTES_MAX);
	return 0;
}

/* ---- the steps ------------------------------------------------------ */

static int
step_receive(struct job *j, struct err *e)
{
	if (inbox_ready(j->o->export_dir, j->o->settle_ms, e) == -1)
		return -1;
	return inbox_receive(j->h, j->o->export_dir, j->incoming, e);
}

static int
step_import(struct job *j, struct err *e)
{
	char db[PATH_BYTES_MAX], prev[PATH_BYTES_MAX];
	struct import_opts io = { NULL, 0, NULL, 0 };
	struct import_result ir;
	struct status *st = &j->r->st;

	if (home_path(j->h, HOME_DB, db, e) == -1 || home_path(j->h, DB_PREV, prev, e) == -1 ||
	    unlink_if_exists(prev, e) == -1 || pending_write(j->h, "", e) == -1)
		return -1;
	j->pending = 1;
	if (link(db, prev) == -1 && errno != ENOENT)
		return err_sys(e, "link %s to %s", db, prev);
	io.export_dir = j->incoming;
	io.progress = j->o->progress;
	io.no_failure_log = 1;
	if (import_run(j->h, &io, &ir, &j->r->diag, e) == -1)
		return -1;
	j->unchanged = ir.outcome == IMPORT_UNCHANGED;
	(void)memcpy(j->sha256, ir.manifest_sha256, sizeof j->sha256);
	(void)snprintf(st->export_generated_at, sizeof st->export_generated_at, "%s",
	    ir.generated_at);
	st->premises = ir.rows[FILE_LOKALE];
	st->people = ir.rows[FILE_OSOBY];
	st->cards = ir.rows[FILE_KARTOTEKI];
	st->bookings = ir.rows[FILE_OBROTY];
	st->components = ir.components;
	st->announcements = ir.rows[FILE_KOMUNIKATY];
	st->warnings = ir.warnings + ir.reading_warnings;   /* both tables */
	return 0;
}

/* An export a rollback rejected goes no further, unless forced. */
static int
step_check_rejected(struct job *j, struct err *e)
{
	char when[21];
	int found;

	if (j->o->force)
		return 0;
	if (rejected_find(j->h, j->sha256, &found, when, e) == -1)
		return -1;
	if (!found)
		return 0;
	j->r->rejected = 1;
	return err_set(e, ERR_REFUSED, "the export of %s was rolled back (%s) and is not "
	    "published again; a newer export will be, or this one with nightly --force",
	    j->r->st.export_generated_at, when);
}

/* Counts of the live database, for an export that was already imported
 * (the importer does not count what it did not load). */
static int
count_live(struct job *j, struct db *db, struct err *e)
{
	static const char *const sql[] = {
		"SELECT count(*) FROM premises", "SELECT count(*) FROM person",
		"SELECT count(*) FROM card", "SELECT count(*) FROM booking",
		"SELECT count(*) FROM warning",
	};
	uint64_t *out[] = { &j->r->st.premises, &j->r->st.people, &j->r->st.cards,
		&j->r->st.bookings, &j->r->st.warnings };
	struct db_stmt *st = NULL;
	size_t i;

	for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		if (db_prepare(&st, db, sql[i], e) == -1)
			return -1;
		if (db_step(st, NULL, e) != 1) {
			db_finalize(st);
			return -1;
		}
		*out[i] = (uint64_t)db_col_int64(st, 0);
		db_finalize(st);
	}
	return 0;
}

static int
step_generate(struct job *j, struct err *e)
{
	char db_path[PATH_BYTES_MAX], staging[PATH_BYTES_MAX], www[PATH_BYTES_MAX];
	char keys_path[PATH_BYTES_MAX], legacy[PATH_BYTES_MAX];
	char sha_path[PATH_BYTES_MAX], sha_line[SHA256_HEX_LEN + 2];
	struct generate g;
	int rc = -1, n;

	memset(&g, 0, sizeof g);
	if (generation_new_name(j->h, j->r->st.export_generated_at, j->gen, e) == -1 ||
	    pending_write(j->h, j->gen, e) == -1 ||
	    generation_stage(j->h, j->gen, j->live, staging, &j->r->linked, e) == -1 ||
	    home_path(j->h, HOME_DB, db_path, e) == -1 ||
	    home_path(j->h, HOME_KEYS_DB, keys_path, e) == -1 ||
	    path_join(www, staging, GENERATION_WWW, e) == -1 ||
	    db_open(&g.db, db_path, DB_READONLY, e) == -1)
		goto out;
	/* Logins live in HOME/access, not in generations (access_live.h): drop
	 * what a generation made by an older czynsze carried. */
	if (path_join(legacy, staging, GENERATION_HTPASSWD, e) == -1 ||
	    remove_tree(legacy, e) == -1 || path_join(legacy, www, ACCESS_AUTH, e) == -1 ||
	    remove_tree(legacy, e) == -1)
		goto out;
	if (j->unchanged && count_live(j, g.db, e) == -1)
		goto out;
	g.out_dir = www;
	g.db_path = db_path;        /* lets generate start its worker threads */
	g.templates_dir = j->o->templates_dir;
	g.config = j->o->config;
	g.keys_db_path = keys_path;
	g.htpasswd_dir = NULL;
	g.home = j->h;
	if (j->o->progress != NULL)
		(void)fprintf(j->o->progress, "czynsze: generating the site\n");
	if (generate_run(&g, e) == -1) {
		(void)err_prefix(e, "generate");
		goto out;
	}
	j->r->st.files_written = g.written;
	j->r->st.files_unchanged = g.unchanged;
	j->r->st.residents = g.residents;
	if (j->unchanged && g.written == 0 && g.removed == 0 && j->live[0] != '\0') {
		/* same export, same templates: the live site is this one */
		if (generation_remove(j->h, j->gen, e) == -1)
			goto out;
		j->gen[0] = '\0';
	} else {
		/* which export this generation shows, for rollback (rejected.h) */
		n = snprintf(sha_line, sizeof sha_line, "%s\n", j->sha256);
		if (path_join(sha_path, staging, REJECTED_GEN_FILE, e) == -1 ||
		    write_file_atomic(sha_path, sha_line, (size_t)n, 0600, e) == -1 ||
		    generation_commit(j->h, j->gen, e) == -1)
			goto out;
	}
	rc = 0;
out:
	generate_free(&g);
	db_close(g.db);
	return rc;
}

static int
step_snapshot(struct job *j, struct err *e)
{
	struct snapshot_result sr;

	memset(&sr, 0, sizeof sr);
	if (snapshot_commit(j->h, &sr, e) == -1)
		return err_prefix(e, "audit snapshot");
	j->r->snapshot = 1;
	return 0;
}

static int
step_switch(struct job *j, struct err *e)
{
	if (j->gen[0] != '\0' && generation_switch(j->h, j->gen, e) == -1)
		return -1;
	return finish(j->h, e);
}

/* Letters (passwords in clear) older than LETTERS_PURGE_DAYS go. */
static void
purge_letters(struct job *j)
{
	char parent[PATH_BYTES_MAX];
	size_t removed = 0;
	struct err e;

	err_clear(&e);
	if (home_path(j->h, LETTERS_DIR, parent, &e) == -1 ||
	    letters_purge(parent, LETTERS_PURGE_DAYS, time(NULL), &removed, &e) == -1) {
		runlog_printf(j->log, RUNLOG_WARNING, "purging old letters: %s", e.msg);
		j->r->st.warnings++;
	} else if (removed > 0) {
		runlog_printf(j->log, RUNLOG_INFO, "removed %zu letter batch%s older than %d days",
		    removed, removed == 1 ? "" : "es", LETTERS_PURGE_DAYS);
	}
}

/* Runs one step; a failure records its name (nightly_result.failed_step). */
static int
run_step(struct job *j, const char *name, int (*step)(struct job *, struct err *),
    struct err *e)
{
	if (step(j, e) == 0)
		return 0;
	j->r->failed_step = name;
	return -1;
}

/* After the switch: failures are warnings, the night is live. */
static void
step_keep(struct job *j)
{
	struct err e;

	err_clear(&e);
	if (j->unchanged) {
		if (remove_tree(j->incoming, &e) == -1)
			runlog_printf(j->log, RUNLOG_WARNING, "%s", e.msg);
	} else if (inbox_keep(j->h, j->incoming, j->r->st.export_generated_at,
	    j->o->keep_exports, j->r->archived, &e) == -1) {
		runlog_printf(j->log, RUNLOG_WARNING, "keeping the export: %s", e.msg);
		j->r->st.warnings++;
	}
	j->incoming[0] = '\0';
	if (generation_prune(j->h, j->o->keep_generations, &j->r->pruned, &e) == -1) {
		runlog_printf(j->log, RUNLOG_WARNING, "removing old generations: %s", e.msg);
		j->r->st.warnings++;
	}
	purge_letters(j);
}

/* ---- the job --------------------------------------------------------- */

static const char *
outcome_of(enum err_kind k)
{
	switch (k) {
	case ERR_NONE: return "ok";
	case ERR_REFUSED: return "refused";
	case ERR_NOT_READY: return "not-ready";
	default: return "failed";
	}
}

static void
write_status(struct job *j, int rc, const struct err *e)
{
	struct status *st = &j->r->st;
	struct status prev;
	struct err ignored;

	utc_now(st->finished_at);
	(void)snprintf(st->export_dir, sizeof st->export_dir, "%s", j->o->export_dir);
	if (generation_live(j->h, st->live_generation, &ignored) == -1)
		st->live_generation[0] = '\0';
	if (rc == 0) {
		(void)snprintf(st->outcome, sizeof st->outcome, "%s",
		    j->unchanged && j->gen[0] == '\0' ? "unchanged" : "ok");
		st->exit_status = 0;
		st->message[0] = '\0';
		memcpy(st->last_success_at, st->finished_at, sizeof st->last_success_at);
		memcpy(st->last_success_export, st->export_generated_at,
		    sizeof st->last_success_export);
	} else {
		(void)snprintf(st->outcome, sizeof st->outcome, "%s", outcome_of(e->kind));
		st->exit_status = e->kind == ERR_NONE ? ERR_INTERNAL : (int)e->kind;
		(void)snprintf(st->message, sizeof st->message, "%s", e->msg);
		if (status_read(j->h, &prev, &ignored) == 0) {
			memcpy(st->last_success_at, prev.last_success_at, sizeof st->last_success_at);
			memcpy(st->last_success_export, prev.last_success_export,
			    sizeof st->last_success_export);
		}
	}
	if (status_write(j->h, st, &ignored) == -1)
		runlog_printf(j->log, RUNLOG_ERROR, "writing the status file: %s", ignored.msg);
}

static double
elapsed(const struct timespec *t0)
{
	struct timespec t1;

	(void)clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int
nightly_job(const struct home *h, const struct nightly_opts *o, struct runlog *log,
    struct nightly_result *r, struct err *e)
{
	struct job j;
	struct timespec t0;
	struct err undo_err;
	int rc = -1, cred_recovered;

	memset(r, 0, sizeof *r);
	memset(&j, 0, sizeof j);
	j.h = h;
	j.o = o;
	j.log = log;
	j.r = r;
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	utc_now(r->st.started_at);
	runlog_printf(log, RUNLOG_INFO, "start: export %s", o->export_dir);
	if (nightly_recover(h, &r->recovered, e) == -1 ||
	    access_live_recover(h, &cred_recovered, e) == -1)
		goto out;
	if (cred_recovered)
		runlog_printf(log, RUNLOG_WARNING, "an interrupted credentials command was "
		    "finished or undone");
	if (r->recovered)
		runlog_printf(log, RUNLOG_WARNING, "the previous run was interrupted; "
		    "its leftovers were removed and the live site and database kept");
	if (generation_live(h, j.live, e) == -1 ||
	    run_step(&j, "receive", step_receive, e) == -1 ||
	    run_step(&j, "import", step_import, e) == -1 ||
	    run_step(&j, "check rejected", step_check_rejected, e) == -1 ||
	    run_step(&j, "generate", step_generate, e) == -1 ||
	    run_step(&j, "snapshot", step_snapshot, e) == -1 ||
	    run_step(&j, "switch", step_switch, e) == -1)
		goto out;
	step_keep(&j);
	err_clear(&undo_err);
	if (o->force && rejected_remove(h, j.sha256, &undo_err) == -1)
		runlog_printf(log, RUNLOG_WARNING, "forgetting the rejection: %s", undo_err.msg);
	rc = 0;
out:
	if (rc == -1 && j.pending) {
		err_clear(&undo_err);
		if (undo(h, j.gen, j.live, &undo_err) == -1)
			runlog_printf(log, RUNLOG_ERROR, "undoing the failed run: %s "
			    "(the next run retries)", undo_err.msg);
	} else if (rc == -1 && j.incoming[0] != '\0') {
		(void)remove_tree(j.incoming, &undo_err);
	}
	r->seconds = elapsed(&t0);
	if (rc == -1 && e->kind == ERR_NOT_READY) {
		runlog_printf(log, RUNLOG_INFO, "export not ready, nothing done: %s", e->msg);
	} else if (rc == -1) {
		runlog_lines(log, RUNLOG_ERROR, r->diag.errors > 0 ? r->diag.error_text.data : NULL);
		runlog_printf(log, RUNLOG_ERROR, "failed (exit %d): %s", (int)e->kind, e->msg);
	} else {
		runlog_printf(log, RUNLOG_INFO, "%s: export of %s, %llu cards, %llu bookings, "
		    "%llu warnings; site %s (%llu files written, %lu linked); %.1f s",
		    j.unchanged && j.gen[0] == '\0' ? "unchanged" : "ok",
		    r->st.export_generated_at, (unsigned long long)r->st.cards,
		    (unsigned long long)r->st.bookings, (unsigned long long)r->st.warnings,
		    j.gen[0] != '\0' ? j.gen : j.live, (unsigned long long)r->st.files_written,
		    r->linked, r->seconds);
	}
	write_status(&j, rc, e);
	return rc;
}

void
nightly_result_free(struct nightly_result *r)
{
	if (r != NULL)
		diag_free(&r->diag);
}
