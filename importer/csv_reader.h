/*
 * csv_reader.h — streaming reader for the export's CSV files (libcsv).
 *
 * csv_read() reads one file block by block and calls row_fn once per data
 * record with the fields the caller asked for, by column NAME: the header
 * decides where each column is, unknown columns are skipped, a missing
 * required column is an error.  Fields reach row_fn decoded to UTF-8 and
 * trimmed (text.h).  The file's encoding is Windows-1250, or UTF-8 when it
 * starts with a BOM.  Memory stays bounded whatever the file holds: see
 * the limits below.
 *
 * Errors name file, physical line where the record starts, and field:
 *     obroty.csv:12: field wn: not an amount (12.345,67)
 */
#ifndef CZYNSZE_CSV_READER_H
#define CZYNSZE_CSV_READER_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "err.h"

#define CSV_RECORD_BYTES_MAX (1u << 20) /* one record, quoted line breaks included */
#define CSV_FIELDS_MAX 256              /* columns in a record */
#define CSV_FIELD_BYTES_MAX 65536       /* one decoded field */
#define CSV_COLUMNS_MAX 16              /* columns a loader asks for */

struct csv_column {
	const char *name;   /* lowercase header name */
	int required;
};

struct csv_field {
	const char *s;      /* decoded UTF-8, NUL-terminated; "" when empty/absent */
	size_t n;
};

struct csv_record {
	const char *file;           /* file name for messages, e.g. "obroty.csv" */
	uint64_t line;              /* physical line where the record starts */
	uint64_t index;             /* data record number, from 1 */
	const struct csv_column *columns;
	struct csv_field field[CSV_COLUMNS_MAX];  /* in the order of columns */
};

/*
 * Called once per record.  Returns 0, or -1 with e set: ERR_DATA errors
 * are collected (diag) and reading goes on up to DIAG_ERRORS_MAX; any
 * other kind stops at once.
 */
typedef int (*csv_row_fn)(void *ctx, const struct csv_record *rec, struct err *e);

/*
 * Reads dir/file.  *rows_out gets the number of data records.  Returns 0,
 * or -1 with e set to the first error (all data errors are in diag).
 */
int csv_read(const char *dir, const char *file, const struct csv_column *columns,
    size_t ncolumns, csv_row_fn row_fn, void *ctx, uint64_t *rows_out,
    struct diag *diag, struct err *e);

/* Sets e to "FILE:LINE: field NAME: problem (value)" for column col of
 * rec.  Returns -1. */
int csv_field_error(struct err *e, const struct csv_record *rec, size_t col,
    const char *problem);

#endif
