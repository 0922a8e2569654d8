/*
 * test_buf.c — the buffer's invariant: once storage exists, data[len] is
 * '\0' (buf.h).  Regression: buf_grow on an empty buffer allocated
 * without terminating, so text_decode of a blank field ("   ") left
 * field.s pointing at unterminated memory; found by tests/fuzz/fuzz_text.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "buf.h"
#include "tap.h"
#include "text.h"

/* A request too large for memory must fail, not abort the test under
 * ASan (whose default is to report it and exit). */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

/* buf.h: a function that fails leaves the buffer unchanged. */
static void
unchanged_on_failure(void)
{
	struct buf b = BUF_INIT;
	char *data;
	size_t cap;

	ok(buf_adds(&b, "abc") == 0, "a buffer holding abc");
	data = b.data;
	cap = b.cap;
	errno = 0;
	ok(buf_add(&b, "x", SIZE_MAX - 2) == -1 && errno == EOVERFLOW,
	    "a length that overflows fails with EOVERFLOW");
	ok(b.data == data && b.cap == cap && b.len == 3 && strcmp(b.data, "abc") == 0,
	    "... and leaves the buffer unchanged");
#if defined(__SANITIZE_ADDRESS__)
	/* ASan logs every failed allocation as a report, which fails the
	 * sanitizer pass (tests/run.sh); the normal build runs these two. */
	tap_skip("a petabyte cannot be allocated", "ASan reports a failed allocation");
	tap_skip("... and leaves the buffer unchanged", "ASan reports a failed allocation");
#else
	ok(buf_grow(&b, (size_t)1 << 50) == -1, "a petabyte cannot be allocated");
	ok(b.data == data && b.cap == cap && b.len == 3 && strcmp(b.data, "abc") == 0,
	    "... and leaves the buffer unchanged");
#endif
	buf_free(&b);
}

int
main(void)
{
	struct buf b = BUF_INIT;
	const char *problem;
	unsigned bad;

	void *(*volatile alloc)(size_t) = malloc; /* not elided by the compiler */
	char *dirty;

	tap_plan(12);
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
	unchanged_on_failure();
	return tap_done();
}
