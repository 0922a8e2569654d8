#include "html.h"

#include <assert.h>
#include <stdarg.h>
#include <string.h>

#include "decimal.h"

/* Tag and attribute names are fixed in the source, never data. */
static int
name_ok(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

int
html_textn(struct buf *b, const char *s, size_t n)
{
	size_t i, run = 0;
	const char *ent;

	if (s == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: continue;
		}
		if (buf_add_fast(b, s + run, i - run) == -1 || buf_add_fast(b, ent, strlen(ent)) == -1)
			return -1;
		run = i + 1;
	}
	return buf_add_fast(b, s + run, n - run);
}

int
html_text(struct buf *b, const char *s)
{
	return s == NULL ? 0 : html_textn(b, s, strlen(s));
}

int
html_attr_escape(struct buf *b, const char *s)
{
	return html_text(b, s);
}

int
html_url_component(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char esc[3];

	if (s == NULL)
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			if (buf_addc(b, (char)*p) == -1)
				return -1;
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[*p >> 4];
		esc[2] = hex[*p & 15];
		if (buf_add(b, esc, 3) == -1)
			return -1;
	}
	return 0;
}

int
html_openv(struct buf *b, const char *tag, va_list ap)
{
	const char *name, *value;

	assert(name_ok(tag));
	if (buf_addc_fast(b, '<') == -1 || buf_add_fast(b, tag, strlen(tag)) == -1)
		return -1;
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		assert(name_ok(name));
		if (value == NULL)
			continue;
		if (buf_addc_fast(b, ' ') == -1 || buf_add_fast(b, name, strlen(name)) == -1 ||
		    buf_add_fast(b, "=\"", 2) == -1 || html_attr_escape(b, value) == -1 ||
		    buf_addc_fast(b, '"') == -1)
			return -1;
	}
	return buf_addc_fast(b, '>');
}

int
html_open(struct buf *b, const char *tag, ...)
{
	va_list ap;
	int rc;

	va_start(ap, tag);
	rc = html_openv(b, tag, ap);
	va_end(ap);
	return rc;
}

int
html_void(struct buf *b, const char *tag, ...)
{
	va_list ap;
	int rc;

	va_start(ap, tag);
	rc = html_openv(b, tag, ap);
	va_end(ap);
	return rc;
}

int
html_close(struct buf *b, const char *tag)
{
	assert(name_ok(tag));
	if (buf_add_fast(b, "</", 2) == -1 || buf_add_fast(b, tag, strlen(tag)) == -1)
		return -1;
	return buf_addc_fast(b, '>');
}

int
html_elem(struct buf *b, const char *tag, const char *text)
{
	assert(name_ok(tag));
	if (buf_addc_fast(b, '<') == -1 || buf_add_fast(b, tag, strlen(tag)) == -1 ||
	    buf_addc_fast(b, '>') == -1 || html_text(b, text) == -1)
		return -1;
	return html_close(b, tag);
}

/* Safe without escaping: money_format_pl writes only digits, a comma,
 * U+00A0, U+2212 and "zł". */
int
html_money(struct buf *b, int64_t gr)
{
	return money_format_pl(b, gr, 1);
}

int
html_raw_trusted(struct buf *b, const char *s, size_t n)
{
	return buf_add(b, s, n);
}
