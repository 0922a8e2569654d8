/*
 * nightly.h — `czynsze nightly`: receive, import, generate, snapshot,
 * publish, as one job that either completes or changes nothing live.
 *
 * The caller holds the home's lock (lock.h) for the whole job.  Steps:
 *
 *   0. recover   finish or undo what an interrupted run (kill -9, power
 *                loss) left: see "Crash safety" below
 *   1. receive   wait for a complete export (inbox.h), copy it into
 *                HOME/exports/.incoming-PID
 *   2. import    the copy into HOME/czynsze.db (import.h); the previous
 *                database is kept as the hard link HOME/czynsze.db.prev;
 *                an export a rollback rejected stops here (rejected.h)
 *   3. generate  into HOME/sites/.staging-NAME, a hard-linked copy of the
 *                live generation, then committed as HOME/sites/NAME
 *                (generation.h)
 *   4. snapshot  the auditors' commit (audit/snapshot.h, when built in)
 *   5. switch    HOME/site -> sites/NAME in one rename: the commit point
 *   6. keep      the export copy becomes HOME/exports/ksm-YYYYMMDD; old
 *                generations and exports are removed (failures here are
 *                warnings: the night's work is already live)
 *
 * Snapshot comes after generate (not before) because it is the one step
 * that cannot be undone: everything that can fail has failed by then.
 *
 * Crash safety.  Before step 2, HOME/nightly.pending is written; after
 * the generation is committed it names it.  A run that finds the file knows
 * the last one was interrupted: if HOME/site already points to the named
 * generation the switch happened and only the leftovers go; otherwise the
 * old database comes back (rename of czynsze.db.prev) and the unpublished
 * generation, staging folders and incoming copies are removed.  The same
 * undo runs when a step fails.  Commands that take the lock complete this
 * recovery first (nightly_lock); statement, which takes no lock, reads
 * the previous database while the marker says the switch has not
 * happened (nightly_live_db): the office never reads a night the
 * residents do not see, whether a run is under way or was killed.
 */
#ifndef CZYNSZE_NIGHTLY_H
#define CZYNSZE_NIGHTLY_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "err.h"
#include "home.h"
#include "runlog.h"
#include "status.h"

#define NIGHTLY_PENDING "nightly.pending"

struct config;

struct nightly_opts {
	const char *export_dir;
	const char *templates_dir;
	const struct config *config;   /* HOME/czynsze.conf (the footer's details) */
	unsigned settle_ms;
	size_t keep_generations;    /* >= 1 */
	size_t keep_exports;
	FILE *progress;             /* a terminal, or NULL */
	int force;                  /* publish an export a rollback rejected */
};

struct nightly_result {
	struct status st;           /* what went into HOME/status.json */
	struct diag diag;           /* the import's data errors, if any */
	int recovered;              /* an interrupted run was cleaned up */
	int rejected;               /* refused: a rollback rejected this export */
	int snapshot;               /* a snapshot step ran (audit built in) */
	unsigned long linked;       /* files carried over by hard link */
	size_t pruned;              /* old generations removed */
	char archived[64];          /* HOME/exports/ name kept, or "" */
	const char *failed_step;    /* on failure the step that failed: "receive",
	                               "import", "check rejected", "generate",
	                               "snapshot" or "switch"; NULL when none did */
	double seconds;
};

/*
 * Runs the job, logs it (log), and writes HOME/status.json whatever
 * happens.  Returns 0, or -1 with e set: ERR_NOT_READY (export still
 * arriving), ERR_DATA (bad export; every error in r->diag), ERR_REFUSED
 * (older than the live export, or rejected by a rollback (rejected.h)
 * and not o->force: then r->rejected is set), ERR_SYSTEM (I/O, disk full),
 * ERR_INTERNAL.  On -1 nothing live changed: HOME/site, HOME/czynsze.db
 * and the snapshots are as they were.  r->diag is freed by the caller
 * (nightly_result_free).
 */
int nightly_job(const struct home *h, const struct nightly_opts *o, struct runlog *log,
    struct nightly_result *r, struct err *e);

void nightly_result_free(struct nightly_result *r);

/* Step 0 on its own (used by rollback too).  *recovered set when
 * something was undone or finished. */
int nightly_recover(const struct home *h, int *recovered, struct err *e);

/*
 * What every command that writes in the home or reads HOME/czynsze.db
 * under the lock does instead of lock_acquire() alone: takes the lock
 * (same arguments, lock.h) and then completes the recovery of an
 * interrupted run, so that it never reads a database the live site was
 * not made from, and of an interrupted credentials command
 * (access_live_recover).  On -1 the lock is not held.
 */
int nightly_lock(int *fd_out, const char *lock_path, const struct home *h, int wait,
    struct err *e);

/*
 * nightly_lock without the credentials part, for the audit commands that
 * read HOME/czynsze.db and write only HOME/snapshots.git (audit snapshot,
 * audit gc): they never read a database the live site was not made
 * from, and leave HOME/access and the logins to the commands that deal
 * with them (every other caller of nightly_lock), which finish an
 * interrupted credentials command the next time they run.  Checking the
 * access files costs a read of every one of them (15 ms at 3,000 people),
 * a sixth of a quiet night's snapshot.  On -1 the lock is not held.
 */
int nightly_lock_db(int *fd_out, const char *lock_path, const struct home *h, int wait,
    struct err *e);

/*
 * For readers without the lock (statement): the database the live site
 * was made from, into out.  That is HOME/czynsze.db, except while a run
 * is under way or was interrupted between its import and its switch:
 * then the previous database, still live, is HOME/czynsze.db.prev.  A
 * reader that finds the file gone (the run just finished) reads
 * HOME/czynsze.db, which is then live.
 */
int nightly_live_db(const struct home *h, char out[PATH_BYTES_MAX], struct err *e);

#endif
