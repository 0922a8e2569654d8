/*
 * fuzz_html.c — the escaping writer (lib/html.h) and the template
 * language (generator/template.h), the two layers every byte of the
 * published site goes through.
 *
 * The input is split at the first NUL: before it a template text (parsed
 * with tpl_parse, no includes), after it a value.  The value is written
 * with html_text, html_attr_escape, html_url_component and as every
 * variable of the template, which is then rendered.
 *
 * Properties: escaped text and attribute values contain none of < > & " '
 * except as the entities the writer makes; a URL component holds only
 * unreserved characters and %XX; a text value rendered through a
 * template never brings a '<' of its own (the output has no more '<' than
 * the template text alone produces with a harmless value).
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "html.h"
#include "template.h"

/* No raw < > " ' anywhere, and every & starts one of our entities. */
static void
check_escaped(const struct buf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++) {
		char c = b->data[i];

		FUZZ_CHECK(c != '<' && c != '>' && c != '"' && c != '\'');
		if (c == '&')
			FUZZ_CHECK(strncmp(b->data + i, "&amp;", 5) == 0 ||
			    strncmp(b->data + i, "&lt;", 4) == 0 ||
			    strncmp(b->data + i, "&gt;", 4) == 0 ||
			    strncmp(b->data + i, "&quot;", 6) == 0 ||
			    strncmp(b->data + i, "&#39;", 5) == 0 ||
			    strncmp(b->data + i, "&#x27;", 6) == 0 ||
			    strncmp(b->data + i, "&apos;", 6) == 0);
	}
}

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/* Only unreserved characters and %XX. */
static void
check_url(const struct buf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++) {
		char c = b->data[i];

		if (c == '%') {
			FUZZ_CHECK(i + 2 < b->len);
			FUZZ_CHECK(is_hex(b->data[i + 1]) && is_hex(b->data[i + 2]));
			i += 2;
			continue;
		}
		FUZZ_CHECK((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~');
	}
}

static size_t
count_lt(const struct buf *b)
{
	size_t i, k = 0;

	for (i = 0; i < b->len; i++)
		k += b->data[i] == '<';
	return k;
}

/* Renders t with every name it may use set to value; *out gets the text. */
static int
render_with(struct buf *out, const struct tpl *t, const char *value)
{
	static const char *const names[] = { "a", "b", "name", "x", "title", "value", NULL };
	struct tpl_vars vs = TPL_VARS_INIT;
	struct err e;
	size_t i;
	int rc;

	for (i = 0; names[i] != NULL; i++)
		if (tpl_set_text(&vs, names[i], value, &e) == -1)
			abort();
	rc = tpl_render(out, t, &vs, &e);
	tpl_vars_free(&vs);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nul = memchr(s, '\0', size);
	size_t tn = nul != NULL ? (size_t)(nul - s) : size;
	char *value;
	struct buf b = BUF_INIT, safe = BUF_INIT;
	struct tpl *t = NULL;
	struct err e;

	value = malloc(size - tn + 1);
	if (value == NULL)
		return 0;
	if (nul != NULL)
		memcpy(value, nul + 1, size - tn - 1);
	value[nul != NULL ? size - tn - 1 : 0] = '\0';

	FUZZ_CHECK(html_text(&b, value) == 0);
	check_escaped(&b);
	buf_reset(&b);
	FUZZ_CHECK(html_attr_escape(&b, value) == 0);
	check_escaped(&b);
	buf_reset(&b);
	FUZZ_CHECK(html_url_component(&b, value) == 0);
	check_url(&b);
	buf_reset(&b);

	if (tpl_parse(&t, NULL, "fuzz.html", s, tn, &e) == 0) {
		if (render_with(&b, t, value) == 0 && render_with(&safe, t, "v") == 0)
			FUZZ_CHECK(count_lt(&b) == count_lt(&safe));
	} else {
		FUZZ_CHECK(strncmp(e.msg, "fuzz.html", 9) == 0);
	}
	tpl_free(t);
	buf_free(&b);
	buf_free(&safe);
	free(value);
	return 0;
}
