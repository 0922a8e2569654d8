#include "fields.h"

#include <string.h>

#include "decimal.h"

int
field_text(const struct csv_record *rec, size_t col, size_t max_bytes, struct err *e)
{
	if (rec->field[col].n == 0)
		return csv_field_error(e, rec, col, "empty");
	if (rec->field[col].n > max_bytes)
		return csv_field_error(e, rec, col, "too long");
	return 0;
}

int
field_text_opt(const struct csv_record *rec, size_t col, size_t max_bytes, struct err *e)
{
	if (rec->field[col].n > max_bytes)
		return csv_field_error(e, rec, col, "too long");
	return 0;
}

int
field_money(int64_t *out, const struct csv_record *rec, size_t col, struct err *e)
{
	const char *problem;

	if (money_parse(out, rec->field[col].s, rec->field[col].n, &problem) == -1)
		return csv_field_error(e, rec, col, problem);
	return 0;
}

int
field_count(int64_t *out, const struct csv_record *rec, size_t col, struct err *e)
{
	const char *problem;

	if (rec->field[col].n == 0)
		return csv_field_error(e, rec, col, "empty");
	if (decimal_parse(out, rec->field[col].s, rec->field[col].n, 0, DECIMAL_UP_TO,
	    &problem) == -1 || *out < 0)
		return csv_field_error(e, rec, col, "not a whole number >= 0");
	return 0;
}

int
field_decimal(int64_t *out, const struct csv_record *rec, size_t col, int scale,
    struct err *e)
{
	const char *problem;

	if (rec->field[col].n == 0)
		return csv_field_error(e, rec, col, "empty");
	if (decimal_parse(out, rec->field[col].s, rec->field[col].n, scale, DECIMAL_UP_TO,
	    &problem) == -1)
		return csv_field_error(e, rec, col, problem);
	if (*out < 0)
		return csv_field_error(e, rec, col, "negative");
	return 0;
}

int
field_date(char out[DATE_ISO_LEN + 1], const struct csv_record *rec, size_t col,
    struct err *e)
{
	out[0] = '\0';
	if (rec->field[col].n == 0) {
		if (rec->columns[col].required)
			return csv_field_error(e, rec, col, "empty");
		return 0;
	}
	if (date_parse_pl(out, rec->field[col].s, rec->field[col].n) == -1)
		return csv_field_error(e, rec, col, "not a date DD.MM.RRRR");
	return 0;
}

int
field_period(char out[PERIOD_ISO_LEN + 1], const struct csv_record *rec, size_t col,
    struct err *e)
{
	if (period_parse_pl(out, rec->field[col].s, rec->field[col].n) == -1)
		return csv_field_error(e, rec, col, "not a period MM.RRRR");
	return 0;
}

int
field_postcode(const struct csv_record *rec, size_t col, struct err *e)
{
	const char *s = rec->field[col].s;
	size_t i;

	if (rec->field[col].n != 6 || s[2] != '-')
		return csv_field_error(e, rec, col, "not a postal code NN-NNN");
	for (i = 0; i < 6; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return csv_field_error(e, rec, col, "not a postal code NN-NNN");
	return 0;
}

int
field_code(const char **out, const struct csv_record *rec, size_t col,
    const char *const *allowed, struct err *e)
{
	size_t i;

	for (i = 0; allowed[i] != NULL; i++) {
		if (strcmp(rec->field[col].s, allowed[i]) == 0) {
			*out = allowed[i];
			return 0;
		}
	}
	return csv_field_error(e, rec, col, "unknown code");
}

int
field_nrb(char out[NRB_DIGITS + 1], const struct csv_record *rec, size_t col,
    struct err *e)
{
	const char *problem;

	if (nrb_parse(out, rec->field[col].s, rec->field[col].n, &problem) == -1)
		return csv_field_error(e, rec, col, problem);
	return 0;
}
