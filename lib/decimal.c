#include "decimal.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const int64_t pow10_table[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };

/* Is s[i..] a thousands separator?  Returns its length or 0. */
static size_t
separator_at(const char *s, size_t n, size_t i)
{
	if (s[i] == ' ')
		return 1;
	if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0)
		return 2;
	return 0;
}

int
decimal_parse(int64_t *out, const char *s, size_t n, int scale,
    enum decimal_rule rule, const char **problem)
{
	int64_t v = 0;
	size_t i = 0, sep, group = 0, groups = 0, digits = 0;
	int negative = 0, decimals = 0, grouped = 0;

	assert(scale >= 0 && scale <= 6);
	if (n == 0) {
		*out = 0;
		return 0;
	}
	if (s[0] == '-') {
		negative = 1;
		i++;
	}
	/* Integer part, with optional separators between groups of three. */
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			/* 18 digits always fit: check only beyond */
			if (digits >= 18 && v > (INT64_MAX - (s[i] - '0')) / 10)
				goto range;
			v = v * 10 + (s[i] - '0');
			group++;
			digits++;
			continue;
		}
		sep = separator_at(s, n, i);
		if (sep == 0)
			break;
		/* First group 1..3 digits, later groups exactly 3. */
		if (group == 0 || group > 3 || (groups > 0 && group != 3))
			goto syntax;
		grouped = 1;
		groups++;
		group = 0;
		i += sep - 1;
	}
	if (digits == 0 || (grouped && group != 3))
		goto syntax;
	if (i < n) {
		if (s[i] != ',')
			goto syntax;
		for (i++; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				goto syntax;
			if (decimals == scale) {
				*problem = "too many decimals";
				return -1;
			}
			if (digits + (size_t)decimals >= 18 &&
			    v > (INT64_MAX - (s[i] - '0')) / 10)
				goto range;
			v = v * 10 + (s[i] - '0');
			decimals++;
		}
		if (decimals == 0)
			goto syntax;
	}
	if (rule == DECIMAL_EXACT && decimals != scale) {
		*problem = decimals < scale ? "not an amount with two decimals" : "too many decimals";
		return -1;
	}
	if (v > INT64_MAX / pow10_table[scale - decimals])
		goto range;
	v *= pow10_table[scale - decimals];
	*out = negative ? -v : v;
	return 0;
syntax:
	*problem = rule == DECIMAL_EXACT ? "not an amount" : "not a number";
	return -1;
range:
	*problem = "out of range";
	return -1;
}

int
money_parse(int64_t *out, const char *s, size_t n, const char **problem)
{
	return decimal_parse(out, s, n, 2, DECIMAL_EXACT, problem);
}

/* Writes the decimal digits of v right-aligned to end (no terminator);
 * returns the first one. */
static char *
digits_of(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

int
decimal_format(struct buf *b, int64_t v, int scale, int min_decimals)
{
	char frac[8], text[32], *p, *end = text + sizeof text;
	uint64_t mag, ip, fp;
	int d, keep;

	assert(scale >= 0 && scale <= 6 && min_decimals >= 0 && min_decimals <= scale);
	mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	ip = mag / (uint64_t)pow10_table[scale];
	fp = mag % (uint64_t)pow10_table[scale];
	for (d = scale - 1; d >= 0; d--) {
		frac[d] = (char)('0' + fp % 10);
		fp /= 10;
	}
	keep = scale;
	while (keep > min_decimals && frac[keep - 1] == '0')
		keep--;
	/* the integer part, sign first, built right to left */
	p = digits_of(end, ip);
	if (v < 0)
		*--p = '-';
	if (buf_add_fast(b, p, (size_t)(end - p)) == -1)
		return -1;
	if (keep == 0)
		return 0;
	if (buf_addc_fast(b, '.') == -1)
		return -1;
	return buf_add_fast(b, frac, (size_t)keep);
}

/*
 * Appends grosze the Polish way; built right to left in a fixed array
 * (the longest, INT64_MIN with unit, is under 64 bytes).
 */
int
money_format_pl(struct buf *b, int64_t gr, int with_unit)
{
	static const char nbsp[] = "\xC2\xA0", minus[] = "\xE2\x88\x92", unit[] = "\xC2\xA0z\xC5\x82";
	char text[64], *end = text + sizeof text, *p = end;
	uint64_t mag = gr < 0 ? (uint64_t)0 - (uint64_t)gr : (uint64_t)gr;
	uint64_t zl = mag / 100;
	int group = 0;

	if (with_unit) {
		p -= sizeof unit - 1;
		memcpy(p, unit, sizeof unit - 1);
	}
	*--p = (char)('0' + mag % 10);
	*--p = (char)('0' + mag / 10 % 10);
	*--p = ',';
	do {
		if (group == 3) {
			p -= sizeof nbsp - 1;
			memcpy(p, nbsp, sizeof nbsp - 1);
			group = 0;
		}
		*--p = (char)('0' + zl % 10);
		zl /= 10;
		group++;
	} while (zl != 0);
	if (gr < 0) {
		p -= sizeof minus - 1;
		memcpy(p, minus, sizeof minus - 1);
	}
	return buf_add_fast(b, p, (size_t)(end - p));
}

int
money_add(int64_t *acc, int64_t v)
{
	int64_t r;

	if (__builtin_add_overflow(*acc, v, &r))
		return -1;
	*acc = r;
	return 0;
}
