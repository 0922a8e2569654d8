#include "date.h"

#include <stdio.h>
#include <string.h>

static int
digits(const char *s, size_t n, int *out)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
date_days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

static int
ymd_valid(int y, int m, int d)
{
	return y >= 1900 && y <= 2999 && d >= 1 && d <= date_days_in_month(y, m);
}

int
date_parse_pl(char out[DATE_ISO_LEN + 1], const char *s, size_t n)
{
	int d, m, y;

	if (n != 10 || s[2] != '.' || s[5] != '.')
		return -1;
	if (digits(s, 2, &d) || digits(s + 3, 2, &m) || digits(s + 6, 4, &y))
		return -1;
	if (!ymd_valid(y, m, d))
		return -1;
	memcpy(out, s + 6, 4);
	out[4] = '-';
	memcpy(out + 5, s + 3, 2);
	out[7] = '-';
	memcpy(out + 8, s, 2);
	out[10] = '\0';
	return 0;
}

int
period_parse_pl(char out[PERIOD_ISO_LEN + 1], const char *s, size_t n)
{
	int m, y;

	if (n != 7 || s[2] != '.')
		return -1;
	if (digits(s, 2, &m) || digits(s + 3, 4, &y))
		return -1;
	if (m < 1 || m > 12 || y < 1900 || y > 2999)
		return -1;
	memcpy(out, s + 3, 4);
	out[4] = '-';
	memcpy(out + 5, s, 2);
	out[7] = '\0';
	return 0;
}

int
timestamp_check_iso(const char *s)
{
	int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;

	if (strlen(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
	    digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
		return -1;
	if (!ymd_valid(y, mo, d) || h > 23 || mi > 59 || se > 59)
		return -1;
	return 0;
}

void
date_iso_to_pl(char out[DATE_ISO_LEN + 1], const char *iso)
{
	memcpy(out, iso + 8, 2);
	out[2] = '.';
	memcpy(out + 3, iso + 5, 2);
	out[5] = '.';
	memcpy(out + 6, iso, 4);
	out[10] = '\0';
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), after H. Hinnant's
 * civil-date algorithm. */
static long long
days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

long long
timestamp_to_epoch(const char *iso)
{
	int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;

	(void)digits(iso, 4, &y);
	(void)digits(iso + 5, 2, &mo);
	(void)digits(iso + 8, 2, &d);
	(void)digits(iso + 11, 2, &h);
	(void)digits(iso + 14, 2, &mi);
	(void)digits(iso + 17, 2, &se);
	return days_from_civil(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL + se;
}
