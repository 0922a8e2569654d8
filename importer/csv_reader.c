/*
 * csv_reader.c — the only file that includes <csv.h>.
 *
 * The file is fed to libcsv one physical line at a time, so that the
 * reader always knows which line it is on.  A record starts on a line
 * that begins outside quotes (an even number of quote characters seen so
 * far); that is the line named in messages.
 */
#include "csv_reader.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "text.h"

#define READ_BLOCK_BYTES (1u << 20)
#define CSV_BLOCK_BYTES (64u << 10)
#define ERROR_VALUE_BYTES_MAX 80

struct reader {
	const char *file;
	const struct csv_column *columns;
	size_t ncolumns;
	csv_row_fn row_fn;
	void *ctx;
	struct diag *diag;
	struct err *first;          /* the caller's err: first error found */
	enum text_encoding enc;

	int header_done;
	size_t header_fields;
	int map[CSV_FIELDS_MAX];    /* header position -> column, or -1 */
	size_t name_at[CSV_FIELDS_MAX]; /* header position -> offset in names */
	struct buf names;           /* header names, NUL-separated */
	size_t field_no;            /* fields seen in the current record */
	int record_bad;             /* a field of this record was reported */
	struct buf decoded[CSV_COLUMNS_MAX];
	struct buf scratch;
	struct csv_record rec;

	uint64_t line;              /* physical line being fed, from 1 */
	uint64_t record_line;       /* last line that began outside quotes */
	uint64_t record_bytes;      /* bytes fed since record_line began */
	uint64_t quotes;            /* quote characters fed so far */
	uint64_t rows;
	uint64_t *rows_live;         /* the caller's counter, kept current (progress) */
	int stop;                   /* a hard error or too many errors */
	int failed;                 /* any error at all */
};

/* Files every error: the first into r->first, data errors into diag. */
static void
report(struct reader *r, struct err *e)
{
	if (!r->failed)
		*r->first = *e;
	r->failed = 1;
	if (e->kind != ERR_DATA || diag_error(r->diag, e) == -1)
		r->stop = 1;
}

static void
report_record(struct reader *r, enum err_kind kind, const char *what)
{
	struct err e;

	err_set(&e, kind, "%s:%llu: %s", r->file, (unsigned long long)r->record_line, what);
	report(r, &e);
}

int
csv_field_error(struct err *e, const struct csv_record *rec, size_t col,
    const char *problem)
{
	struct buf v = BUF_INIT;
	int rc;

	rc = text_quote_for_error(&v, rec->field[col].s, rec->field[col].n,
	    ERROR_VALUE_BYTES_MAX);
	if (rec->field[col].n == 0)
		err_set(e, ERR_DATA, "%s:%llu: field %s: %s", rec->file,
		    (unsigned long long)rec->line, rec->columns[col].name, problem);
	else
		err_set(e, ERR_DATA, "%s:%llu: field %s: %s (%s)", rec->file,
		    (unsigned long long)rec->line, rec->columns[col].name, problem,
		    rc == 0 && v.data != NULL ? v.data : "");
	buf_free(&v);
	return -1;
}

static void
header_field(struct reader *r, const char *s, size_t n)
{
	const char *problem;
	unsigned bad;
	size_t c, pos = r->header_fields;
	struct err e;

	if (pos == CSV_FIELDS_MAX) {
		if (pos == r->field_no) /* say it once */
			report_record(r, ERR_DATA, "header: too many columns");
		return;
	}
	r->header_fields++;
	r->map[pos] = -1;
	r->name_at[pos] = r->names.len;
	buf_reset(&r->scratch);
	if (text_decode(&r->scratch, s, n, r->enc, &problem, &bad) == -1) {
		err_set(&e, ERR_DATA, "%s:%llu: header: %s (0x%02X)", r->file,
		    (unsigned long long)r->record_line, problem, bad);
		report(r, &e);
		return;
	}
	if (buf_add(&r->names, r->scratch.data ? r->scratch.data : "", r->scratch.len) == -1 ||
	    buf_addc(&r->names, '\0') == -1) {
		err_set(&e, ERR_SYSTEM, "%s: out of memory", r->file);
		report(r, &e);
		return;
	}
	for (c = 0; c < r->ncolumns; c++) {
		if (strcasecmp(r->scratch.data ? r->scratch.data : "", r->columns[c].name) != 0)
			continue;
		if (r->rec.field[c].n != 0) {
			err_set(&e, ERR_DATA, "%s:%llu: field %s: column appears twice",
			    r->file, (unsigned long long)r->record_line, r->columns[c].name);
			report(r, &e);
			return;
		}
		r->map[pos] = (int)c;
		r->rec.field[c].n = 1; /* marks "seen" until the header ends */
	}
}

static void
header_end(struct reader *r)
{
	struct err e;
	size_t c;

	for (c = 0; c < r->ncolumns; c++) {
		if (r->columns[c].required && r->rec.field[c].n == 0) {
			err_set(&e, ERR_DATA, "%s:%llu: field %s: required column missing",
			    r->file, (unsigned long long)r->record_line, r->columns[c].name);
			report(r, &e);
			r->stop = 1; /* every record would repeat it */
		}
		r->rec.field[c].s = "";
		r->rec.field[c].n = 0;
	}
	r->header_done = 1;
}

static void
on_field(void *s, size_t n, void *data)
{
	struct reader *r = data;
	const char *problem;
	unsigned bad;
	struct buf *out;
	struct err e;
	int col;

	if (r->stop)
		return;
	if (!r->header_done) {
		header_field(r, s, n);
		r->field_no++;
		return;
	}
	if (r->field_no++ >= r->header_fields)
		return; /* counted, reported at the end of the record */
	col = r->map[r->field_no - 1];
	if (col < 0)
		return;
	out = &r->decoded[col];
	buf_reset(out);
	r->rec.line = r->record_line;
	if (n > CSV_FIELD_BYTES_MAX) {
		problem = "field too long";
		goto bad;
	}
	if (text_decode(out, s, n, r->enc, &problem, &bad) == -1) {
		if (strcmp(problem, "out of memory") == 0) {
			err_set(&e, ERR_SYSTEM, "%s: out of memory", r->file);
			report(r, &e);
			return;
		}
		err_set(&e, ERR_DATA, "%s:%llu: field %s: %s (0x%02X)", r->file,
		    (unsigned long long)r->record_line, r->columns[col].name, problem, bad);
		goto report;
	}
	r->rec.field[col].s = out->data != NULL ? out->data : "";
	r->rec.field[col].n = out->len;
	return;
bad:
	r->rec.field[col].s = s;
	r->rec.field[col].n = n > ERROR_VALUE_BYTES_MAX ? ERROR_VALUE_BYTES_MAX : n;
	csv_field_error(&e, &r->rec, (size_t)col, problem);
report:
	if (!r->record_bad)
		report(r, &e);
	r->record_bad = 1;
}

static void
on_record(int c, void *data)
{
	struct reader *r = data;
	struct err e;
	size_t i;
	char what[128];

	if (r->stop)
		goto reset;
	if (!r->header_done) {
		header_end(r);
		goto reset;
	}
	*r->rows_live = ++r->rows;
	if (r->record_bad)
		goto reset;
	if (r->field_no != r->header_fields) {
		(void)snprintf(what, sizeof what, "record has %zu fields, the header %zu",
		    r->field_no, r->header_fields);
		report_record(r, ERR_DATA, what);
		goto reset;
	}
	r->rec.line = r->record_line;
	r->rec.index = r->rows;
	err_clear(&e);
	if (r->row_fn(r->ctx, &r->rec, &e) == -1)
		report(r, &e);
reset:
	r->field_no = 0;
	r->record_bad = 0;
	for (i = 0; i < r->ncolumns; i++) {
		r->rec.field[i].s = "";
		r->rec.field[i].n = 0;
	}
	(void)c;
}

/*
 * Is there a CR without LF outside quotes in s[0..n)?  libcsv ends a
 * record there, but it is no line end for the line count, so every later
 * message would name the wrong line (a Mac-style file: all "line 1").
 * Fast path: in a CRLF file the only CR is the one before the '\n'.  A CR
 * that ends a piece cut by the block end is left alone (rare; the record
 * limit still holds).
 */
static int
lone_cr_outside_quotes(const struct reader *r, const char *s, size_t n)
{
	const char *q = s, *end = s + n, *c;
	uint64_t quotes;

	while ((q = memchr(q, '\r', (size_t)(end - q))) != NULL) {
		if (q + 1 == end || q[1] == '\n') {
			q++;
			continue;
		}
		quotes = r->quotes;
		for (c = s; (c = memchr(c, '"', (size_t)(q - c))) != NULL; c++)
			quotes++;
		if (quotes % 2 == 0)
			return 1;
		q++;
	}
	return 0;
}

/* Feeds one piece of a line; the piece ends with '\n' or the block. */
static int
feed(struct reader *r, struct csv_parser *p, const char *s, size_t n, int ends_line)
{
	const char *q = s, *end = s + n;
	char what[96];

	r->record_bytes += n;
	if (r->record_bytes > CSV_RECORD_BYTES_MAX) {
		(void)snprintf(what, sizeof what, "record longer than %u bytes",
		    CSV_RECORD_BYTES_MAX);
		report_record(r, ERR_DATA, what);
		r->stop = 1;
		return -1;
	}
	if (lone_cr_outside_quotes(r, s, n)) {
		(void)snprintf(what, sizeof what, "malformed CSV on line %llu "
		    "(carriage return without line feed)", (unsigned long long)r->line);
		report_record(r, ERR_DATA, what);
		r->stop = 1;
		return -1;
	}
	while ((q = memchr(q, '"', (size_t)(end - q))) != NULL) {
		r->quotes++;
		q++;
	}
	if (csv_parse(p, s, n, on_field, on_record, r) != n) {
		(void)snprintf(what, sizeof what, "malformed CSV on line %llu (%s)",
		    (unsigned long long)r->line,
		    csv_error(p) == CSV_EPARSE ? "misplaced quote" : csv_strerror(csv_error(p)));
		report_record(r, csv_error(p) == CSV_ENOMEM ? ERR_SYSTEM : ERR_DATA, what);
		r->stop = 1;
		return -1;
	}
	if (r->stop)
		return -1;
	if (ends_line) {
		r->line++;
		if (r->quotes % 2 == 0) {
			r->record_line = r->line;
			r->record_bytes = 0;
		}
	}
	return 0;
}

int
csv_read(const char *dir, const char *file, const struct csv_column *columns,
    size_t ncolumns, csv_row_fn row_fn, void *ctx, uint64_t *rows_out,
    struct diag *diag, struct err *e)
{
	struct reader r;
	struct csv_parser p;
	int parser_ready = 0, fd = -1, first_block = 1;
	char *block = NULL, path[4096];
	const char *s, *nl, *end;
	size_t got, i;

	memset(&r, 0, sizeof r);
	r.file = file;
	r.columns = columns;
	r.ncolumns = ncolumns;
	r.row_fn = row_fn;
	r.rows_live = rows_out;
	r.ctx = ctx;
	r.diag = diag;
	r.first = e;
	r.enc = TEXT_CP1250;
	r.line = r.record_line = 1;
	r.rec.file = file;
	r.rec.columns = columns;
	for (i = 0; i < CSV_COLUMNS_MAX; i++)
		r.rec.field[i].s = "";
	if (ncolumns > CSV_COLUMNS_MAX)
		return err_set(e, ERR_INTERNAL, "csv_read: too many columns");
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path)
		return err_set(e, ERR_USAGE, "%s: path too long", dir);
	block = malloc(READ_BLOCK_BYTES);
	if (block == NULL) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		err_sys(e, "%s", path);
		r.failed = 1;
		goto out;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		err_set(e, ERR_SYSTEM, "out of memory");
		r.failed = 1;
		goto out;
	}
	parser_ready = 1;
	csv_set_delim(&p, ';');
	/* libcsv's own spaces are ' ' and '\t' (a function set with
	 * csv_set_space_func would be called for every byte). */
	/* libcsv grows its field buffer by this many bytes at a time (default
	 * 128): a field near the record limit would take thousands of
	 * reallocs, each a copy where realloc cannot grow in place. */
	csv_set_blk_size(&p, CSV_BLOCK_BYTES);
	for (;;) {
		if (fd_read_full(fd, block, READ_BLOCK_BYTES, &got) == -1) {
			err_sys(e, "%s: read", path);
			r.failed = 1;
			goto out;
		}
		if (got == 0)
			break;
		s = block;
		end = block + got;
		if (first_block && got >= 3 && memcmp(block, "\xEF\xBB\xBF", 3) == 0) {
			r.enc = TEXT_UTF8;
			s += 3;
		}
		first_block = 0;
		while (s < end) {
			nl = memchr(s, '\n', (size_t)(end - s));
			if (feed(&r, &p, s, nl ? (size_t)(nl + 1 - s) : (size_t)(end - s),
			    nl != NULL) == -1)
				goto out;
			s = nl ? nl + 1 : end;
		}
	}
	if (csv_fini(&p, on_field, on_record, &r) != 0) {
		/* The field being read when the file ended is the open one. */
		if (r.header_done && r.field_no < r.header_fields) {
			struct err ue;

			err_set(&ue, ERR_DATA, "%s:%llu: field %s: unterminated quoted field",
			    file, (unsigned long long)r.record_line,
			    r.names.data + r.name_at[r.field_no]);
			report(&r, &ue);
		} else {
			report_record(&r, ERR_DATA, "unterminated quoted field");
		}
		goto out;
	}
	if (!r.stop && !r.header_done) {
		err_set(e, ERR_DATA, "%s:1: missing header (empty file)", file);
		r.failed = 1;
		(void)diag_error(diag, e);
	}
out:
	if (parser_ready)
		csv_free(&p);
	if (fd != -1)
		(void)close(fd);
	free(block);
	for (i = 0; i < CSV_COLUMNS_MAX; i++)
		buf_free(&r.decoded[i]);
	buf_free(&r.scratch);
	buf_free(&r.names);
	*rows_out = r.rows;
	return r.failed ? -1 : 0;
}
