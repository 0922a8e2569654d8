/*
 * warnings.c — KSM's figures against the rows (warnings.h).
 */
#include "warnings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
warnings_balances(struct db *db, const struct card_set *cards,
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

int
warnings_months_check(struct db *db, const struct card_set *cards, struct month_totals *t,
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

int
warnings_months_store(struct db *db, uint64_t *count, struct err *e)
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
