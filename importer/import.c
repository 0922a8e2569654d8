/* import.c — the import, from manifest to the rename that makes it live. */
#include "import.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "db.h"
#include "fsutil.h"
#include "load.h"
#include "month_totals.h"

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

static int
check_rows(const struct load *l, const struct manifest *m, enum export_file f, struct err *e)
{
	if (l->rows[f] != m->file[f].rows)
		return err_set(e, ERR_DATA, "%s: the manifest says %llu rows, the file has %llu "
		    "(broken transfer?)", export_file_names[f],
		    (unsigned long long)m->file[f].rows, (unsigned long long)l->rows[f]);
	return 0;
}

/* Progress on a terminal: "obroty.csv: 1 200 000 / 10 000 000 rows
 * (410 000 rows/s)", rewritten in place about once a second.  Called from
 * inside SQLite (db_on_progress), so it reads the loaders' own counters
 * (l->rows, kept current while a file is read) in the loading thread. */
struct progress {
	FILE *f;
	const struct load *l;
	const struct manifest *m;
	enum export_file file;
	struct timespec started, shown;
	int dirty;                    /* a line without its newline is out */
};

#define PROGRESS_OPS 20000         /* VM steps between clock readings */

static double
seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* "1 200 000": groups of three, as the residents' pages write numbers. */
static void
format_count(char out[32], uint64_t v)
{
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v), i, o = 0;

	for (i = 0; i < n && o < 30; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ' ';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

static void
progress_tick(void *vp)
{
	struct progress *p = vp;
	struct timespec now;
	char done[32], total[32];
	double secs;

	if (clock_gettime(CLOCK_MONOTONIC, &now) == -1 || seconds_between(&p->shown, &now) < 1.0)
		return;
	p->shown = now;
	secs = seconds_between(&p->started, &now);
	format_count(done, p->l->rows[p->file]);
	format_count(total, p->m->file[p->file].rows);
	(void)fprintf(p->f, "\rczynsze: %s: %s / %s rows (%.0f rows/s)   ",
	    export_file_names[p->file], done, total,
	    secs > 0 ? (double)p->l->rows[p->file] / secs : 0.0);
	(void)fflush(p->f);
	p->dirty = 1;
}

static void
progress_start(struct progress *p, enum export_file f)
{
	if (p == NULL || p->f == NULL)
		return;
	if (p->dirty)
		(void)fputc('\n', p->f);
	p->dirty = 0;
	p->file = f;
	(void)clock_gettime(CLOCK_MONOTONIC, &p->started);
	p->shown = p->started;
	(void)fprintf(p->f, "czynsze: reading %s\n", export_file_names[f]);
}

/* KSM's own figures against the rows: stored as warnings, never fatal.
 * The balances are checked against the sums load_bookings kept per card
 * (sums, by card_set number: the cards in id order), while
 * naliczenia.xml is still loading; the months once it is in. */
static int
find_balance_warnings(struct db *db, const struct card_set *cards,
    const struct ledger_sum *sums, struct err *e)
{
	struct db_stmt *cs = NULL, *ins = NULL;
	int64_t ledger;
	size_t i;
	int r, rc = -1;

	if (db_prepare(&cs, db, "SELECT id, balance_gr FROM card ORDER BY id", e) == -1 ||
	    db_prepare(&ins, db, "INSERT INTO warning (kind, card_id, period, ksm_gr, "
	    "computed_gr) VALUES ('balance', ?1, NULL, ?2, ?3)", e) == -1)
		goto out;
	for (i = 0; (r = db_step(cs, NULL, e)) == 1; i++) {
		if (i >= card_set_count(cards) ||
		    strcmp(db_col_text(cs, 0), card_set_id(cards, i)) != 0) {
			err_set(e, ERR_INTERNAL, "balances: the cards changed while loading");
			goto out;
		}
		if (__builtin_sub_overflow(sums[i].debit_gr, sums[i].credit_gr, &ledger)) {
			err_set(e, ERR_DATA, "%s: card %s: the ledger's balance is out of range",
			    export_file_names[FILE_OBROTY], card_set_id(cards, i));
			goto out;
		}
		if (ledger == db_col_int64(cs, 1))
			continue;
		if (db_bind_text(ins, 1, card_set_id(cards, i), (size_t)-1, e) == -1 ||
		    db_bind_int64(ins, 2, db_col_int64(cs, 1), e) == -1 ||
		    db_bind_int64(ins, 3, ledger, e) == -1 ||
		    db_step(ins, NULL, e) == -1)
			goto out;
		db_reset(ins);
	}
	if (r == -1)
		goto out;
	rc = 0;
out:
	db_finalize(cs);
	db_finalize(ins);
	return rc;
}

/* The months' check (check_months) found these: into warning, by card
 * and month. */
static int
find_charge_warnings(struct db *db, uint64_t *count, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = -1;

	if (db_exec(db,
	    "INSERT INTO warning (kind, card_id, period, ksm_gr, computed_gr) "
	    "SELECT 'charge', card_id, period, ksm_gr, computed_gr FROM temp.month_mismatch "
	    "ORDER BY card_id, period; DROP TABLE temp.month_mismatch;", e) == -1)
		goto out;
	if (db_prepare(&st, db, "SELECT count(*) FROM warning", e) == -1 ||
	    db_step(st, NULL, e) != 1)
		goto out;
	*count = (uint64_t)db_col_int64(st, 0);
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

#define CHECK_BATCH 4096           /* month totals read at a time */

/*
 * The NAL bookings summed per month and card, read in order (period,
 * card_id) along booking_nal, for totals that come in that order too (an
 * export that lists each month's cards by id); any other total is looked
 * up with a seek (nal).
 */
struct nal_walk {
	struct db_stmt *seq, *nal;
	int at_end, started;
	char period[PERIOD_ISO_LEN + 1], card[ID_BYTES_MAX + 1];  /* the row seq is on */
	int64_t sum_gr;
	char last_period[PERIOD_ISO_LEN + 1], last_card[ID_BYTES_MAX + 1]; /* last key asked */
};

/* Orders (period, card) keys as SQLite's BINARY collation does. */
static int
key_cmp(const char *p1, const char *c1, const char *p2, const char *c2)
{
	int d = strcmp(p1, p2);

	return d != 0 ? d : strcmp(c1, c2);
}

/* Moves w->seq to its next row (w->at_end after the last). */
static int
nal_walk_step(struct nal_walk *w, struct err *e)
{
	int r = db_step(w->seq, NULL, e);

	if (r == -1)
		return -1;
	if (r == 0) {
		w->at_end = 1;
		return 0;
	}
	(void)snprintf(w->period, sizeof w->period, "%s", db_col_text(w->seq, 0));
	(void)snprintf(w->card, sizeof w->card, "%s", db_col_text(w->seq, 1));
	w->sum_gr = db_col_int64(w->seq, 2);
	return 0;
}

/* The sum of the NAL bookings of card in period into *out. */
static int
nal_walk_sum(struct nal_walk *w, const char *period, const char *card, int64_t *out,
    struct err *e)
{
	int r;

	*out = 0;
	if (strlen(card) >= sizeof w->card ||
	    (w->started && key_cmp(period, card, w->last_period, w->last_card) < 0)) {
		/* Out of order (or too long to remember): a seek. */
		if (db_bind_text(w->nal, 1, period, PERIOD_ISO_LEN, e) == -1 ||
		    db_bind_text(w->nal, 2, card, (size_t)-1, e) == -1)
			return -1;
		r = db_step(w->nal, NULL, e);
		if (r == 1)
			*out = db_col_int64(w->nal, 0);
		db_reset(w->nal);
		return r == 1 ? 0 : -1;
	}
	if (!w->started) {
		w->started = 1;
		if (nal_walk_step(w, e) == -1)
			return -1;
	}
	(void)snprintf(w->last_period, sizeof w->last_period, "%s", period);
	(void)snprintf(w->last_card, sizeof w->last_card, "%s", card);
	while (!w->at_end && key_cmp(w->period, w->card, period, card) < 0)
		if (nal_walk_step(w, e) == -1)
			return -1;
	if (!w->at_end && key_cmp(w->period, w->card, period, card) == 0)
		*out = w->sum_gr;
	return 0;
}

/*
 * Checks every card-month's total against the sum of its NAL bookings as
 * the charges thread hands them over (month_totals.h), while it still
 * loads: the mismatches go to temp.month_mismatch for
 * find_charge_warnings.  Returns when the charges thread has finished
 * (successfully or not) and every total is checked.
 */
static int
check_months(struct db *db, const struct card_set *cards, struct month_totals *t,
    struct err *e)
{
	static const struct timespec nap = { 0, 1000000 };
	struct nal_walk w;
	struct db_stmt *ins = NULL;
	struct month_total *r = NULL;
	uint64_t next = 0;
	int64_t wn;
	size_t got, i;
	int finished, rc = -1;

	memset(&w, 0, sizeof w);
	r = malloc(CHECK_BATCH * sizeof *r);
	if (r == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (db_exec(db, "CREATE TEMP TABLE month_mismatch (card_id TEXT NOT NULL, "
	    "period TEXT NOT NULL, ksm_gr INTEGER NOT NULL, computed_gr INTEGER NOT NULL); "
	    "BEGIN", e) == -1 ||
	    db_prepare(&w.nal, db, "SELECT COALESCE(SUM(debit_gr), 0) FROM booking "
	    "WHERE doc_type = 'NAL' AND period = ?1 AND card_id = ?2", e) == -1 ||
	    db_prepare(&w.seq, db, "SELECT period, card_id, SUM(debit_gr) FROM booking "
	    "WHERE doc_type = 'NAL' GROUP BY period, card_id ORDER BY period, card_id", e) == -1 ||
	    db_prepare(&ins, db, "INSERT INTO temp.month_mismatch (card_id, period, ksm_gr, "
	    "computed_gr) VALUES (?1, ?2, ?3, ?4)", e) == -1)
		goto out;
	for (;;) {
		/* Finished before the read: then a read of nothing is the end. */
		finished = month_totals_finished(t);
		if (month_totals_read(t, next, r, CHECK_BATCH, &got, e) == -1)
			goto out;
		if (got == 0) {
			if (finished)
				break;
			(void)nanosleep(&nap, NULL);
			continue;
		}
		for (i = 0; i < got; i++) {
			if (r[i].card >= card_set_count(cards)) {
				err_set(e, ERR_INTERNAL, "check_months: bad card number");
				goto out;
			}
			if (nal_walk_sum(&w, r[i].period, card_set_id(cards, r[i].card), &wn, e) == -1)
				goto out;
			if (wn == r[i].total_gr)
				continue;
			if (db_bind_text(ins, 1, card_set_id(cards, r[i].card), (size_t)-1, e) == -1 ||
			    db_bind_text(ins, 2, r[i].period, PERIOD_ISO_LEN, e) == -1 ||
			    db_bind_int64(ins, 3, wn, e) == -1 ||
			    db_bind_int64(ins, 4, r[i].total_gr, e) == -1 ||
			    db_step(ins, NULL, e) == -1)
				goto out;
			db_reset(ins);
		}
		next += got;
	}
	db_finalize(w.seq); /* ends its read before the commit */
	w.seq = NULL;
	if (db_exec(db, "COMMIT", e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(w.seq);
	db_finalize(w.nal);
	db_finalize(ins);
	free(r);
	return rc;
}

/* Loads file f with its loader and checks its row count. */
static int
load_one(struct load *l, const struct manifest *m, enum export_file f,
    struct progress *progress, struct err *e)
{
	static int (*const loaders[FILE_COUNT])(struct load *, struct err *) = {
		load_premises, load_people, load_cards, load_bookings, load_charges,
		load_announcements,
	};

	progress_start(progress, f);
	if (loaders[f](l, e) == -1)
		return -1;
	return check_rows(l, m, f, e);
}

static int open_new_db(struct db **out, const char *path, struct err *e);

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
	if (open_new_db(&db, j->path, &j->e) == -1 ||
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
	/* Always, so that the main thread's check_months ends. */
	if (month_totals_finish(j->l.totals, j->rc == 0 ? &j->e : &(struct err){0}) == -1)
		j->rc = -1;
	db_close(db);
	sha256_set_free(sha);
	j->l.file_sha = NULL;
	j->done = 1;
	return NULL;
}

/* Attaches the database at path as `other`, runs the fixed SQL copy_sql
 * (which names it other.TABLE), detaches it. */
static int
copy_from(struct db *db, const char *path, const char *copy_sql, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = -1, attached = 0;

	if (db_prepare(&st, db, "ATTACH DATABASE ?1 AS other", e) == -1 ||
	    db_bind_text(st, 1, path, (size_t)-1, e) == -1 ||
	    db_step(st, NULL, e) == -1)
		goto out;
	attached = 1;
	if (db_exec(db, copy_sql, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(st);
	if (attached && db_exec(db, "DETACH DATABASE other", rc == 0 ? e : &(struct err){0}) == -1)
		rc = -1;
	return rc;
}

/* Copies the job's tables into db; whole pages while foreign keys are off
 * (load_charges checked every card itself). */
static int
copy_charges(struct db *db, const char *aux_path, struct err *e)
{
	int rc;

	if (db_exec(db, "PRAGMA foreign_keys = OFF", e) == -1)
		return -1;
	rc = copy_from(db, aux_path, "INSERT INTO charge_kind SELECT * FROM other.charge_kind; "
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

/* Loads every file and applies the schema migrations after 001 (indexes)
 * once the ledger and the charges are in; leaves a transaction open for
 * the caller. */
static int
load_all(struct load *l, const struct manifest *m, const char *db_path, const char *aux_path,
    FILE *progress, struct err *e)
{
	struct charges_job *j = NULL;
	struct card_set *cards = NULL;
	struct card_digest *booking_digest = NULL, *charge_digest = NULL;
	struct ledger_sum *sums = NULL;
	struct month_totals *totals = NULL;
	char totals_path[PATH_BYTES_MAX];
	pthread_t thread;
	struct err he;
	int started = 0, verified = 0, rc = -1;
	struct progress p = { progress, l, m, FILE_LOKALE, { 0, 0 }, { 0, 0 }, 0 };
	struct progress *pp = progress != NULL ? &p : NULL;
	size_t f;

	j = calloc(1, sizeof *j);
	if (j == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (pp != NULL)
		db_on_progress(l->db, PROGRESS_OPS, progress_tick, pp);
	if (db_exec(l->db, "BEGIN", e) == -1)
		goto out;
	for (f = FILE_LOKALE; f <= FILE_KARTOTEKI; f++)
		if (load_one(l, m, (enum export_file)f, pp, e) == -1)
			goto out;
	if (db_exec(l->db, "COMMIT", e) == -1 || card_set_load(&cards, l->db, e) == -1 ||
	    card_digest_new(&booking_digest, card_set_count(cards), e) == -1 ||
	    card_digest_new(&charge_digest, card_set_count(cards), e) == -1)
		goto out;
	sums = calloc(card_set_count(cards) + 1, sizeof *sums);
	if (sums == NULL) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if ((size_t)snprintf(totals_path, sizeof totals_path, "%s-totals", aux_path) >=
	    sizeof totals_path) {
		err_set(e, ERR_USAGE, "path too long (%s)", aux_path);
		goto out;
	}
	if (month_totals_open(&totals, totals_path, e) == -1)
		goto out;
	l->cards = cards;
	l->digest = booking_digest;
	l->sums = sums;
	j->l.dir = l->dir;
	j->l.diag = &j->diag;
	j->l.cards = cards;
	j->l.digest = charge_digest;
	j->l.totals = totals;
	j->l.cancel = &j->cancel;
	j->path = aux_path;
	if (pthread_create(&thread, NULL, charges_thread, j) != 0) {
		err_set(e, ERR_SYSTEM, "cannot start a thread");
		goto out;
	}
	started = 1;
	progress_start(pp, FILE_NALICZENIA); /* read by the other thread: no counts */
	/* While the thread works: the ledger, then what needs only the
	 * ledger (the secondary indexes of schema 002 and on).  Foreign
	 * keys off: load_bookings checks every card itself (card_set). */
	if (db_exec(l->db, "PRAGMA foreign_keys = OFF; BEGIN", e) == -1 ||
	    load_one(l, m, FILE_OBROTY, pp, e) == -1 ||
	    db_exec(l->db, "COMMIT; PRAGMA foreign_keys = ON", e) == -1 ||
	    db_migrate(l->db, SCHEMA_AFTER_LEDGER, e) == -1 ||
	    db_exec(l->db, "BEGIN", e) == -1 ||
	    find_balance_warnings(l->db, cards, sums, e) == -1 ||
	    db_exec(l->db, "COMMIT", e) == -1)
		goto out;
	/* Still waiting for the other thread: have the ledger and its
	 * indexes, all written by now, reach the disk meanwhile, so that the
	 * fsync before the rename has little left to do. */
	if ((!j->done && fsync_path(db_path, e) == -1) ||
	    check_months(l->db, cards, totals, e) == -1)
		goto out;
	if (pthread_join(thread, NULL) != 0) {
		err_set(e, ERR_INTERNAL, "cannot join a thread");
		started = 0;
		goto out;
	}
	started = 0;
	if (j->rc == -1) {
		/* Its errors, as if read after obroty.csv (they were). */
		l->diag->errors += j->diag.errors;
		if (j->diag.error_text.len > 0 &&
		    buf_add(&l->diag->error_text, j->diag.error_text.data, j->diag.error_text.len) == -1) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
		*e = j->e;
		goto out;
	}
	/* naliczenia.xml's checksum, of the bytes the thread read (it hashed
	 * them as it parsed them: the file is read once). */
	if (manifest_check_sha256(m, FILE_NALICZENIA, j->sha256, e) == -1)
		goto out;
	verified = 1;
	l->rows[FILE_NALICZENIA] = j->l.rows[FILE_NALICZENIA];
	l->components = j->l.components;
	if (check_rows(l, m, FILE_NALICZENIA, e) == -1 ||
	    copy_charges(l->db, aux_path, e) == -1 ||
	    build_charge_index(l, totals, e) == -1 ||
	    db_exec(l->db, "BEGIN", e) == -1 ||
	    card_digest_store(l->db, cards, booking_digest, charge_digest, e) == -1 ||
	    load_one(l, m, FILE_KOMUNIKATY, pp, e) == -1)
		goto out;
	rc = 0;
out:
	if (started) {
		j->cancel = 1;
		(void)pthread_join(thread, NULL);
	}
	if (rc == -1 && !verified && manifest_verify_file(m, l->dir, FILE_NALICZENIA, &he) == -1) {
		/* A broken transfer explains any error in the data. */
		*e = he;
		l->diag->errors = 0;
		buf_reset(&l->diag->error_text);
	}
	if (pp != NULL) {
		db_on_progress(l->db, 0, NULL, NULL);
		if (p.dirty)
			(void)fputc('\n', progress);
	}
	diag_free(&j->diag);
	free(j);
	l->cards = NULL;
	l->digest = NULL;
	l->sums = NULL;
	free(sums);
	card_digest_free(booking_digest);
	card_digest_free(charge_digest);
	card_set_free(cards);
	if (totals != NULL) {
		month_totals_free(totals);
		(void)unlink(totals_path);
	}
	(void)unlink(aux_path);
	return rc;
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
	    "manifest_sha256, imported_at) VALUES (1, ?1, ?2, ?3, ?4, ?5)", e) == -1)
		goto out;
	if (db_bind_text(st, 1, m->system, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 2, m->version, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 3, m->generated_at, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 4, m->digest, (size_t)-1, e) == -1 ||
	    db_bind_text(st, 5, now, (size_t)-1, e) == -1 ||
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
	return copy_from(db, live_path, "INSERT INTO import_run (" RUN_COLUMNS ") SELECT "
	    RUN_COLUMNS " FROM other.import_run ORDER BY id", e);
}

/* Creates path (owner-only) and opens it for a bulk load. */
static int
open_new_db(struct db **out, const char *path, struct err *e)
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
	int rc = -1, loaded = 0, will_load, same, rebuild;
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
	if (manifest_read(m, o->export_dir, diag, e) == -1)
		goto fail;
	run.m = m;
	(void)memcpy(r->generated_at, m->generated_at, sizeof r->generated_at);
	(void)memcpy(r->manifest_sha256, m->digest, sizeof r->manifest_sha256);
	if (read_live(&lv, live_path, e) == -1)
		goto fail;
	/* The files are checked even for an export that is already live:
	 * a damaged copy of it is still worth an error.  When the export will
	 * be loaded, naliczenia.xml (most of the bytes) is hashed by the
	 * thread that parses it, as it reads it (load_all), and checked
	 * before anything can become live; a wrong checksum still wins over
	 * any error found in the data. */
	/* The same export again changes nothing, unless the live database
	 * was built by an older czynsze (a schema without what this one
	 * needs, card_digest say): then it is built again from it. */
	same = lv.exists && strcmp(lv.manifest_sha256, m->digest) == 0;
	rebuild = same && lv.old_schema;
	will_load = !(same && !rebuild) &&
	    !(lv.exists && !o->force && !rebuild && strcmp(m->generated_at, lv.generated_at) <= 0);
	for (f = 0; f < FILE_COUNT; f++)
		if (((!will_load || f != FILE_NALICZENIA) &&
		    manifest_verify_file(m, o->export_dir, (enum export_file)f, e) == -1) ||
		    manifest_check_file(o->export_dir, (enum export_file)f, e) == -1)
			goto fail;
	if (same && !rebuild) {
		/* Not logged either: importing the same export twice leaves the
		 * database byte for byte as it was. */
		r->outcome = IMPORT_UNCHANGED;
		rc = 0;
		goto out;
	}
	if (lv.exists && !o->force && !rebuild && strcmp(m->generated_at, lv.generated_at) <= 0) {
		err_set(e, ERR_REFUSED, "%s: export of %s is not newer than the live one (%s); "
		    "use --force to import it anyway", MANIFEST_FILE, m->generated_at,
		    lv.generated_at);
		run.outcome = "refused";
		goto fail;
	}

	if (open_new_db(&db, new_path, e) == -1 || db_migrate(db, 1, e) == -1)
		goto fail;
	l.db = db;
	l.dir = o->export_dir;
	l.diag = diag;
	loaded = 1;
	if (load_all(&l, m, new_path, aux_path, o->progress, e) == -1 || insert_export(db, m, e) == -1 ||
	    db_exec(db, "COMMIT", e) == -1)
		goto fail;
	if (o->progress != NULL)
		(void)fprintf(o->progress, "czynsze: indexing and checking\n");
	if (find_charge_warnings(db, &r->warnings, e) == -1 ||
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
	rc = 0;
	goto out;
fail:
	db_close(db);
	db = NULL;
	(void)unlink(new_path);
	run.error = e->msg;
	run.l = loaded ? &l : NULL;
	if (!o->no_failure_log)
		log_run_in_live(live_path, &run);
out:
	db_close(db);
	free(m);
	return rc;
}
