/*
 * template.h — the placeholder language of site-templates/.
 *
 * A template is HTML written by the cooperative with three kinds of
 * placeholder, and nothing else (no loops, no expressions, nothing that
 * runs code):
 *
 *   {{name}}        a value the generator supplies.  Text values are
 *                   escaped for HTML (safe in element content and in a
 *                   quoted attribute); a few values are HTML the generator
 *                   built with the escaping writer (html.h), e.g. the
 *                   announcements list, and are inserted as they are.
 *                   An unknown name is an error naming file and line.
 *   {{> file.html}} the text of another template of the same folder
 *                   (a partial, e.g. _header.html), itself expanded;
 *                   nested at most TPL_INCLUDE_DEPTH_MAX deep.
 *   {{! comment }}  dropped from the output.
 *
 * Names are [a-z0-9_]; file names [A-Za-z0-9_.-] without a leading dot
 * and without '/'.  "{{" always starts a placeholder.  Spaces inside the
 * braces are ignored: {{ name }} works.
 *
 * Ownership: tpl_load() gives a struct tpl freed with tpl_free(); struct
 * tpl_vars is filled by the caller and freed with tpl_vars_free() (it
 * copies what it is given).  Both free functions accept NULL.
 */
#ifndef CZYNSZE_TEMPLATE_H
#define CZYNSZE_TEMPLATE_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define TPL_BYTES_MAX (1024 * 1024)
#define TPL_INCLUDE_DEPTH_MAX 8
#define TPL_NAME_BYTES_MAX 64

struct tpl;

struct tpl_var {
	char *name;
	char *value;
	size_t len;
	int is_html;
};

struct tpl_vars {
	struct tpl_var *v;
	size_t n, cap;
};

#define TPL_VARS_INIT { NULL, 0, 0 }

/* Sets name (replacing an earlier value) to text, escaped when used. */
int tpl_set_text(struct tpl_vars *vs, const char *name, const char *text, struct err *e);
/* Sets name to HTML built with the escaping writer, inserted as is. */
int tpl_set_html(struct tpl_vars *vs, const char *name, const struct buf *html,
    struct err *e);
/* Adds (or replaces) every value of src in dst. */
int tpl_vars_copy(struct tpl_vars *dst, const struct tpl_vars *src, struct err *e);
void tpl_vars_free(struct tpl_vars *vs);

/* Reads dir/name and its partials and parses them.  Errors: ERR_SYSTEM
 * for I/O, ERR_DATA "name:LINE: ..." for a malformed placeholder. */
int tpl_load(struct tpl **out, const char *dir, const char *name, struct err *e);
/* The same from text in memory (includes are read from dir; dir may be
 * NULL when the text has none). */
int tpl_parse(struct tpl **out, const char *dir, const char *name, const char *text,
    size_t n, struct err *e);
void tpl_free(struct tpl *t);

/* Appends the template with vs filled in.  ERR_DATA "name:LINE: unknown
 * placeholder {{x}}" when a name has no value. */
int tpl_render(struct buf *out, const struct tpl *t, const struct tpl_vars *vs,
    struct err *e);

#endif
