/* test_decimal.c — money and exact decimals, parsed and formatted. */
#include <stdlib.h>

#include "decimal.h"
#include "tap.h"

static int64_t
parse(const char *s, int scale, enum decimal_rule rule, const char **problem)
{
	int64_t v = -777;

	*problem = NULL;
	if (decimal_parse(&v, s, strlen(s), scale, rule, problem) == -1)
		return -777;
	return v;
}

static const char *
fmt(int64_t v, int scale, int min)
{
	static struct buf b;

	buf_reset(&b);
	if (decimal_format(&b, v, scale, min) == -1)
		return NULL;
	return b.data;
}

static const char *
pl(int64_t gr)
{
	static struct buf b;

	buf_reset(&b);
	if (money_format_pl(&b, gr, 1) == -1)
		return NULL;
	return b.data;
}

int
main(void)
{
	const char *p;

	tap_plan(31);
	is_int(parse("1234,56", 2, DECIMAL_EXACT, &p), 123456, "plain amount");
	is_int(parse("1 234,56", 2, DECIMAL_EXACT, &p), 123456, "space as thousands separator");
	is_int(parse("1\xC2\xA0" "234\xC2\xA0" "567,89", 2, DECIMAL_EXACT, &p), 123456789,
	    "no-break spaces as separators");
	is_int(parse("-12,00", 2, DECIMAL_EXACT, &p), -1200, "negative amount");
	is_int(parse("", 2, DECIMAL_EXACT, &p), 0, "empty amount is zero");
	is_int(parse("0,01", 2, DECIMAL_EXACT, &p), 1, "one grosz");
	is_int(parse("12.50", 2, DECIMAL_EXACT, &p), -777, "a dot is not a decimal comma");
	is_str(p, "not an amount", "... and says so");
	is_int(parse("12,345", 2, DECIMAL_EXACT, &p), -777, "three decimals refused");
	is_str(p, "too many decimals", "... and says so");
	is_int(parse("12,5", 2, DECIMAL_EXACT, &p), -777, "one decimal refused for money");
	is_int(parse("12", 2, DECIMAL_EXACT, &p), -777, "no decimals refused for money");
	is_int(parse("92233720368547758,07", 2, DECIMAL_EXACT, &p), INT64_MAX, "largest amount fits");
	is_int(parse("92233720368547758,08", 2, DECIMAL_EXACT, &p), -777, "one grosz more overflows");
	is_str(p, "out of range", "... and says so");
	is_int(parse("12 34,00", 2, DECIMAL_EXACT, &p), -777, "separator must split groups of three");
	is_int(parse("1 2345,00", 2, DECIMAL_EXACT, &p), -777, "last group must be three digits");
	is_int(parse("--1,00", 2, DECIMAL_EXACT, &p), -777, "double minus refused");
	is_int(parse(",50", 2, DECIMAL_EXACT, &p), -777, "no integer digits refused");
	is_int(parse("3", 4, DECIMAL_UP_TO, &p), 30000, "quantity without decimals");
	is_int(parse("0,0512", 4, DECIMAL_UP_TO, &p), 512, "rate with four decimals");
	is_int(parse("0,05125", 4, DECIMAL_UP_TO, &p), -777, "five decimals refused");
	is_str(fmt(483000, 4, 2), "48.30", "quantity keeps two decimals");
	is_str(fmt(30000, 4, 2), "3.00", "whole quantity gets two decimals");
	is_str(fmt(121250, 4, 2), "12.125", "three decimals when needed");
	is_str(fmt(19500, 4, 4), "1.9500", "rate always four decimals");
	is_str(fmt(-512, 4, 2), "-0.0512", "negative fraction");
	is_str(pl(123456), "1\xC2\xA0" "234,56\xC2\xA0z\xC5\x82", "Polish money with no-break spaces");
	is_str(pl(-1200), "\xE2\x88\x92" "12,00\xC2\xA0z\xC5\x82", "negative with a minus sign");
	is_str(pl(0), "0,00\xC2\xA0z\xC5\x82", "zero");
	is_str(pl(100000000), "1\xC2\xA0" "000\xC2\xA0" "000,00\xC2\xA0z\xC5\x82", "a million");
	return tap_done();
}
