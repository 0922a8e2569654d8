/*
 * fuzz_csv.c — the CSV layer: libcsv framing, Windows-1250/UTF-8 decoding,
 * header mapping, the limits, and the field checkers of importer/fields.h.
 *
 * The input is one CSV file.  It is read four times, with the column
 * lists of the four CSV loaders (lokale, osoby, kartoteki, obroty; the
 * same required flags), and every field of every record goes through the
 * checker its loader uses.  No database: the loaders' inserts are covered
 * by the end-to-end tests.
 *
 * Properties checked besides "no crash, no sanitizer report": a failed
 * read names the file first, and every error message is valid UTF-8
 * without control characters (it goes to a terminal and a log).
 */
#include <stdint.h>
#include <string.h>

#include "csv_reader.h"
#include "fields.h"
#include "fuzz_util.h"
#include "text.h"

enum check {
	K_ID, K_NAME, K_OPT, K_MONEY, K_MONEY_REQ, K_AREA, K_COUNT, K_COUNT_OPT,
	K_DATE, K_PERIOD, K_POSTCODE, K_NRB, K_CODE,
};

struct spec {
	const char *file;
	size_t ncolumns;
	struct csv_column columns[CSV_COLUMNS_MAX];
	enum check check[CSV_COLUMNS_MAX];
};

static const struct spec specs[] = {
	{ "lokale.csv", 13, {
		{ "id_lokalu", 1 }, { "budynek", 1 }, { "ulica", 1 }, { "nr_lokalu", 1 },
		{ "kod_pocztowy", 1 }, { "miejscowosc", 1 }, { "rodzaj", 1 },
		{ "tytul_prawny", 1 }, { "pow_uzytkowa", 1 }, { "liczba_osob", 1 },
		{ "liczba_izb", 0 }, { "pietro", 0 }, { "data_od", 0 } },
	  { K_ID, K_NAME, K_NAME, K_NAME, K_POSTCODE, K_NAME, K_CODE, K_CODE, K_AREA,
	    K_COUNT, K_COUNT_OPT, K_OPT, K_DATE } },
	{ "osoby.csv", 7, {
		{ "id_osoby", 1 }, { "nazwisko", 1 }, { "imie", 0 }, { "ulica", 1 },
		{ "kod_pocztowy", 1 }, { "miejscowosc", 1 }, { "email", 0 } },
	  { K_ID, K_NAME, K_OPT, K_NAME, K_POSTCODE, K_NAME, K_OPT } },
	{ "kartoteki.csv", 7, {
		{ "id_kartoteki", 1 }, { "id_osoby", 1 }, { "id_lokalu", 0 }, { "rodzaj", 1 },
		{ "nr_rachunku", 1 }, { "saldo", 1 }, { "data_salda", 1 } },
	  { K_ID, K_ID, K_OPT, K_CODE, K_NRB, K_MONEY_REQ, K_DATE } },
	{ "obroty.csv", 9, {
		{ "id_operacji", 1 }, { "id_kartoteki", 1 }, { "data", 1 }, { "okres", 1 },
		{ "rodzaj_dok", 1 }, { "nr_dok", 0 }, { "opis", 0 }, { "wn", 0 }, { "ma", 0 } },
	  { K_ID, K_ID, K_DATE, K_PERIOD, K_CODE, K_OPT, K_OPT, K_MONEY, K_MONEY } },
};

static const char *const codes[] = {
	"M", "U", "G", "P", "SWP", "SLP", "WO", "NAJ", "C", "T", "I", "R",
	"BO", "NAL", "WPL", "KOR", "ODS", "ROZ", "ZWR", NULL,
};

static int
check_field(const struct spec *sp, const struct csv_record *rec, size_t col, struct err *e)
{
	char date[DATE_ISO_LEN + 1], period[PERIOD_ISO_LEN + 1], nrb[NRB_DIGITS + 1];
	const char *code;
	int64_t v;

	/* What the reader promises every row function. */
	FUZZ_CHECK(rec->field[col].s != NULL && strlen(rec->field[col].s) == rec->field[col].n);
	FUZZ_CHECK(utf8_valid_prefix(rec->field[col].s, rec->field[col].n) == rec->field[col].n);
	switch (sp->check[col]) {
	case K_ID: return field_text(rec, col, 64, e);
	case K_NAME: return field_text(rec, col, 512, e);
	case K_OPT: return field_text_opt(rec, col, 512, e);
	case K_MONEY: return field_money(&v, rec, col, e);
	case K_MONEY_REQ:
		if (rec->field[col].n == 0)
			return csv_field_error(e, rec, col, "empty");
		return field_money(&v, rec, col, e);
	case K_AREA: return field_decimal(&v, rec, col, 2, e);
	case K_COUNT: return field_count(&v, rec, col, e);
	case K_COUNT_OPT: return rec->field[col].n == 0 ? 0 : field_count(&v, rec, col, e);
	case K_DATE:
		if (field_date(date, rec, col, e) == -1)
			return -1;
		FUZZ_CHECK(date[0] == '\0' || strlen(date) == DATE_ISO_LEN);
		return 0;
	case K_PERIOD:
		if (field_period(period, rec, col, e) == -1)
			return -1;
		FUZZ_CHECK(strlen(period) == PERIOD_ISO_LEN);
		return 0;
	case K_POSTCODE: return field_postcode(rec, col, e);
	case K_NRB:
		if (field_nrb(nrb, rec, col, e) == -1)
			return -1;
		FUZZ_CHECK(strlen(nrb) == NRB_DIGITS);
		return 0;
	case K_CODE: return field_code(&code, rec, col, codes, e);
	}
	abort();
}

static int
row(void *ctx, const struct csv_record *rec, struct err *e)
{
	const struct spec *sp = ctx;
	size_t col;
	int rc = 0;

	FUZZ_CHECK(rec->line >= 2 && rec->index >= 1);
	for (col = 0; col < sp->ncolumns; col++) {
		struct err fe;

		err_clear(&fe);
		if (check_field(sp, rec, col, &fe) == -1) {
			fuzz_check_message(fe.msg, NULL);
			FUZZ_CHECK(strncmp(fe.msg, sp->file, strlen(sp->file)) == 0);
			if (rc == 0)
				*e = fe;
			rc = -1;
		}
	}
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i;

	for (i = 0; i < sizeof specs / sizeof specs[0]; i++) {
		struct diag diag = DIAG_INIT;
		struct err e;
		uint64_t rows = 0;

		fuzz_write(specs[i].file, data, size);
		err_clear(&e);
		if (csv_read(fuzz_dir_make(), specs[i].file, specs[i].columns, specs[i].ncolumns,
		    row, (void *)&specs[i], &rows, &diag, &e) == -1) {
			FUZZ_CHECK(e.kind != ERR_NONE);
			fuzz_check_message(e.msg, NULL);
			if (e.kind == ERR_DATA)
				FUZZ_CHECK(strncmp(e.msg, specs[i].file, strlen(specs[i].file)) == 0);
		}
		FUZZ_CHECK(rows <= size);
		diag_free(&diag);
	}
	return 0;
}
