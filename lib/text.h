/*
 * text.h — turning the export's bytes into trusted UTF-8 text.
 *
 * Every text field from the export passes through text_decode(): it
 * decodes Windows-1250 (or checks UTF-8), refuses bytes that are not
 * valid in the encoding and control characters other than tab and line
 * breaks, turns CRLF and lone CR into LF, and trims surrounding white
 * space.  Whatever comes out is valid UTF-8 without NUL bytes.
 */
#ifndef CZYNSZE_TEXT_H
#define CZYNSZE_TEXT_H

#include <stddef.h>

#include "buf.h"

enum text_encoding {
	TEXT_CP1250,
	TEXT_UTF8,
};

/*
 * Appends the decoded, trimmed text of s[0..n) to b.  Returns 0, or -1
 * with *problem set ("invalid Windows-1250 byte", "invalid UTF-8",
 * "control character", "NUL byte", "out of memory") and *bad the
 * offending byte; b then holds an unspecified prefix.
 */
int text_decode(struct buf *b, const char *s, size_t n, enum text_encoding enc,
    const char **problem, unsigned *bad);

/*
 * Converts Windows-1250 s[0..n) to UTF-8, appended to b as is: nothing
 * trimmed, no line ends changed, control characters kept (for a parser
 * that checks them itself).  Returns 0 with *done = n, or 1 with *done the
 * offset of the first byte that is not Windows-1250 (b then holds the
 * conversion of s[0..*done)), or -1 when out of memory.
 */
int text_cp1250_to_utf8(struct buf *b, const char *s, size_t n, size_t *done);

/* Checks that s[0..n) is valid UTF-8 (no overlongs, no surrogates).
 * Returns the length of the valid prefix: n when all is valid. */
size_t utf8_valid_prefix(const char *s, size_t n);

/* Appends s[0..n) to b, printable for an error message: at most max
 * bytes of s (cut before a character, never inside one, then "..."),
 * control characters (C0, DEL, C1) and bytes that are not valid UTF-8 as
 * \xNN.  The result is one line of valid UTF-8.  Returns 0 or -1 (no
 * memory). */
int text_quote_for_error(struct buf *b, const char *s, size_t n, size_t max);

/* Folds runs of white space (space, tab, CR, LF) to one space and trims
 * both ends, in place.  Can't fail. */
void text_fold_space(struct buf *b);

#endif
