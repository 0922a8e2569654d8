/*
 * fields.h — checking one CSV field of a record against its type.
 *
 * Each function checks rec->field[col] and returns 0 with the value, or
 * -1 with e set to "FILE:LINE: field NAME: problem (value)".
 */
#ifndef CZYNSZE_FIELDS_H
#define CZYNSZE_FIELDS_H

#include <stdint.h>

#include "csv_reader.h"
#include "date.h"
#include "nrb.h"

/* Non-empty text, at most max_bytes. */
int field_text(const struct csv_record *rec, size_t col, size_t max_bytes, struct err *e);
/* Optional text: empty is fine, at most max_bytes. */
int field_text_opt(const struct csv_record *rec, size_t col, size_t max_bytes, struct err *e);
/* Money in grosze; empty is 0. */
int field_money(int64_t *out, const struct csv_record *rec, size_t col, struct err *e);
/* A whole number >= 0. */
int field_count(int64_t *out, const struct csv_record *rec, size_t col, struct err *e);
/* A decimal with up to `scale` decimals, >= 0 (areas). */
int field_decimal(int64_t *out, const struct csv_record *rec, size_t col, int scale,
    struct err *e);
/* DD.MM.RRRR into ISO text; for optional columns an empty field gives "". */
int field_date(char out[DATE_ISO_LEN + 1], const struct csv_record *rec, size_t col,
    struct err *e);
/* MM.RRRR into "YYYY-MM". */
int field_period(char out[PERIOD_ISO_LEN + 1], const struct csv_record *rec, size_t col,
    struct err *e);
/* Postal code NN-NNN. */
int field_postcode(const struct csv_record *rec, size_t col, struct err *e);
/* One of the NULL-terminated allowed codes; *out gets the matching one. */
int field_code(const char **out, const struct csv_record *rec, size_t col,
    const char *const *allowed, struct err *e);
/* Bank account number, normalised to 26 digits. */
int field_nrb(char out[NRB_DIGITS + 1], const struct csv_record *rec, size_t col,
    struct err *e);

#endif
