/* load_people.c — osoby.csv into person. */
#include "load.h"

#include "csv_reader.h"
#include "fields.h"

enum { C_ID, C_SURNAME, C_FIRST, C_STREET, C_POSTCODE, C_TOWN, C_EMAIL, C_COUNT };

static const struct csv_column columns[C_COUNT] = {
	{ "id_osoby", 1 }, { "nazwisko", 1 }, { "imie", 0 }, { "ulica", 1 },
	{ "kod_pocztowy", 1 }, { "miejscowosc", 1 }, { "email", 0 },
};

static int
row(void *vctx, const struct csv_record *rec, struct err *e)
{
	struct db_stmt *insert = vctx;
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
	rc = 0;
out:
	db_reset(insert);
	return rc;
}

int
load_people(struct load *l, struct err *e)
{
	struct db_stmt *insert = NULL;
	int rc = -1;

	if (db_prepare(&insert, l->db,
	    "INSERT INTO person (id, surname, first_name, street, postcode, town, email) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", e) == -1)
		goto out;
	if (csv_read(l->dir, export_file_names[FILE_OSOBY], columns, C_COUNT, row, insert,
	    &l->rows[FILE_OSOBY], l->diag, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(insert);
	return rc;
}
