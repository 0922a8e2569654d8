/*
 * test_quote.c — text_quote_for_error(): what error messages show of a
 * bad value is one line of valid UTF-8 whatever the value holds.
 * Regressions found by tests/fuzz/fuzz_text: the cut at max bytes split a
 * multi-byte character (invalid UTF-8 in the message), and C1 control
 * characters (U+0080..U+009F, e.g. U+009B CSI) passed through.
 */
#include "tap.h"
#include "text.h"

static const char *
quote(const char *s, size_t max)
{
	static struct buf b;

	buf_reset(&b);
	if (text_quote_for_error(&b, s, strlen(s), max) == -1)
		return "(no memory)";
	return b.data != NULL ? b.data : "";
}

int
main(void)
{
	tap_plan(7);
	is_str(quote("abc", 80), "abc", "short text as is");
	is_str(quote("abcdef", 3), "abc...", "cut at max bytes");
	/* "zażółć": z a \xC5\xBC \xC3\xB3 ... ; max 3 falls inside ż */
	is_str(quote("za\xC5\xBC\xC3\xB3", 3), "za...", "the cut never splits a character");
	is_str(quote("za\xC5\xBC\xC3\xB3", 4), "za\xC5\xBC...", "... and keeps whole ones");
	is_str(quote("a\x1B[2Jb", 80), "a\\x1B[2Jb", "C0 control escaped");
	is_str(quote("a\xC2\x9B" "2Jb", 80), "a\\xC2\\x9B2Jb", "C1 control (CSI) escaped");
	is_str(quote("\xC5\x28", 80), "\\xC5(", "invalid UTF-8 escaped");
	return tap_done();
}
