/*
 * test_buf.c — the buffer's invariant: once storage exists, data[len] is
 * '\0' (buf.h).  Regression: buf_grow on an empty buffer allocated
 * without terminating, so text_decode of a blank field ("   ") left
 * field.s pointing at unterminated memory; found by tests/fuzz/fuzz_text.
 */
#include <stdlib.h>

#include "buf.h"
#include "tap.h"
#include "text.h"

int
main(void)
{
	struct buf b = BUF_INIT;
	const char *problem;
	unsigned bad;

	void *(*volatile alloc)(size_t) = malloc; /* not elided by the compiler */
	char *dirty;

	tap_plan(7);
	/* Leave a dirty chunk of the size buf_grow asks for first, so that
	 * malloc is likely to hand it back (ASan fills new memory anyway). */
	dirty = alloc(64);
	if (dirty != NULL)
		memset(dirty, 'x', 64);
	free(dirty);
	ok(buf_grow(&b, 0) == 0 && b.data != NULL, "buf_grow(0) on an empty buffer allocates");
	ok(b.data != NULL && b.data[0] == '\0', "... and the storage is terminated");
	ok(buf_grow(&b, 1000) == 0 && b.data != NULL && b.data[b.len] == '\0',
	    "growing keeps the terminator");
	buf_free(&b);

	ok(text_decode(&b, "   \t ", 5, TEXT_CP1250, &problem, &bad) == 0, "blank text decodes");
	is_int(b.len, 0, "... to nothing");
	is_str(b.data, "", "... as an empty NUL-terminated string");
	buf_free(&b);

	ok(buf_adds(&b, "abc") == 0 && strcmp(b.data, "abc") == 0, "buf_adds terminates");
	buf_free(&b);
	return tap_done();
}
