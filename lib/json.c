#include "json.h"

#include <inttypes.h>
#include <string.h>

void
json_init(struct json *j, struct buf *out, int pretty)
{
	memset(j, 0, sizeof *j);
	j->out = out;
	j->pretty = pretty;
	j->first[0] = 1;
}

static void
put(struct json *j, const char *s, size_t n)
{
	if (!j->failed && buf_add(j->out, s, n) == -1)
		j->failed = 1;
}

static void
indent(struct json *j)
{
	int i;

	if (!j->pretty)
		return;
	put(j, "\n", 1);
	for (i = 0; i < j->depth; i++)
		put(j, "  ", 2);
}

/* Before a value: a comma unless first, and a newline in arrays. */
static void
before_value(struct json *j, int after_key)
{
	if (after_key)
		return;
	if (!j->first[j->depth])
		put(j, ",", 1);
	j->first[j->depth] = 0;
	if (j->depth > 0)
		indent(j);
}

static int after_key_pending(struct json *j);

static void
open_(struct json *j, char c)
{
	before_value(j, after_key_pending(j));
	put(j, &c, 1);
	if (j->depth + 1 >= JSON_DEPTH_MAX) {
		j->failed = 1;
		return;
	}
	j->depth++;
	j->first[j->depth] = 1;
}

static void
close_(struct json *j, char c)
{
	int empty = j->first[j->depth];

	if (j->depth == 0) {
		j->failed = 1;
		return;
	}
	j->depth--;
	if (!empty)
		indent(j);
	put(j, &c, 1);
}

/* A key was just written: the next value follows it directly.  Encoded
 * as first == 2 at the current depth. */
static int
after_key_pending(struct json *j)
{
	if (j->first[j->depth] == 2) {
		j->first[j->depth] = 0;
		return 1;
	}
	return 0;
}

void json_object_begin(struct json *j) { open_(j, '{'); }
void json_object_end(struct json *j) { close_(j, '}'); }
void json_array_begin(struct json *j) { open_(j, '['); }
void json_array_end(struct json *j) { close_(j, ']'); }

void
json_key(struct json *j, const char *key)
{
	before_value(j, 0);
	if (!j->failed && json_escape(j->out, key) == -1)
		j->failed = 1;
	put(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
	j->first[j->depth] = 2;
}

void
json_string(struct json *j, const char *s)
{
	if (s == NULL) {
		json_null(j);
		return;
	}
	before_value(j, after_key_pending(j));
	if (!j->failed && json_escape(j->out, s) == -1)
		j->failed = 1;
}

void
json_int(struct json *j, int64_t v)
{
	before_value(j, after_key_pending(j));
	if (!j->failed && buf_printf(j->out, "%" PRId64, v) == -1)
		j->failed = 1;
}

void
json_null(struct json *j)
{
	before_value(j, after_key_pending(j));
	put(j, "null", 4);
}

void
json_bool(struct json *j, int v)
{
	before_value(j, after_key_pending(j));
	if (v)
		put(j, "true", 4);
	else
		put(j, "false", 5);
}

void
json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void
json_kv_int(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}

int
json_finish(struct json *j)
{
	if (j->pretty)
		put(j, "\n", 1);
	return j->failed || j->depth != 0 ? -1 : 0;
}

int
json_escape(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run;

	if (buf_addc(b, '"') == -1)
		return -1;
	while (*p != '\0') {
		for (run = 0; p[run] >= 0x20 && p[run] != '"' && p[run] != '\\' &&
		    p[run] != '<' && p[run] != '>' && p[run] != '&'; run++)
			;
		if (run > 0 && buf_add(b, p, run) == -1)
			return -1;
		p += run;
		if (*p == '\0')
			break;
		switch (*p) {
		case '"': if (buf_adds(b, "\\\"") == -1) return -1; break;
		case '\\': if (buf_adds(b, "\\\\") == -1) return -1; break;
		case '\n': if (buf_adds(b, "\\n") == -1) return -1; break;
		case '\t': if (buf_adds(b, "\\t") == -1) return -1; break;
		default:
			/* Control characters, and <>& so that JSON is safe to
			 * embed in HTML too. */
			if (buf_printf(b, "\\u%04x", *p) == -1)
				return -1;
			break;
		}
		p++;
	}
	return buf_addc(b, '"');
}
