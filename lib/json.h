/*
 * json.h — writing JSON into a buf, with correct string escaping.
 *
 * The writer tracks commas itself: call json_key() then a value inside
 * objects, values alone inside arrays.  Errors (out of memory, nesting
 * deeper than JSON_DEPTH_MAX) are sticky: check json_finish() once.
 */
#ifndef CZYNSZE_JSON_H
#define CZYNSZE_JSON_H

#include <stdint.h>

#include "buf.h"

#define JSON_DEPTH_MAX 16

struct json {
	struct buf *out;
	int depth;
	int failed;
	int pretty;
	unsigned char first[JSON_DEPTH_MAX];  /* no member written yet */
};

void json_init(struct json *j, struct buf *out, int pretty);
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);      /* NULL writes null */
void json_int(struct json *j, int64_t v);
void json_null(struct json *j);
void json_bool(struct json *j, int v);                /* 0 false, else true */
/* Convenience: key + value. */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_int(struct json *j, const char *key, int64_t v);
/* 0, or -1 when anything failed. */
int json_finish(struct json *j);

/* Appends s as a JSON string literal (quotes included). */
int json_escape(struct buf *b, const char *s);

#endif
