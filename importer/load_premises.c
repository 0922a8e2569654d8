/* load_premises.c — lokale.csv into premises. */
#include "load.h"

#include "card_digest.h"
#include "csv_reader.h"
#include "decimal.h"
#include "fields.h"

enum {
	C_ID, C_BUILDING, C_STREET, C_NUMBER, C_POSTCODE, C_TOWN, C_KIND, C_TITLE,
	C_AREA, C_PERSONS, C_ROOMS, C_FLOOR, C_SINCE, C_COUNT
};

static const struct csv_column columns[C_COUNT] = {
	{ "id_lokalu", 1 }, { "budynek", 1 }, { "ulica", 1 }, { "nr_lokalu", 1 },
	{ "kod_pocztowy", 1 }, { "miejscowosc", 1 }, { "rodzaj", 1 },
	{ "tytul_prawny", 1 }, { "pow_uzytkowa", 1 }, { "liczba_osob", 1 },
	{ "liczba_izb", 0 }, { "pietro", 0 }, { "data_od", 0 },
};

static const char *const kinds[] = { "M", "U", "G", "P", NULL };
static const char *const titles[] = { "SWP", "SLP", "WO", "NAJ", NULL };

struct ctx {
	struct db_stmt *insert;
	struct card_digest *digest;      /* NULL: none kept */
};

static int
row(void *vctx, const struct csv_record *rec, struct err *e)
{
	struct ctx *c = vctx;
	const char *kind, *title;
	char since[DATE_ISO_LEN + 1];
	int64_t area, persons, rooms = 0;
	enum db_constraint con;
	size_t i;
	int rc = -1;

	for (i = C_ID; i <= C_TOWN; i++)
		if (field_text(rec, i, i == C_ID ? ID_BYTES_MAX : NAME_BYTES_MAX, e) == -1)
			return -1;
	if (field_postcode(rec, C_POSTCODE, e) == -1 ||
	    field_code(&kind, rec, C_KIND, kinds, e) == -1 ||
	    field_code(&title, rec, C_TITLE, titles, e) == -1 ||
	    field_decimal(&area, rec, C_AREA, 2, e) == -1 ||
	    field_count(&persons, rec, C_PERSONS, e) == -1 ||
	    (rec->field[C_ROOMS].n > 0 && field_count(&rooms, rec, C_ROOMS, e) == -1) ||
	    field_text_opt(rec, C_FLOOR, NAME_BYTES_MAX, e) == -1 ||
	    field_date(since, rec, C_SINCE, e) == -1)
		return -1;
	for (i = C_ID; i <= C_TOWN; i++)
		if (db_bind_text(c->insert, (int)i + 1, rec->field[i].s, rec->field[i].n, e) == -1)
			goto out;
	if (db_bind_text(c->insert, 7, kind, (size_t)-1, e) == -1 ||
	    db_bind_text(c->insert, 8, title, (size_t)-1, e) == -1 ||
	    db_bind_int64(c->insert, 9, area, e) == -1 ||
	    db_bind_int64(c->insert, 10, persons, e) == -1 ||
	    (rec->field[C_ROOMS].n > 0 ? db_bind_int64(c->insert, 11, rooms, e)
	                               : db_bind_null(c->insert, 11, e)) == -1 ||
	    db_bind_text_or_null(c->insert, 12, rec->field[C_FLOOR].s, rec->field[C_FLOOR].n, e) == -1 ||
	    db_bind_text_or_null(c->insert, 13, since, (size_t)-1, e) == -1)
		goto out;
	if (db_step(c->insert, &con, e) == -1) {
		load_insert_error(e, con, rec, C_ID, C_ID, "");
		goto out;
	}
	if (c->digest != NULL) {
		/* The record 'L' of card_digest.h: the columns as bound above. */
		const struct card_digest_field f[] = {
			CARD_DIGEST_TEXT(rec->field[C_ID].s, rec->field[C_ID].n),
			CARD_DIGEST_TEXT(rec->field[C_BUILDING].s, rec->field[C_BUILDING].n),
			CARD_DIGEST_TEXT(rec->field[C_STREET].s, rec->field[C_STREET].n),
			CARD_DIGEST_TEXT(rec->field[C_NUMBER].s, rec->field[C_NUMBER].n),
			CARD_DIGEST_TEXT(rec->field[C_POSTCODE].s, rec->field[C_POSTCODE].n),
			CARD_DIGEST_TEXT(rec->field[C_TOWN].s, rec->field[C_TOWN].n),
			CARD_DIGEST_TEXT(kind, (size_t)-1),
			CARD_DIGEST_TEXT(title, (size_t)-1),
			CARD_DIGEST_INT(area),
			CARD_DIGEST_INT(persons),
			CARD_DIGEST_INT(rec->field[C_ROOMS].n > 0),
			CARD_DIGEST_INT(rooms),
			CARD_DIGEST_TEXT_OR_NULL(rec->field[C_FLOOR].s, rec->field[C_FLOOR].n),
			CARD_DIGEST_TEXT_OR_NULL(since, (size_t)-1),
		};

		if (card_digest_add(c->digest, 0, 'L', f, sizeof f / sizeof f[0], e) == -1)
			goto out;
	}
	rc = 0;
out:
	db_reset(c->insert);
	return rc;
}

int
load_premises(struct load *l, struct err *e)
{
	struct ctx c = { NULL, l->table_digest };
	int rc = -1;

	if (db_prepare(&c.insert, l->db,
	    "INSERT INTO premises (id, building, street, number, postcode, town, kind, "
	    "legal_title, area_e2, persons, rooms, floor, held_since) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", e) == -1)
		goto out;
	if (csv_read(l->dir, export_file_names[FILE_LOKALE], columns, C_COUNT, row, &c,
	    &l->rows[FILE_LOKALE], l->diag, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(c.insert);
	return rc;
}
