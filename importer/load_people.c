/* load_people.c — osoby.csv into person. */
#include "load.h"

#include "card_digest.h"
#include "csv_reader.h"
#include "fields.h"

enum { C_ID, C_SURNAME, C_FIRST, C_STREET, C_POSTCODE, C_TOWN, C_EMAIL, C_COUNT };

static const struct csv_column columns[C_COUNT] = {
	{ "id_osoby", 1 }, { "nazwisko", 1 }, { "imie", 0 }, { "ulica", 1 },
	{ "kod_pocztowy", 1 }, { "miejscowosc", 1 }, { "email", 0 },
};

struct ctx {
	struct db_stmt *insert;
	struct card_digest *digest;      /* NULL: none kept */
};

/* The row's record 'P' of card_digest.h: every column as stored. */
static int
digest_person(struct card_digest *d, const struct csv_record *rec, struct err *e)
{
	struct card_digest_field f[C_COUNT];
	size_t i;

	for (i = 0; i < C_COUNT; i++)
		f[i] = CARD_DIGEST_TEXT_OR_NULL(rec->field[i].s, rec->field[i].n);
	return card_digest_add(d, 0, 'P', f, C_COUNT, e);
}

static int
row(void *vctx, const struct csv_record *rec, struct err *e)
{
	struct ctx *c = vctx;
	struct db_stmt *insert = c->insert;
	enum db_constraint con;
	size_t i;
	int rc = -1;

	if (field_text(rec, C_ID, ID_BYTES_MAX, e) == -1 ||
	    field_text(rec, C_SURNAME, NAME_BYTES_MAX, e) == -1 ||
	    field_text_opt(rec, C_FIRST, NAME_BYTES_MAX, e) == -1 ||
	    field_text(rec, C_STREET, NAME_BYTES_MAX, e) == -1 ||
	    field_postcode(rec, C_POSTCODE, e) == -1 ||
	    field_text(rec, C_TOWN, NAME_BYTES_MAX, e) == -1 ||
	    field_text_opt(rec, C_EMAIL, NAME_BYTES_MAX, e) == -1)
		return -1;
	for (i = 0; i < C_COUNT; i++)
		if (db_bind_text_or_null(insert, (int)i + 1, rec->field[i].s, rec->field[i].n, e) == -1)
			goto out;
	if (db_step(insert, &con, e) == -1) {
		load_insert_error(e, con, rec, C_ID, C_ID, "");
		goto out;
	}
	if (c->digest != NULL && digest_person(c->digest, rec, e) == -1)
		goto out;
	rc = 0;
out:
	db_reset(insert);
	return rc;
}

int
load_people(struct load *l, struct err *e)
{
	struct ctx c = { NULL, l->table_digest };
	int rc = -1;

	if (db_prepare(&c.insert, l->db,
	    "INSERT INTO person (id, surname, first_name, street, postcode, town, email) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", e) == -1)
		goto out;
	if (csv_read(l->dir, export_file_names[FILE_OSOBY], columns, C_COUNT, row, &c,
	    &l->rows[FILE_OSOBY], l->diag, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(c.insert);
	return rc;
}
