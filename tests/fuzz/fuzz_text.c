/*
 * fuzz_text.c — lib/text.c directly: text_decode in both encodings,
 * utf8_valid_prefix and text_quote_for_error.
 *
 * Properties: decoded text is valid UTF-8, holds no NUL and no control
 * character but tab and LF, has no CR and no surrounding white space, and
 * decoding is idempotent on UTF-8; a quoted value is valid UTF-8 without
 * control characters whatever the input; the valid UTF-8 prefix is a
 * prefix (re-checking it finds all of it valid).
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "text.h"

static void
check_decoded(const struct buf *b)
{
	size_t i;

	FUZZ_CHECK(utf8_valid_prefix(b->data, b->len) == b->len);
	FUZZ_CHECK(strlen(b->data) == b->len);
	for (i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];

		FUZZ_CHECK(c >= 0x20 || c == '\t' || c == '\n');
		FUZZ_CHECK(c != 0x7F);
	}
	if (b->len > 0) {
		unsigned char first = (unsigned char)b->data[0], last = (unsigned char)b->data[b->len - 1];

		FUZZ_CHECK(first != ' ' && first != '\t' && first != '\n');
		FUZZ_CHECK(last != ' ' && last != '\t' && last != '\n');
	}
}

static void
check_quoted(const char *s, size_t n, size_t max)
{
	struct buf q = BUF_INIT;
	size_t i;

	FUZZ_CHECK(text_quote_for_error(&q, s, n, max) == 0);
	if (q.len > 0) {
		FUZZ_CHECK(utf8_valid_prefix(q.data, q.len) == q.len);
		for (i = 0; i < q.len; i++)
			FUZZ_CHECK((unsigned char)q.data[i] >= 0x20 && q.data[i] != 0x7F);
		/* At most 4 bytes ("\xNN") per input byte kept, plus "...". */
		FUZZ_CHECK(q.len <= 4 * max + 3);
	}
	buf_free(&q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *problem = NULL;
	struct buf b = BUF_INIT, again = BUF_INIT;
	unsigned bad = 0;
	size_t valid;
	int enc;

	valid = utf8_valid_prefix(s, size);
	FUZZ_CHECK(valid <= size);
	FUZZ_CHECK(utf8_valid_prefix(s, valid) == valid);
	for (enc = TEXT_CP1250; enc <= TEXT_UTF8; enc++) {
		buf_reset(&b);
		if (text_decode(&b, s, size, (enum text_encoding)enc, &problem, &bad) == 0) {
			check_decoded(&b);
			/* Decoding its own output as UTF-8 changes nothing. */
			buf_reset(&again);
			FUZZ_CHECK(text_decode(&again, b.data ? b.data : "", b.len, TEXT_UTF8,
			    &problem, &bad) == 0);
			FUZZ_CHECK(again.len == b.len);
			if (b.len > 0)
				FUZZ_CHECK(again.data != NULL && b.data != NULL &&
				    memcmp(again.data, b.data, b.len) == 0);
		} else {
			FUZZ_CHECK(problem != NULL && bad <= 0xFF);
		}
	}
	check_quoted(s, size, 80);
	check_quoted(s, size, size > 0 ? (size_t)data[0] % 16 : 0);
	buf_free(&b);
	buf_free(&again);
	return 0;
}
