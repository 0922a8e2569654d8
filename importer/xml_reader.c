/*
 * xml_reader.c — the only file that includes libxml2's headers.
 */
#include "xml_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "text.h"

#define READ_BLOCK_BYTES (1u << 20)
#define ERROR_VALUE_BYTES_MAX 80
#define DECLARATION_BYTES_MAX 256   /* where the encoding must be named */

/* What the file is written in; libxml2 always gets UTF-8 from us. */
enum xml_encoding { XML_ENC_UTF8, XML_ENC_CP1250 };

struct reader {
	const char *file;
	const struct xml_handlers *h;
	void *ctx;
	struct diag *diag;
	struct err *first;
	xmlParserCtxtPtr parser;
	int depth;
	int stop;
	int failed;
	struct xml_element el;
	struct buf values;          /* the attribute values of el, NUL-separated */
	int fd;                     /* the file, for line_at */
	uint64_t span_off;          /* file offset of the last '<' (0: none yet) */
	size_t span_bytes;          /* bytes since the last '<' */
};

static void
report(struct reader *r, struct err *e)
{
	if (!r->failed)
		*r->first = *e;
	r->failed = 1;
	if (e->kind != ERR_DATA || diag_error(r->diag, e) == -1) {
		r->stop = 1;
		xmlStopParser(r->parser);
	}
}

/* Files an error after which nothing in the document can be trusted. */
static void
report_fatal(struct reader *r, struct err *e)
{
	report(r, e);
	r->stop = 1;
	xmlStopParser(r->parser);
}

static long
line_now(struct reader *r)
{
	return (long)xmlSAX2GetLineNumber(r->parser);
}

static void
refuse_declaration(struct reader *r, const char *what)
{
	struct err e;

	err_set(&e, ERR_DATA, "%s:%ld: %s not allowed (no DTD, no entities)",
	    r->file, line_now(r), what);
	report_fatal(r, &e);
}

static void
on_internal_subset(void *data, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	refuse_declaration(data, "DOCTYPE");
}

static void
on_entity_decl(void *data, const xmlChar *name, int type, const xmlChar *pub,
    const xmlChar *sys, xmlChar *content)
{
	refuse_declaration(data, "entity declaration");
}

static xmlEntityPtr
on_get_entity(void *data, const xmlChar *name)
{
	return NULL; /* only the five predefined entities exist */
}

static void
on_start(void *data, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
    int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	struct reader *r = data;
	struct err e;
	size_t i, off[XML_ATTRS_MAX], len;

	if (r->stop)
		return;
	r->depth++;
	r->el.file = r->file;
	r->el.line = line_now(r);
	r->el.name = (const char *)localname;
	r->el.depth = r->depth;
	r->el.nattrs = 0;
	if (r->depth > XML_DEPTH_MAX) {
		xml_element_error(&e, r->file, r->el.line, r->el.name, "nested too deeply");
		report_fatal(r, &e);
		return;
	}
	if (prefix != NULL || nb_namespaces > 0) {
		xml_element_error(&e, r->file, r->el.line, r->el.name, "namespaces not expected");
		report(r, &e);
		return;
	}
	if (nb_attributes > XML_ATTRS_MAX) {
		xml_element_error(&e, r->file, r->el.line, r->el.name, "too many attributes");
		report(r, &e);
		return;
	}
	buf_reset(&r->values);
	for (i = 0, len = 0; i < (size_t)nb_attributes; i++)
		len += (size_t)(attributes[5 * i + 4] - attributes[5 * i + 3]) + 1;
	if (buf_grow(&r->values, len) == -1) {
		err_set(&e, ERR_SYSTEM, "%s: out of memory", r->file);
		report(r, &e);
		return;
	}
	for (i = 0; i < (size_t)nb_attributes; i++) {
		const xmlChar *const *a = attributes + 5 * i;

		/* room made above: the values, each NUL-terminated */
		len = (size_t)(a[4] - a[3]);
		off[i] = r->values.len;
		memcpy(r->values.data + r->values.len, a[3], len);
		r->values.len += len;
		r->values.data[r->values.len++] = '\0';
		r->el.attr[i].name = (const char *)a[0];
		r->el.attr[i].n = len;
	}
	r->values.data[r->values.len] = '\0';
	for (i = 0; i < (size_t)nb_attributes; i++)
		r->el.attr[i].value = r->values.data + off[i];
	r->el.nattrs = (size_t)nb_attributes;
	if (r->h->start != NULL) {
		err_clear(&e);
		if (r->h->start(r->ctx, &r->el, &e) == -1)
			report(r, &e);
	}
}

static void
on_end(void *data, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	struct reader *r = data;
	struct err e;

	if (r->stop)
		return;
	if (r->h->end != NULL) {
		err_clear(&e);
		if (r->h->end(r->ctx, (const char *)localname, r->depth, line_now(r), &e) == -1)
			report(r, &e);
	}
	r->depth--;
}

static void
on_text(void *data, const xmlChar *s, int n)
{
	struct reader *r = data;
	struct err e;

	if (r->stop || r->h->text == NULL)
		return;
	err_clear(&e);
	if (r->h->text(r->ctx, (const char *)s, (size_t)n, line_now(r), &e) == -1)
		report(r, &e);
}

static void
on_error(void *data, xmlErrorPtr xe)
{
	struct reader *r = data;
	struct err e;
	char msg[256];
	size_t n, i;

	if (r->stop || xe == NULL || xe->level < XML_ERR_ERROR)
		return;
	(void)snprintf(msg, sizeof msg, "%s", xe->message ? xe->message : "malformed XML");
	/* msg may end inside a character of an element name: cut before it. */
	n = utf8_valid_prefix(msg, strlen(msg));
	msg[n] = '\0';
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	/* libxml2 breaks some messages over lines ("...encoding !\nBytes:
	 * 0x90 ..."); ours are one line each (diag.h). */
	for (i = 0; i < n; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7F)
			msg[i] = ' ';
	err_set(&e, ERR_DATA, "%s:%d: malformed XML: %s", r->file, xe->line, msg);
	report_fatal(r, &e); /* a parse error ends the document */
}

static long line_at(int fd, uint64_t at);

/*
 * Refuses a run of more than XML_SPAN_BYTES_MAX bytes without a '<',
 * before libxml2 sees it.  '<' cannot occur inside a tag, so this bounds
 * every start tag, and with it the number of attributes libxml2 collects
 * for one element: its duplicate check is quadratic in that number
 * (200 000 attributes in 2 MB took over a minute).  s[0..n) is the block
 * at file offset `offset`.
 *
 * A window of the bytes that may still come without a '<' is searched
 * backwards for its last '<', so that each step skips about
 * XML_SPAN_BYTES_MAX bytes without looking at them one by one: any two
 * '<' inside one window are closer than the limit.
 */
static int
check_spans(struct reader *r, const char *s, size_t n, uint64_t offset)
{
	struct err e;
	size_t i = 0, w, q;

	while (i < n) {
		w = XML_SPAN_BYTES_MAX - r->span_bytes + 1;
		if (w > n - i)
			w = n - i;
		for (q = i + w; q > i && s[q - 1] != '<'; q--)
			;
		if (q > i) {
			r->span_off = offset + q - 1;
			r->span_bytes = 0;
			i = q;
			continue;
		}
		r->span_bytes += w;
		i += w;
		if (r->span_bytes > XML_SPAN_BYTES_MAX) {
			err_set(&e, ERR_DATA, "%s:%ld: more than %u bytes without markup "
			    "(a tag or a text too long)", r->file, line_at(r->fd, r->span_off),
			    XML_SPAN_BYTES_MAX);
			report_fatal(r, &e);
			return -1;
		}
	}
	return 0;
}

static int
lower_equal(const char *s, size_t n, const char *lower)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];

		if (lower[i] == '\0' || c != lower[i])
			return 0;
	}
	return lower[n] == '\0';
}

/*
 * The encoding of a file whose first block is s[0..n): UTF-8 after a BOM
 * or without a declared encoding, else what <?xml ... encoding="..."?>
 * names, which must be windows-1250 or UTF-8.
 */
static int
detect_encoding(enum xml_encoding *out, const char *file, const char *s, size_t n,
    struct err *e)
{
	const char *end, *p, *q;
	char quote;
	struct buf v = BUF_INIT;

	*out = XML_ENC_UTF8;
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		return 0;
	if (n < 5 || memcmp(s, "<?xml", 5) != 0)
		return 0;
	if (n > DECLARATION_BYTES_MAX)
		n = DECLARATION_BYTES_MAX;
	end = memchr(s, '>', n);
	if (end == NULL)
		return err_set(e, ERR_DATA, "%s:1: malformed XML declaration", file);
	for (p = s + 5; p + 8 <= end && memcmp(p, "encoding", 8) != 0; p++)
		;
	if (p + 8 > end)
		return 0;
	for (p += 8; p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '='); p++)
		;
	if (p == end || (*p != '"' && *p != '\''))
		return err_set(e, ERR_DATA, "%s:1: malformed XML declaration", file);
	quote = *p++;
	q = memchr(p, quote, (size_t)(end - p));
	if (q == NULL)
		return err_set(e, ERR_DATA, "%s:1: malformed XML declaration", file);
	if (lower_equal(p, (size_t)(q - p), "windows-1250")) {
		*out = XML_ENC_CP1250;
		return 0;
	}
	if (lower_equal(p, (size_t)(q - p), "utf-8"))
		return 0;
	(void)text_quote_for_error(&v, p, (size_t)(q - p), ERROR_VALUE_BYTES_MAX);
	err_set(e, ERR_DATA, "%s:1: encoding not supported, only windows-1250 or UTF-8 (%s)",
	    file, v.data != NULL ? v.data : "");
	buf_free(&v);
	return -1;
}

/* The line of byte offset `at` of the file: 1 + the newlines before it.
 * Only for error messages, so it reads the file again. */
static long
line_at(int fd, uint64_t at)
{
	char b[65536];
	uint64_t off = 0;
	long line = 1;
	ssize_t n;
	size_t want, i;

	while (off < at) {
		want = at - off < sizeof b ? (size_t)(at - off) : sizeof b;
		n = pread(fd, b, want, (off_t)off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (i = 0; i < (size_t)n; i++)
			line += b[i] == '\n';
		off += (uint64_t)n;
	}
	return line;
}

/* Gives libxml2 the next piece of UTF-8; 0, or -1 when parsing stopped. */
static int
push(struct reader *r, const char *s, size_t n, int terminate)
{
	struct err pe;

	if (xmlParseChunk(r->parser, s, (int)n, terminate) != 0 || r->stop) {
		if (!r->failed) {
			err_set(&pe, ERR_DATA, "%s:%ld: malformed XML", r->file, line_now(r));
			report(r, &pe);
		}
		return -1;
	}
	return 0;
}

int
xml_read(const char *dir, const char *file, const struct xml_handlers *h,
    void *ctx, struct diag *diag, struct err *e)
{
	struct reader r;
	xmlSAXHandler sax;
	char path[4096], *block = NULL;
	int fd = -1, first = 1;
	size_t n, done;
	uint64_t offset = 0;
	enum xml_encoding enc = XML_ENC_UTF8;
	struct buf utf8 = BUF_INIT;
	struct err pe;
	struct stat st;

	memset(&r, 0, sizeof r);
	r.file = file;
	r.h = h;
	r.ctx = ctx;
	r.diag = diag;
	r.first = e;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path)
		return err_set(e, ERR_USAGE, "%s: path too long", dir);
	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.internalSubset = on_internal_subset;
	sax.externalSubset = on_internal_subset;
	sax.entityDecl = on_entity_decl;
	sax.getEntity = on_get_entity;
	sax.getParameterEntity = on_get_entity;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.cdataBlock = on_text;
	sax.serror = on_error;
	block = malloc(READ_BLOCK_BYTES);
	if (block == NULL) {
		err_set(e, ERR_SYSTEM, "out of memory");
		r.failed = 1;
		goto out;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	r.fd = fd;
	if (fd == -1) {
		err_sys(e, "%s", path);
		r.failed = 1;
		goto out;
	}
	if (fstat(fd, &st) == -1) {
		err_sys(e, "%s", path);
		r.failed = 1;
		goto out;
	}
	if (st.st_size == 0) {
		/* libxml2 would say "Extra content at the end of the document". */
		err_set(e, ERR_DATA, "%s:1: empty file", file);
		r.failed = 1;
		(void)diag_error(diag, e);
		goto out;
	}
	r.parser = xmlCreatePushParserCtxt(&sax, &r, NULL, 0, file);
	if (r.parser == NULL) {
		err_set(e, ERR_SYSTEM, "%s: cannot create XML parser", file);
		r.failed = 1;
		goto out;
	}
	/* No XML_PARSE_NOENT, DTDLOAD, DTDATTR, XINCLUDE or HUGE: nothing is
	 * fetched, substituted or expanded, and libxml2's limits hold.  The
	 * text reaches libxml2 as UTF-8 whatever the declaration says: we
	 * decode Windows-1250 ourselves (a table, not iconv). */
	if (xmlCtxtUseOptions(r.parser, XML_PARSE_NONET | XML_PARSE_IGNORE_ENC) < 0) {
		err_set(e, ERR_INTERNAL, "%s: cannot set XML parser options", file);
		r.failed = 1;
		goto out;
	}
	r.parser->replaceEntities = 0;
	for (;;) {
		if (fd_read_full(fd, block, READ_BLOCK_BYTES, &n) == -1) {
			err_sys(&pe, "%s: read", path);
			report(&r, &pe);
			break;
		}
		if (n > 0 && h->bytes != NULL && h->bytes(ctx, block, n, &pe) == -1) {
			report_fatal(&r, &pe);
			break;
		}
		if (check_spans(&r, block, n, offset) == -1)
			break;
		if (first && detect_encoding(&enc, file, block, n, &pe) == -1) {
			report(&r, &pe);
			break;
		}
		first = 0;
		if (enc == XML_ENC_UTF8) {
			if (push(&r, block, n, n == 0) == -1)
				break;
		} else {
			int c;

			buf_reset(&utf8);
			c = text_cp1250_to_utf8(&utf8, block, n, &done);
			if (c == -1) {
				err_set(&pe, ERR_SYSTEM, "%s: out of memory", file);
				report(&r, &pe);
				break;
			}
			if (push(&r, utf8.data, utf8.len, n == 0) == -1)
				break;
			if (c == 1) {
				err_set(&pe, ERR_DATA, "%s:%ld: invalid Windows-1250 byte (0x%02X)", file,
				    line_at(fd, offset + done), (unsigned char)block[done]);
				report_fatal(&r, &pe);
				break;
			}
		}
		offset += n;
		if (n == 0)
			break;
	}
	if (!r.failed && !r.parser->wellFormed) {
		err_set(&pe, ERR_DATA, "%s: malformed XML", file);
		report(&r, &pe);
	}
out:
	if (r.parser != NULL)
		xmlFreeParserCtxt(r.parser);
	if (fd != -1)
		(void)close(fd);
	free(block);
	buf_free(&utf8);
	buf_free(&r.values);
	return r.failed ? -1 : 0;
}

int
xml_attr_find(const struct xml_element *el, const char *name)
{
	size_t i;

	for (i = 0; i < el->nattrs; i++)
		if (strcmp(el->attr[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
xml_attr_error(struct err *e, const struct xml_element *el, int attr,
    const char *problem)
{
	struct buf v = BUF_INIT;
	int rc;

	rc = text_quote_for_error(&v, el->attr[attr].value, el->attr[attr].n,
	    ERROR_VALUE_BYTES_MAX);
	err_set(e, ERR_DATA, "%s:%ld: attribute %s: %s (%s)", el->file, el->line,
	    el->attr[attr].name, problem, rc == 0 && v.data != NULL ? v.data : "");
	buf_free(&v);
	return -1;
}

int
xml_element_error(struct err *e, const char *file, long line, const char *name,
    const char *problem)
{
	return err_set(e, ERR_DATA, "%s:%ld: element %s: %s", file, line, name, problem);
}

int
xml_attrs_require(const struct xml_element *el, const char *const *required,
    struct err *e)
{
	size_t k;
	char problem[96];

	for (k = 0; required[k] != NULL; k++) {
		if (xml_attr_find(el, required[k]) < 0) {
			(void)snprintf(problem, sizeof problem, "attribute %s missing", required[k]);
			return xml_element_error(e, el->file, el->line, el->name, problem);
		}
	}
	return 0;
}
