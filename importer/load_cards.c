/* load_cards.c — kartoteki.csv into card. */
#include "load.h"

#include <string.h>

#include "csv_reader.h"
#include "fields.h"

enum { C_ID, C_PERSON, C_PREMISES, C_KIND, C_NRB, C_BALANCE, C_DATE, C_COUNT };

static const struct csv_column columns[C_COUNT] = {
	{ "id_kartoteki", 1 }, { "id_osoby", 1 }, { "id_lokalu", 0 }, { "rodzaj", 1 },
	{ "nr_rachunku", 1 }, { "saldo", 1 }, { "data_salda", 1 },
};

static const char *const kinds[] = { "C", "T", "I", "R", NULL };

struct ctx {
	struct db_stmt *insert, *person_exists;
};

static int
row(void *vctx, const struct csv_record *rec, struct err *e)
{
	struct ctx *c = vctx;
	const char *kind;
	char nrb[NRB_DIGITS + 1], date[DATE_ISO_LEN + 1];
	int64_t balance;
	enum db_constraint con;
	size_t fk_col;
	int rc = -1, found;

	if (field_text(rec, C_ID, ID_BYTES_MAX, e) == -1 ||
	    field_text(rec, C_PERSON, ID_BYTES_MAX, e) == -1 ||
	    field_text_opt(rec, C_PREMISES, ID_BYTES_MAX, e) == -1 ||
	    field_code(&kind, rec, C_KIND, kinds, e) == -1 ||
	    field_nrb(nrb, rec, C_NRB, e) == -1 ||
	    (rec->field[C_BALANCE].n == 0 ? csv_field_error(e, rec, C_BALANCE, "empty") : 0) == -1 ||
	    field_money(&balance, rec, C_BALANCE, e) == -1 ||
	    field_date(date, rec, C_DATE, e) == -1)
		return -1;
	if (db_bind_text(c->insert, 1, rec->field[C_ID].s, rec->field[C_ID].n, e) == -1 ||
	    db_bind_text(c->insert, 2, rec->field[C_PERSON].s, rec->field[C_PERSON].n, e) == -1 ||
	    db_bind_text_or_null(c->insert, 3, rec->field[C_PREMISES].s, rec->field[C_PREMISES].n, e) == -1 ||
	    db_bind_text(c->insert, 4, kind, (size_t)-1, e) == -1 ||
	    db_bind_text(c->insert, 5, nrb, (size_t)-1, e) == -1 ||
	    db_bind_int64(c->insert, 6, balance, e) == -1 ||
	    db_bind_text(c->insert, 7, date, (size_t)-1, e) == -1)
		goto out;
	if (db_step(c->insert, &con, e) == -1) {
		fk_col = C_PREMISES;
		if (con == DB_FOREIGN_KEY) {
			/* Two foreign keys: find out which one failed. */
			struct err e2;

			if (db_bind_text(c->person_exists, 1, rec->field[C_PERSON].s,
			    rec->field[C_PERSON].n, &e2) == -1)
				goto out;
			found = db_step(c->person_exists, NULL, &e2);
			db_reset(c->person_exists);
			if (found == 0)
				fk_col = C_PERSON;
		}
		load_insert_error(e, con, rec, C_ID, fk_col,
		    fk_col == C_PERSON ? "unknown person" : "unknown premises");
		goto out;
	}
	rc = 0;
out:
	db_reset(c->insert);
	return rc;
}

int
load_cards(struct load *l, struct err *e)
{
	struct ctx c = { NULL, NULL };
	int rc = -1;

	if (db_prepare(&c.insert, l->db,
	    "INSERT INTO card (id, person_id, premises_id, kind, bank_account, balance_gr, "
	    "balance_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", e) == -1 ||
	    db_prepare(&c.person_exists, l->db, "SELECT 1 FROM person WHERE id = ?1", e) == -1)
		goto out;
	if (csv_read(l->dir, export_file_names[FILE_KARTOTEKI], columns, C_COUNT, row, &c,
	    &l->rows[FILE_KARTOTEKI], l->diag, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(c.insert);
	db_finalize(c.person_exists);
	return rc;
}
