/*
 * load_readings.c — odczyty.csv into meter_reading, then each meter's
 * consumption and the warnings about it (reading_warning).
 *
 * A meter is (premises, serial); its readings are ordered by date, ties
 * by id, whatever the file's order.  Consumption is the difference from
 * the meter's previous state; none for its first reading, for an 'M' row
 * (the new meter's initial state) and for a state lower than the
 * previous one (a 'decrease' warning: expected the previous state, found
 * this one).  A zuzycie that differs from a computed consumption is a
 * 'usage' warning (expected the computed one, found zuzycie).
 */
#include "load.h"

#include <string.h>

#include "csv_reader.h"
#include "decimal.h"
#include "fields.h"

enum { C_ID, C_PREMISES, C_METER, C_MEDIUM, C_DATE, C_STATE, C_KIND, C_USAGE, C_COUNT };

static const struct csv_column columns[C_COUNT] = {
	{ "id_odczytu", 1 }, { "id_lokalu", 1 }, { "licznik", 1 }, { "medium", 1 },
	{ "data", 1 }, { "stan", 1 }, { "rodzaj", 1 }, { "zuzycie", 0 },
};

static const char *const media[] = { "ZW", "CW", "CO", "PO", "GAZ", "EE", NULL };
static const char *const kinds[] = { "O", "S", "Z", "M", NULL };

#define READING_DECIMALS 3      /* stan, zuzycie: thousandths (_e3) */

static int
row(void *vctx, const struct csv_record *rec, struct err *e)
{
	struct db_stmt *insert = vctx;
	const char *medium, *kind, *problem;
	char date[DATE_ISO_LEN + 1];
	int64_t state, usage = 0;
	enum db_constraint con;
	int rc = -1;

	if (field_text(rec, C_ID, ID_BYTES_MAX, e) == -1 ||
	    field_text(rec, C_PREMISES, ID_BYTES_MAX, e) == -1 ||
	    field_text(rec, C_METER, ID_BYTES_MAX, e) == -1 ||
	    field_code(&medium, rec, C_MEDIUM, media, e) == -1 ||
	    field_date(date, rec, C_DATE, e) == -1 ||
	    field_decimal(&state, rec, C_STATE, READING_DECIMALS, e) == -1 ||
	    field_code(&kind, rec, C_KIND, kinds, e) == -1)
		return -1;
	/* KSM's own figure, only compared: a negative one is its business */
	if (rec->field[C_USAGE].n > 0 && decimal_parse(&usage, rec->field[C_USAGE].s,
	    rec->field[C_USAGE].n, READING_DECIMALS, DECIMAL_UP_TO, &problem) == -1)
		return csv_field_error(e, rec, C_USAGE, problem);
	if (db_bind_text(insert, 1, rec->field[C_ID].s, rec->field[C_ID].n, e) == -1 ||
	    db_bind_text(insert, 2, rec->field[C_PREMISES].s, rec->field[C_PREMISES].n, e) == -1 ||
	    db_bind_text(insert, 3, rec->field[C_METER].s, rec->field[C_METER].n, e) == -1 ||
	    db_bind_text(insert, 4, medium, (size_t)-1, e) == -1 ||
	    db_bind_text(insert, 5, date, DATE_ISO_LEN, e) == -1 ||
	    db_bind_int64(insert, 6, state, e) == -1 ||
	    db_bind_text(insert, 7, kind, (size_t)-1, e) == -1 ||
	    (rec->field[C_USAGE].n > 0 ? db_bind_int64(insert, 8, usage, e) :
	    db_bind_null(insert, 8, e)) == -1)
		goto out;
	if (db_step(insert, &con, e) == -1) {
		load_insert_error(e, con, rec, C_ID, C_PREMISES, "unknown premises");
		goto out;
	}
	rc = 0;
out:
	db_reset(insert);
	return rc;
}

/* One serial on one premises is one meter: of one medium. */
static int
check_media(struct db *db, struct err *e)
{
	struct db_stmt *st = NULL;
	int r;

	if (db_prepare(&st, db, "SELECT premises_id, meter, min(medium), max(medium) "
	    "FROM meter_reading GROUP BY premises_id, meter "
	    "HAVING min(medium) <> max(medium) LIMIT 1", e) == -1)
		return -1;
	r = db_step(st, NULL, e);
	if (r == 1)
		err_set(e, ERR_DATA, "%s: meter %s of premises %s: two media (%s, %s)",
		    export_file_names[FILE_ODCZYTY], db_col_text(st, 1), db_col_text(st, 0),
		    db_col_text(st, 2), db_col_text(st, 3));
	db_finalize(st);
	return r == 0 ? 0 : -1;
}

/* Each reading with the state before it on its meter (NULL for the first). */
#define WITH_PREVIOUS "WITH r AS (SELECT id, premises_id, meter, date, kind, state_e3, " \
	"lag(state_e3) OVER (PARTITION BY premises_id, meter ORDER BY date, id) AS prev " \
	"FROM meter_reading) "

static const char compute_sql[] =
    WITH_PREVIOUS
    "UPDATE meter_reading SET usage_e3 = r.state_e3 - r.prev FROM r "
    "WHERE meter_reading.id = r.id AND r.kind <> 'M' AND r.prev IS NOT NULL "
    "AND r.state_e3 >= r.prev; "
    WITH_PREVIOUS
    "INSERT INTO reading_warning (reading_id, kind, expected_e3, found_e3) "
    "SELECT id, 'decrease', prev, state_e3 FROM r "
    "WHERE kind <> 'M' AND prev IS NOT NULL AND state_e3 < prev "
    "ORDER BY premises_id, meter, date, id; "
    "INSERT INTO reading_warning (reading_id, kind, expected_e3, found_e3) "
    "SELECT id, 'usage', usage_e3, ksm_usage_e3 FROM meter_reading "
    "WHERE usage_e3 IS NOT NULL AND ksm_usage_e3 IS NOT NULL AND usage_e3 <> ksm_usage_e3 "
    "ORDER BY premises_id, meter, date, id;";

int
load_readings(struct load *l, struct err *e)
{
	struct db_stmt *insert = NULL;
	int rc = -1;

	if (db_prepare(&insert, l->db, "INSERT INTO meter_reading (id, premises_id, meter, "
	    "medium, date, state_e3, kind, ksm_usage_e3) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	    e) == -1)
		goto out;
	if (csv_read(l->dir, export_file_names[FILE_ODCZYTY], columns, C_COUNT, row, insert,
	    &l->rows[FILE_ODCZYTY], l->diag, e) == -1)
		goto out;
	db_finalize(insert);
	insert = NULL;
	if (check_media(l->db, e) == -1 || db_exec(l->db, compute_sql, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(insert);
	return rc;
}
