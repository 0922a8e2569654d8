/* load_bookings.c — obroty.csv (the ledger) into booking. */
#include "load.h"

#include "csv_reader.h"
#include "fields.h"

enum { C_ID, C_CARD, C_DATE, C_PERIOD, C_TYPE, C_DOCNO, C_DESC, C_WN, C_MA, C_COUNT };

static const struct csv_column columns[C_COUNT] = {
	{ "id_operacji", 1 }, { "id_kartoteki", 1 }, { "data", 1 }, { "okres", 1 },
	{ "rodzaj_dok", 1 }, { "nr_dok", 0 }, { "opis", 0 }, { "wn", 0 }, { "ma", 0 },
};

static const char *const doc_types[] = { "BO", "NAL", "WPL", "KOR", "ODS", "ROZ", "ZWR", NULL };

struct ctx {
	struct load *l;
	struct db_stmt *insert;
};

/* The booking's record 'B' of card_digest.h. */
static int
digest_booking(struct card_digest *d, size_t card, const struct csv_record *rec,
    const char *date, const char *period, const char *type, int64_t wn, int64_t ma,
    struct err *e)
{
	const struct card_digest_field f[] = {
		CARD_DIGEST_TEXT(rec->field[C_ID].s, rec->field[C_ID].n),
		CARD_DIGEST_TEXT(date, DATE_ISO_LEN),
		CARD_DIGEST_TEXT(period, PERIOD_ISO_LEN),
		CARD_DIGEST_TEXT(type, (size_t)-1),
		CARD_DIGEST_TEXT_OR_NULL(rec->field[C_DOCNO].s, rec->field[C_DOCNO].n),
		CARD_DIGEST_TEXT_OR_NULL(rec->field[C_DESC].s, rec->field[C_DESC].n),
		CARD_DIGEST_INT(wn),
		CARD_DIGEST_INT(ma),
	};

	return card_digest_add(d, card, 'B', f, sizeof f / sizeof f[0], e);
}

static int
row(void *vctx, const struct csv_record *rec, struct err *e)
{
	struct ctx *c = vctx;
	struct db_stmt *insert = c->insert;
	const char *type;
	char date[DATE_ISO_LEN + 1], period[PERIOD_ISO_LEN + 1];
	int64_t wn, ma;
	enum db_constraint con;
	long card = -1;
	int rc = -1;

	if (field_text(rec, C_ID, ID_BYTES_MAX, e) == -1 ||
	    field_text(rec, C_CARD, ID_BYTES_MAX, e) == -1 ||
	    field_date(date, rec, C_DATE, e) == -1 ||
	    field_period(period, rec, C_PERIOD, e) == -1 ||
	    field_code(&type, rec, C_TYPE, doc_types, e) == -1 ||
	    field_text_opt(rec, C_DOCNO, NAME_BYTES_MAX, e) == -1 ||
	    field_money(&wn, rec, C_WN, e) == -1 ||
	    field_money(&ma, rec, C_MA, e) == -1)
		return -1;
	if (c->l->cards != NULL &&
	    (card = card_set_find(c->l->cards, rec->field[C_CARD].s, rec->field[C_CARD].n)) < 0)
		return csv_field_error(e, rec, C_CARD, "unknown card");
	if (db_bind_text(insert, 1, rec->field[C_ID].s, rec->field[C_ID].n, e) == -1 ||
	    db_bind_text(insert, 2, rec->field[C_CARD].s, rec->field[C_CARD].n, e) == -1 ||
	    db_bind_text(insert, 3, date, DATE_ISO_LEN, e) == -1 ||
	    db_bind_text(insert, 4, period, PERIOD_ISO_LEN, e) == -1 ||
	    db_bind_text(insert, 5, type, (size_t)-1, e) == -1 ||
	    db_bind_text_or_null(insert, 6, rec->field[C_DOCNO].s, rec->field[C_DOCNO].n, e) == -1 ||
	    db_bind_text_or_null(insert, 7, rec->field[C_DESC].s, rec->field[C_DESC].n, e) == -1 ||
	    db_bind_int64(insert, 8, wn, e) == -1 ||
	    db_bind_int64(insert, 9, ma, e) == -1)
		goto out;
	if (db_step(insert, &con, e) == -1) {
		load_insert_error(e, con, rec, C_ID, C_CARD, "unknown card");
		goto out;
	}
	if (c->l->digest != NULL && card >= 0 &&
	    digest_booking(c->l->digest, (size_t)card, rec, date, period, type, wn, ma, e) == -1)
		goto out;
	rc = 0;
out:
	db_reset(insert);
	return rc;
}

int
load_bookings(struct load *l, struct err *e)
{
	struct ctx c = { l, NULL };
	int rc = -1;

	if (db_prepare(&c.insert, l->db,
	    "INSERT INTO booking (id, card_id, date, period, doc_type, doc_no, description, "
	    "debit_gr, credit_gr) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", e) == -1)
		goto out;
	if (csv_read(l->dir, export_file_names[FILE_OBROTY], columns, C_COUNT, row, &c,
	    &l->rows[FILE_OBROTY], l->diag, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(c.insert);
	return rc;
}
