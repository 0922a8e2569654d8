/*
 * fuzz_decimal.c — lib/decimal.c directly, plus the other scalar parsers
 * of export fields (lib/date.c, lib/nrb.c).
 *
 * The first byte chooses scale (0..6) and rule; the rest is the text.
 * Properties: a parsed value survives decimal_format and money_format_pl
 * and parses back to itself (round trip); money_add agrees with 128-bit
 * arithmetic; a parsed date/period is well formed ISO text and converts
 * back to the input; a parsed NRB has 26 digits and passes again.
 */
#include <stdint.h>
#include <string.h>

#include "date.h"
#include "decimal.h"
#include "fuzz_util.h"
#include "nrb.h"

/* decimal_format's "123.4500" as the export writes it: "123,4500". */
static void
check_round_trip(int64_t v, int scale)
{
	struct buf b = BUF_INIT;
	const char *problem;
	int64_t back = 0;
	char *dot;

	FUZZ_CHECK(decimal_format(&b, v, scale, scale) == 0);
	dot = strchr(b.data, '.');
	if (dot != NULL)
		*dot = ',';
	FUZZ_CHECK(decimal_parse(&back, b.data, b.len, scale, DECIMAL_EXACT, &problem) == 0);
	FUZZ_CHECK(back == v);
	buf_free(&b);
	if (scale == 2 && v >= 0) {
		FUZZ_CHECK(money_format_pl(&b, v, 0) == 0);
		FUZZ_CHECK(money_parse(&back, b.data, b.len, &problem) == 0);
		FUZZ_CHECK(back == v);
		buf_free(&b);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char date[DATE_ISO_LEN + 1], back[DATE_ISO_LEN + 1], period[PERIOD_ISO_LEN + 1];
	char nrb[NRB_DIGITS + 1], nrb2[NRB_DIGITS + 1], spaced[33], ts[32];
	const char *s, *problem = NULL;
	int64_t v = 0x5A5A, acc;
	int scale;
	enum decimal_rule rule;
	size_t n;

	if (size == 0)
		return 0;
	scale = data[0] % 7;
	rule = (data[0] & 0x80) ? DECIMAL_EXACT : DECIMAL_UP_TO;
	s = (const char *)data + 1;
	n = size - 1;

	if (decimal_parse(&v, s, n, scale, rule, &problem) == 0)
		check_round_trip(v, scale);
	else
		FUZZ_CHECK(problem != NULL && v == 0x5A5A); /* *out unchanged on error */
	if (money_parse(&v, s, n, &problem) == 0) {
		check_round_trip(v, 2);
		acc = v;
		if (money_add(&acc, v) == 0)
			FUZZ_CHECK((__int128)acc == (__int128)v * 2);
		else
			FUZZ_CHECK((__int128)v * 2 > INT64_MAX || (__int128)v * 2 < INT64_MIN);
	}

	if (date_parse_pl(date, s, n) == 0) {
		FUZZ_CHECK(strlen(date) == DATE_ISO_LEN && date[4] == '-' && date[7] == '-');
		date_iso_to_pl(back, date);
		FUZZ_CHECK(n == DATE_ISO_LEN && memcmp(back, s, n) == 0);
	}
	if (period_parse_pl(period, s, n) == 0)
		FUZZ_CHECK(strlen(period) == PERIOD_ISO_LEN && period[4] == '-');
	if (n < sizeof ts) {
		memcpy(ts, s, n);
		ts[n] = '\0';
		if (timestamp_check_iso(ts) == 0)
			FUZZ_CHECK(timestamp_to_epoch(ts) >= -2208988800LL); /* 1900-01-01 */
	}
	if (nrb_parse(nrb, s, n, &problem) == 0) {
		FUZZ_CHECK(strlen(nrb) == NRB_DIGITS);
		nrb_format(spaced, nrb);
		FUZZ_CHECK(nrb_parse(nrb2, spaced, strlen(spaced), &problem) == 0);
		FUZZ_CHECK(strcmp(nrb, nrb2) == 0);
	}
	return 0;
}
