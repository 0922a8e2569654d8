/*
 * load_export.c — loading an export, in phases, on two threads
 * (load_export.h).
 */
#include "load_export.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "fsutil.h"
#include "load_progress.h"
#include "month_totals.h"
#include "warnings.h"

static int
check_rows(const struct load *l, const struct manifest *m, enum export_file f, struct err *e)
{
	if (l->rows[f] != m->file[f].rows)
		return err_set(e, ERR_DATA, "%s: the manifest says %llu rows, the file has %llu "
		    "(broken transfer?)", export_file_names[f],
		    (unsigned long long)m->file[f].rows, (unsigned long long)l->rows[f]);
	return 0;
}

/* Loads file f with its loader and checks its row count. */
static int
load_one(struct load *l, const struct manifest *m, enum export_file f,
    struct load_progress *progress, struct err *e)
{
	static int (*const loaders[FILE_COUNT])(struct load *, struct err *) = {
		load_premises, load_people, load_cards, load_bookings, load_charges,
		load_announcements, load_readings, load_documents,
	};

	load_progress_start(progress, f);
	if (loaders[f](l, e) == -1)
		return -1;
	return check_rows(l, m, f, e);
}

/*
 * naliczenia.xml is loaded by a second thread into a database of its own
 * while the main thread loads obroty.csv: the two large files on two
 * cores.  Its rows are then copied into the main database page by page.
 */
struct charges_job {
	struct load l;               /* l.db is the job's own database */
	struct diag diag;
	struct err e;
	const char *path;
	int rc;
	_Atomic int cancel;
	_Atomic int done;            /* set by the thread when it ends */
	char sha256[SHA256_HEX_LEN + 1]; /* of naliczenia.xml as read, when rc is 0 */
};

static void *
charges_thread(void *arg)
{
	struct charges_job *j = arg;
	struct db *db = NULL;
	struct sha256_set *sha = NULL;
	unsigned char md[SHA256_BYTES];

	j->rc = -1;
	if (sha256_set_new(&sha, 1, &j->e) == -1)
		goto out;
	j->l.file_sha = sha;
	if (load_db_create(&db, j->path, &j->e) == -1 ||
	    db_exec(db, load_charges_schema, &j->e) == -1 ||
	    db_exec(db, "BEGIN", &j->e) == -1)
		goto out;
	j->l.db = db;
	if (load_charges(&j->l, &j->e) == -1 || db_exec(db, "COMMIT", &j->e) == -1 ||
	    sha256_set_final(sha, 0, md, &j->e) == -1)
		goto out;
	crypto_hex(j->sha256, md, sizeof md);
	j->rc = 0;
out:
	/* Always, so that the main thread's month check (warnings_months_check) ends. */
	if (month_totals_finish(j->l.totals, j->rc == 0 ? &j->e : &(struct err){0}) == -1)
		j->rc = -1;
	db_close(db);
	sha256_set_free(sha);
	j->l.file_sha = NULL;
	j->done = 1;
	return NULL;
}

/* Copies the job's tables into db; whole pages while foreign keys are off
 * (load_charges checked every card itself). */
static int
copy_charges(struct db *db, const char *aux_path, struct err *e)
{
	int rc;

	if (db_exec(db, "PRAGMA foreign_keys = OFF", e) == -1)
		return -1;
	rc = db_exec_attached(db, aux_path, "INSERT INTO charge_kind SELECT * FROM other.charge_kind; "
	    "INSERT INTO charge SELECT * FROM other.charge;", e);
	if (db_exec(db, "PRAGMA foreign_keys = ON", rc == 0 ? e : &(struct err){0}) == -1)
		rc = -1;
	return rc;
}

/* The schema migrations applied once the ledger is in (002 indexes, 003
 * card_digest); the rest (004: charge_card_period) once the charges are. */
#define SCHEMA_AFTER_LEDGER 3

/*
 * Builds the charges' unique index (the migrations after
 * SCHEMA_AFTER_LEDGER).  When that fails because a card is listed twice
 * in one month, every such <kartoteka> but the first goes to diag
 * ("card listed twice in one month", as load_charges says it where the
 * index is there from the start), found by charge id: charge n is month
 * total n - 1, which knows its line.
 */
static int
build_charge_index(struct load *l, struct month_totals *t, struct err *e)
{
	struct db_stmt *st = NULL;
	struct month_total rec;
	struct err de;
	size_t got;
	int found = 0;

	if (db_migrate(l->db, 0, e) == 0)
		return 0;
	/* e holds the migration's error, unless duplicates explain it. */
	if (db_prepare(&st, l->db, "SELECT id, card_id FROM (SELECT id, card_id, row_number() "
	    "OVER (PARTITION BY card_id, period ORDER BY id) AS n FROM charge) WHERE n > 1 "
	    "ORDER BY id", &de) == -1)
		return -1;
	while (db_step(st, NULL, &de) == 1) {
		if (month_totals_read(t, (uint64_t)db_col_int64(st, 0) - 1, &rec, 1, &got, &de) == -1 ||
		    got != 1)
			break;
		err_set(&de, ERR_DATA, "%s:%lld: attribute id: card listed twice in one month (%s)",
		    export_file_names[FILE_NALICZENIA], (long long)rec.line, db_col_text(st, 1));
		if (!found)
			*e = de;
		found = 1;
		if (diag_error(l->diag, &de) == -1)
			break;
	}
	db_finalize(st);
	return -1;
}

/* One load: what it holds until load_state_free. */
struct load_state {
	struct load *l;
	const struct manifest *m;
	const char *db_path, *aux_path;
	struct load_progress progress;
	struct load_progress *pp;       /* &progress on a terminal, else NULL */
	struct card_set *cards;
	struct card_digest *booking_digest, *charge_digest;
	struct card_digest *people_digest, *premises_digest;
	struct ledger_sum *sums;
	struct month_totals *totals;
	char totals_path[PATH_BYTES_MAX];
	struct charges_job *job;
	pthread_t thread;
	int started;                    /* the charges thread is to be joined */
	int verified;                   /* naliczenia.xml's checksum checked */
};

/* 1. The small files, then their cards in memory, with a digest stream
 * per card for the ledger and one for the charges. */
static int
load_base(struct load_state *s, struct err *e)
{
	size_t f;

	if (db_exec(s->l->db, "BEGIN", e) == -1 ||
	    card_digest_new(&s->people_digest, 1, e) == -1 ||
	    card_digest_new(&s->premises_digest, 1, e) == -1)
		return -1;
	for (f = FILE_LOKALE; f <= FILE_KARTOTEKI; f++) {
		s->l->table_digest = f == FILE_LOKALE ? s->premises_digest :
		    f == FILE_OSOBY ? s->people_digest : NULL;
		if (load_one(s->l, s->m, (enum export_file)f, s->pp, e) == -1)
			return -1;
	}
	s->l->table_digest = NULL;
	if (db_exec(s->l->db, "COMMIT", e) == -1 || card_set_load(&s->cards, s->l->db, e) == -1 ||
	    card_digest_new(&s->booking_digest, card_set_count(s->cards), e) == -1 ||
	    card_digest_new(&s->charge_digest, card_set_count(s->cards), e) == -1)
		return -1;
	s->sums = calloc(card_set_count(s->cards) + 1, sizeof *s->sums);
	if (s->sums == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	return 0;
}

/* 2. The thread that loads naliczenia.xml into AUX, handing its month
 * totals over through AUX-totals. */
static int
charges_start(struct load_state *s, struct err *e)
{
	struct charges_job *j = s->job;

	if ((size_t)snprintf(s->totals_path, sizeof s->totals_path, "%s-totals", s->aux_path) >=
	    sizeof s->totals_path)
		return err_set(e, ERR_USAGE, "path too long (%s)", s->aux_path);
	if (month_totals_open(&s->totals, s->totals_path, e) == -1)
		return -1;
	s->l->cards = s->cards;
	s->l->digest = s->booking_digest;
	s->l->sums = s->sums;
	j->l.dir = s->l->dir;
	j->l.diag = &j->diag;
	j->l.cards = s->cards;
	j->l.digest = s->charge_digest;
	j->l.totals = s->totals;
	j->l.cancel = &j->cancel;
	j->path = s->aux_path;
	if (pthread_create(&s->thread, NULL, charges_thread, j) != 0)
		return err_set(e, ERR_SYSTEM, "cannot start a thread");
	s->started = 1;
	load_progress_start(s->pp, FILE_NALICZENIA); /* read by the other thread: no counts */
	return 0;
}

/* 3. While the thread works: the ledger, then what needs only the
 * ledger (the secondary indexes of schema 002 and on, the balances).
 * Foreign keys off: load_bookings checks every card itself (card_set). */
static int
load_ledger(struct load_state *s, struct err *e)
{
	struct db *db = s->l->db;

	if (db_exec(db, "PRAGMA foreign_keys = OFF; BEGIN", e) == -1 ||
	    load_one(s->l, s->m, FILE_OBROTY, s->pp, e) == -1 ||
	    db_exec(db, "COMMIT; PRAGMA foreign_keys = ON", e) == -1 ||
	    db_migrate(db, SCHEMA_AFTER_LEDGER, e) == -1 ||
	    db_exec(db, "BEGIN", e) == -1 ||
	    warnings_balances(db, s->cards, s->sums, e) == -1 ||
	    db_exec(db, "COMMIT", e) == -1)
		return -1;
	return 0;
}

/* 4. Still waiting for the thread: have the ledger and its indexes, all
 * written by now, reach the disk meanwhile, so that the fsync before the
 * rename has little left to do; then check the months as they come. */
static int
check_months(struct load_state *s, struct err *e)
{
	if (!s->job->done && fsync_path(s->db_path, e) == -1)
		return -1;
	return warnings_months_check(s->l->db, s->cards, s->totals, e);
}

/* 5. The thread's end: its errors (as if read after obroty.csv: they
 * were), naliczenia.xml's checksum of the bytes the thread read (it
 * hashed them as it parsed them: the file is read once), its rows. */
static int
charges_join(struct load_state *s, struct err *e)
{
	struct charges_job *j = s->job;
	struct load *l = s->l;

	s->started = 0;
	if (pthread_join(s->thread, NULL) != 0)
		return err_set(e, ERR_INTERNAL, "cannot join a thread");
	if (j->rc == -1) {
		l->diag->errors += j->diag.errors;
		if (j->diag.error_text.len > 0 &&
		    buf_add(&l->diag->error_text, j->diag.error_text.data, j->diag.error_text.len) == -1)
			return err_set(e, ERR_SYSTEM, "out of memory");
		*e = j->e;
		return -1;
	}
	if (manifest_compare_hash(s->m, FILE_NALICZENIA, j->sha256, e) == -1)
		return -1;
	s->verified = 1;
	l->rows[FILE_NALICZENIA] = j->l.rows[FILE_NALICZENIA];
	l->components = j->l.components;
	return check_rows(l, s->m, FILE_NALICZENIA, e);
}

/* 6. The charges into the main database, their index, the per-card
 * digests, the announcements, and a format 2 export's readings and
 * documents (their PDFs into the document store, made durable before
 * this returns); the transaction stays open. */
static int
charges_merge(struct load_state *s, struct err *e)
{
	struct load *l = s->l;
	size_t f;

	if (copy_charges(l->db, s->aux_path, e) == -1 ||
	    build_charge_index(l, s->totals, e) == -1 ||
	    db_exec(l->db, "BEGIN", e) == -1 ||
	    card_digest_store(l->db, s->cards, s->booking_digest, s->charge_digest, e) == -1 ||
	    card_digest_store_table(l->db, "person", s->people_digest, e) == -1 ||
	    card_digest_store_table(l->db, "premises", s->premises_digest, e) == -1 ||
	    load_one(l, s->m, FILE_KOMUNIKATY, s->pp, e) == -1)
		return -1;
	for (f = FILE_OPTIONAL; f < FILE_COUNT; f++)
		if (s->m->file[f].listed && load_one(l, s->m, (enum export_file)f, s->pp, e) == -1)
			return -1;
	return 0;
}

/* After a failure: a thread still running is cancelled and joined. */
static void
charges_stop(struct load_state *s)
{
	if (!s->started)
		return;
	s->job->cancel = 1;
	(void)pthread_join(s->thread, NULL);
	s->started = 0;
}

/* After a failure before naliczenia.xml's checksum was checked: a broken
 * transfer explains any error in the data, so it replaces them. */
static void
blame_broken_transfer(struct load_state *s, struct err *e)
{
	struct err he;

	if (s->verified || manifest_hash_file(s->m, s->l->dir, FILE_NALICZENIA, &he) == 0)
		return;
	*e = he;
	s->l->diag->errors = 0;
	buf_reset(&s->l->diag->error_text);
}

static void
load_state_free(struct load_state *s)
{
	struct load *l = s->l;

	if (s->pp != NULL) {
		db_on_progress(l->db, 0, NULL, NULL);
		if (s->progress.dirty)
			(void)fputc('\n', s->progress.f);
	}
	if (s->job != NULL)
		diag_free(&s->job->diag);
	free(s->job);
	l->cards = NULL;
	l->digest = NULL;
	l->sums = NULL;
	free(s->sums);
	l->table_digest = NULL;
	card_digest_free(s->booking_digest);
	card_digest_free(s->charge_digest);
	card_digest_free(s->people_digest);
	card_digest_free(s->premises_digest);
	card_set_free(s->cards);
	if (s->totals != NULL) {
		month_totals_free(s->totals);
		(void)unlink(s->totals_path);
	}
	(void)unlink(s->aux_path);
}

int
load_export(struct load *l, const struct manifest *m, const char *db_path,
    const char *aux_path, FILE *progress, struct err *e)
{
	struct load_state s;
	int rc = -1;

	memset(&s, 0, sizeof s);
	s.l = l;
	s.m = m;
	s.db_path = db_path;
	s.aux_path = aux_path;
	s.progress = (struct load_progress){ progress, l, m, FILE_LOKALE, { 0, 0 }, { 0, 0 }, 0 };
	s.pp = progress != NULL ? &s.progress : NULL;
	s.job = calloc(1, sizeof *s.job);
	if (s.job == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (s.pp != NULL)
		db_on_progress(l->db, LOAD_PROGRESS_OPS, load_progress_tick, s.pp);
	if (load_base(&s, e) == 0 && charges_start(&s, e) == 0 && load_ledger(&s, e) == 0 &&
	    check_months(&s, e) == 0 && charges_join(&s, e) == 0 && charges_merge(&s, e) == 0)
		rc = 0;
	charges_stop(&s);
	if (rc == -1)
		blame_broken_transfer(&s, e);
	load_state_free(&s);
	return rc;
}

int
load_db_create(struct db **out, const char *path, struct err *e)
{
	int fd;

	if (unlink_if_exists(path, e) == -1)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1)
		return err_sys(e, "create %s", path);
	(void)close(fd);
	if (db_open(out, path, DB_READWRITE, e) == -1)
		return -1;
	/* Nothing reads this file until it is complete and renamed into
	 * place, and a crash just leaves it to be deleted: no journal. */
	return db_exec(*out, "PRAGMA page_size = 8192; PRAGMA journal_mode = OFF; "
	    "PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; "
	    "PRAGMA cache_size = -65536; PRAGMA temp_store = FILE;", e);
}
