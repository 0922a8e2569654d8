/*
 * html.h — the escaping writer: every byte of a generated page goes
 * through here.
 *
 * Markup is written with html_open()/html_close()/html_void(), whose tag
 * and attribute names must be fixed lowercase names ([a-z0-9-], checked
 * by assert: a programmer error, never data).  Attribute values and text
 * are always escaped for their context:
 *
 *   html_text()      element content: & < > " ' become entities
 *   attribute values (html_open/html_void): the same set, always quoted
 *   html_url_component(): percent-encoding for a piece of a URL (then
 *                    attribute-escaped when passed as a value)
 *
 * The only way to add bytes unescaped is html_raw_trusted(), meant for
 * template text the cooperative wrote (site-templates/) and for markup
 * this program built with the functions above.  Grep for it.
 *
 * All functions append to a struct buf (buf.h) and return 0, or -1 when
 * out of memory (the buffer then holds an unspecified prefix: discard it).
 */
#ifndef CZYNSZE_HTML_H
#define CZYNSZE_HTML_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Text content, s NUL-terminated (NULL writes nothing). */
int html_text(struct buf *b, const char *s);
int html_textn(struct buf *b, const char *s, size_t n);

/* Attribute-value escaping without the quotes (the same entity set as
 * text).  For callers composing a value outside html_open(). */
int html_attr_escape(struct buf *b, const char *s);

/* Percent-encodes s for use inside a URL path or query component:
 * everything except A-Z a-z 0-9 - . _ ~ becomes %XX (UTF-8 bytes). */
int html_url_component(struct buf *b, const char *s);

/*
 * <tag name="value" ...>: the variadic part is name, value pairs ending
 * with NULL.  A NULL value skips that attribute (handy for optional
 * ones); an empty value writes name="" (boolean attributes).
 */
int html_open(struct buf *b, const char *tag, ...) __attribute__((sentinel));
/* Same, for void elements (<br>, <input>, <meta>): no closing tag. */
int html_void(struct buf *b, const char *tag, ...) __attribute__((sentinel));
/* html_open with a va_list (for wrappers). */
int html_openv(struct buf *b, const char *tag, va_list ap);
/* </tag> */
int html_close(struct buf *b, const char *tag);

/* <tag>escaped text</tag> with no attributes. */
int html_elem(struct buf *b, const char *tag, const char *text);

/* Money in grosze the Polish way (money_format_pl), as text. */
int html_money(struct buf *b, int64_t gr);

/*
 * Appends s[0..n) without any escaping.  ONLY for template text from
 * site-templates/ and for HTML this program already built with the
 * functions above.  Never pass data from the export to it.
 */
int html_raw_trusted(struct buf *b, const char *s, size_t n);

#endif
