#include "template.h"

#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "fsutil.h"
#include "html.h"

struct seg {
	int is_var;
	const char *p;          /* text, or the variable's name */
	size_t n;
	const char *file;       /* for messages: the template's name */
	int line;
};

struct tpl {
	struct seg *segs;
	size_t nsegs, cap;
	char **texts;           /* every source text and name we own */
	size_t ntexts, textcap;
};

static int
own(struct tpl *t, char *p)
{
	char **grown = array_grow(t->texts, &t->textcap, t->ntexts + 1, sizeof *grown, 8);

	if (grown == NULL)
		return -1;
	t->texts = grown;
	t->texts[t->ntexts++] = p;
	return 0;
}

static int
add_seg(struct tpl *t, int is_var, const char *p, size_t n, const char *file, int line)
{
	struct seg *grown;

	if (!is_var && n == 0)
		return 0;
	grown = array_grow(t->segs, &t->cap, t->nsegs + 1, sizeof *grown, 32);
	if (grown == NULL)
		return -1;
	t->segs = grown;
	t->segs[t->nsegs++] = (struct seg){ is_var, p, n, file, line };
	return 0;
}

static int
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static int
is_file_char(char c)
{
	return is_name_char(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '-';
}

/* First "xx" (two equal bytes c) in [p, end), or NULL. */
static const char *
find2(const char *p, const char *end, char c)
{
	for (; p + 1 < end; p++)
		if (p[0] == c && p[1] == c)
			return p;
	return NULL;
}

static int
count_lines(const char *from, const char *to)
{
	int n = 0;

	for (; from < to; from++)
		n += *from == '\n';
	return n;
}

static int parse(struct tpl *t, const char *dir, const char *name, const char *text,
    size_t n, int depth, struct err *e);

static int
include(struct tpl *t, const char *dir, const char *file, int depth, struct err *e)
{
	char path[PATH_BYTES_MAX];
	char *text = NULL;
	size_t n;

	if (dir == NULL)
		return err_set(e, ERR_DATA, "%s: no template folder for includes", file);
	if (path_join(path, dir, file, e) == -1 ||
	    read_file(&text, &n, path, TPL_BYTES_MAX, e) == -1)
		return -1;
	if (own(t, text) == -1) {
		free(text);
		return err_set(e, ERR_SYSTEM, "out of memory");
	}
	return parse(t, dir, file, text, n, depth + 1, e);
}

static int
parse(struct tpl *t, const char *dir, const char *name, const char *text, size_t n,
    int depth, struct err *e)
{
	const char *p = text, *end = text + n, *open, *close, *a, *b;
	char *fname;
	int line = 1;

	if (depth > TPL_INCLUDE_DEPTH_MAX)
		return err_set(e, ERR_DATA, "%s: includes nested deeper than %d", name,
		    TPL_INCLUDE_DEPTH_MAX);
	if (strlen(name) >= TPL_NAME_BYTES_MAX)
		return err_set(e, ERR_DATA, "template name too long (%s)", name);
	fname = strdup(name);
	if (fname == NULL || own(t, fname) == -1) {
		free(fname);
		return err_set(e, ERR_SYSTEM, "out of memory");
	}
	while (p < end) {
		open = find2(p, end, '{');
		if (open == NULL)
			open = end;
		if (add_seg(t, 0, p, (size_t)(open - p), fname, line) == -1)
			return err_set(e, ERR_SYSTEM, "out of memory");
		line += count_lines(p, open);
		if (open == end)
			break;
		close = find2(open + 2, end, '}');
		if (close == NULL)
			return err_set(e, ERR_DATA, "%s:%d: {{ without }}", fname, line);
		a = open + 2;
		b = close;
		if (*a == '!') {
			/* comment */
		} else {
			int inc = *a == '>';

			if (inc)
				a++;
			while (a < b && *a == ' ')
				a++;
			while (b > a && b[-1] == ' ')
				b--;
			if (a == b || (size_t)(b - a) >= TPL_NAME_BYTES_MAX)
				return err_set(e, ERR_DATA, "%s:%d: empty or too long placeholder",
				    fname, line);
			for (const char *c = a; c < b; c++)
				if (inc ? !is_file_char(*c) : !is_name_char(*c))
					return err_set(e, ERR_DATA, "%s:%d: bad character in "
					    "placeholder {{%.*s}}", fname, line,
					    (int)(close - open - 2), open + 2);
			if (inc) {
				char file[TPL_NAME_BYTES_MAX];

				if (*a == '.')
					return err_set(e, ERR_DATA, "%s:%d: bad include name",
					    fname, line);
				memcpy(file, a, (size_t)(b - a));
				file[b - a] = '\0';
				if (include(t, dir, file, depth, e) == -1)
					return err_prefix(e, "%s:%d", fname, line);
			} else if (add_seg(t, 1, a, (size_t)(b - a), fname, line) == -1) {
				return err_set(e, ERR_SYSTEM, "out of memory");
			}
		}
		line += count_lines(open, close);
		p = close + 2;
	}
	return 0;
}

int
tpl_parse(struct tpl **out, const char *dir, const char *name, const char *text, size_t n,
    struct err *e)
{
	struct tpl *t = calloc(1, sizeof *t);
	char *copy;

	if (t == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	copy = malloc(n + 1);
	if (copy == NULL || own(t, copy) == -1) {
		free(copy);
		tpl_free(t);
		return err_set(e, ERR_SYSTEM, "out of memory");
	}
	memcpy(copy, text, n);
	copy[n] = '\0';
	if (parse(t, dir, name, copy, n, 0, e) == -1) {
		tpl_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

int
tpl_load(struct tpl **out, const char *dir, const char *name, struct err *e)
{
	char path[PATH_BYTES_MAX];
	char *text = NULL;
	size_t n;
	int rc;

	if (path_join(path, dir, name, e) == -1 ||
	    read_file(&text, &n, path, TPL_BYTES_MAX, e) == -1)
		return -1;
	rc = tpl_parse(out, dir, name, text, n, e);
	free(text);
	return rc;
}

void
tpl_free(struct tpl *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ntexts; i++)
		free(t->texts[i]);
	free(t->texts);
	free(t->segs);
	free(t);
}

static const struct tpl_var *
find(const struct tpl_vars *vs, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < vs->n; i++)
		if (strlen(vs->v[i].name) == n && memcmp(vs->v[i].name, name, n) == 0)
			return &vs->v[i];
	return NULL;
}

static int
set(struct tpl_vars *vs, const char *name, const char *value, size_t len, int is_html,
    struct err *e)
{
	struct tpl_var *v = (struct tpl_var *)find(vs, name, strlen(name));
	char *copy = malloc(len + 1);

	if (copy == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (len > 0)
		memcpy(copy, value, len);
	copy[len] = '\0';
	if (v == NULL) {
		struct tpl_var *grown = array_grow(vs->v, &vs->cap, vs->n + 1, sizeof *grown, 16);

		if (grown == NULL) {
			free(copy);
			return err_set(e, ERR_SYSTEM, "out of memory");
		}
		vs->v = grown;
		v = &vs->v[vs->n];
		v->name = strdup(name);
		if (v->name == NULL) {
			free(copy);
			return err_set(e, ERR_SYSTEM, "out of memory");
		}
		vs->n++;
	} else {
		free(v->value);
	}
	v->value = copy;
	v->len = len;
	v->is_html = is_html;
	return 0;
}

int
tpl_set_text(struct tpl_vars *vs, const char *name, const char *text, struct err *e)
{
	if (text == NULL)
		text = "";
	return set(vs, name, text, strlen(text), 0, e);
}

int
tpl_set_html(struct tpl_vars *vs, const char *name, const struct buf *html, struct err *e)
{
	return set(vs, name, html->data, html->len, 1, e);
}

int
tpl_vars_copy(struct tpl_vars *dst, const struct tpl_vars *src, struct err *e)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		if (set(dst, src->v[i].name, src->v[i].value, src->v[i].len, src->v[i].is_html,
		    e) == -1)
			return -1;
	return 0;
}

void
tpl_vars_free(struct tpl_vars *vs)
{
	size_t i;

	if (vs == NULL)
		return;
	for (i = 0; i < vs->n; i++) {
		free(vs->v[i].name);
		free(vs->v[i].value);
	}
	free(vs->v);
	vs->v = NULL;
	vs->n = vs->cap = 0;
}

int
tpl_render(struct buf *out, const struct tpl *t, const struct tpl_vars *vs, struct err *e)
{
	const struct tpl_var *v;
	size_t i;
	int r;

	for (i = 0; i < t->nsegs; i++) {
		const struct seg *s = &t->segs[i];

		if (!s->is_var) {
			r = html_raw_trusted(out, s->p, s->n);  /* the template's own text */
		} else {
			v = find(vs, s->p, s->n);
			if (v == NULL)
				return err_set(e, ERR_DATA, "%s:%d: unknown placeholder {{%.*s}}",
				    s->file, s->line, (int)s->n, s->p);
			/* HTML values were built with the escaping writer. */
			r = v->is_html ? html_raw_trusted(out, v->value, v->len) :
			    html_textn(out, v->value, v->len);
		}
		if (r == -1)
			return err_set(e, ERR_SYSTEM, "out of memory");
	}
	return 0;
}
