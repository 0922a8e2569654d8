/*
 * decimal.h — exact decimal numbers as scaled 64-bit integers.
 *
 * Money is held in grosze (scale 2), quantities and rates in
 * ten-thousandths (scale 4), areas in hundredths of m² (scale 2).  Text is
 * parsed digit by digit with overflow checks; no floating point anywhere.
 *
 * Accepted text (the KSM export's rules): optional leading '-', digits
 * with an optional thousands separator between groups of three (a space or
 * a UTF-8 no-break space U+00A0), a decimal comma.  Empty text is 0.
 */
#ifndef CZYNSZE_DECIMAL_H
#define CZYNSZE_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum decimal_rule {
	DECIMAL_EXACT,   /* exactly `scale` decimals: money ("1234,56") */
	DECIMAL_UP_TO,   /* 0..scale decimals: quantities ("3", "48,30") */
};

/*
 * Parses s[0..n) into *out, scaled by 10^scale (scale <= 6).  On error
 * returns -1 and points *problem at a short static description ("not an
 * amount", "too many decimals", "out of range"); *out is unchanged.
 */
int decimal_parse(int64_t *out, const char *s, size_t n, int scale,
    enum decimal_rule rule, const char **problem);

/* Money in grosze: DECIMAL_EXACT with scale 2. */
int money_parse(int64_t *out, const char *s, size_t n, const char **problem);

/*
 * Appends v (scaled by 10^scale) with a decimal point, at least
 * min_decimals and at most scale decimals (trailing zeros beyond
 * min_decimals dropped): (30000, 4, 2) -> "3.00", (512, 4, 2) -> "0.0512".
 * Returns 0, or -1 when out of memory.
 */
int decimal_format(struct buf *b, int64_t v, int scale, int min_decimals);

/*
 * Appends grosze the Polish way: "1 234,56 zł" with U+00A0 as thousands
 * separator and before "zł", "-12,00 zł" with U+2212 minus when negative.
 * with_unit = 0 leaves out " zł".  Returns 0, or -1 when out of memory.
 */
int money_format_pl(struct buf *b, int64_t gr, int with_unit);

/* Adds with overflow check: 0, or -1 when the sum does not fit. */
int money_add(int64_t *acc, int64_t v);

#endif
