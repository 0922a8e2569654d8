/* test_fields.c — dates, periods, bank numbers and text decoding. */
#include "date.h"
#include "nrb.h"
#include "tap.h"
#include "text.h"

static const char *
date(const char *s)
{
	static char out[DATE_ISO_LEN + 1];

	return date_parse_pl(out, s, strlen(s)) == 0 ? out : "bad";
}

static const char *
period(const char *s)
{
	static char out[PERIOD_ISO_LEN + 1];

	return period_parse_pl(out, s, strlen(s)) == 0 ? out : "bad";
}

static const char *
nrb(const char *s)
{
	static char out[NRB_DIGITS + 1];
	const char *problem;

	return nrb_parse(out, s, strlen(s), &problem) == 0 ? out : problem;
}

static const char *
decode(const char *s, enum text_encoding enc)
{
	static struct buf b;
	const char *problem;
	unsigned bad;

	buf_reset(&b);
	if (text_decode(&b, s, strlen(s), enc, &problem, &bad) == -1)
		return problem;
	return b.data ? b.data : "";
}

int
main(void)
{
	char pretty[33];

	tap_plan(24);
	is_str(date("28.12.2021"), "2021-12-28", "date to ISO");
	is_str(date("29.02.2024"), "2024-02-29", "leap day");
	is_str(date("29.02.2023"), "bad", "no leap day in 2023");
	is_str(date("29.02.1900"), "bad", "1900 was not a leap year");
	is_str(date("31.02.2021"), "bad", "31 February");
	is_str(date("00.00.0000"), "bad", "zero date");
	is_str(date("31.04.2021"), "bad", "31 April");
	is_str(date("1.12.2021"), "bad", "one-digit day");
	is_str(date("2021-12-28"), "bad", "ISO input refused");
	is_str(period("12.2021"), "2021-12", "period to ISO");
	is_str(period("13.2021"), "bad", "month 13");
	is_str(period("00.2021"), "bad", "month 0");
	is_str(nrb("61 1090 1014 0000 0712 1981 2874"), "61109010140000071219812874", "NRB with spaces");
	is_str(nrb("PL61109010140000071219812874"), "61109010140000071219812874", "NRB with PL");
	is_str(nrb("62109010140000071219812874"), "bad check digits", "wrong check digits");
	is_str(nrb("6110901014000007121981287"), "not 26 digits", "25 digits");
	nrb_format(pretty, "61109010140000071219812874");
	is_str(pretty, "61 1090 1014 0000 0712 1981 2874", "NRB printed in groups");
	is_str(decode("  Ko\xB3\xB9taj \xA3\xF3\x64\x9F  ", TEXT_CP1250),
	    "Ko\xC5\x82\xC4\x85taj \xC5\x81\xC3\xB3" "d\xC5\xBA", "cp1250 decoded and trimmed");
	is_str(decode("a\x98z", TEXT_CP1250), "invalid Windows-1250 byte", "0x98 undefined in cp1250");
	is_str(decode("line\r\nnext", TEXT_CP1250), "line\nnext", "CRLF inside a field becomes LF");
	is_str(decode("bad\x01", TEXT_CP1250), "control character", "control character refused");
	is_str(decode("\xC5\x82\xC3\xB3", TEXT_UTF8), "\xC5\x82\xC3\xB3", "valid UTF-8 kept");
	is_str(decode("\xC0\xAF", TEXT_UTF8), "invalid UTF-8", "overlong UTF-8 refused");
	is_str(decode("\xED\xA0\x80", TEXT_UTF8), "invalid UTF-8", "surrogate refused");
	return tap_done();
}
