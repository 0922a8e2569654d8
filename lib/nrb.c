#include "nrb.h"

int
nrb_parse(char out[NRB_DIGITS + 1], const char *s, size_t n, const char **problem)
{
	size_t i = 0, len = 0;
	unsigned rem = 0;
	const char *tail = "2521"; /* "PL" as ISO 13616 digits: P=25, L=21 */

	while (i < n && s[i] == ' ')
		i++;
	if (i + 1 < n && (s[i] == 'P' || s[i] == 'p') && (s[i + 1] == 'L' || s[i + 1] == 'l'))
		i += 2;
	for (; i < n; i++) {
		if (s[i] == ' ')
			continue;
		if (s[i] < '0' || s[i] > '9' || len == NRB_DIGITS) {
			*problem = "not 26 digits";
			return -1;
		}
		out[len++] = s[i];
	}
	if (len != NRB_DIGITS) {
		*problem = "not 26 digits";
		return -1;
	}
	out[len] = '\0';
	/* BBAN first, then country code and check digits. */
	for (i = 2; i < NRB_DIGITS; i++)
		rem = (rem * 10 + (unsigned)(out[i] - '0')) % 97;
	for (i = 0; tail[i] != '\0'; i++)
		rem = (rem * 10 + (unsigned)(tail[i] - '0')) % 97;
	for (i = 0; i < 2; i++)
		rem = (rem * 10 + (unsigned)(out[i] - '0')) % 97;
	if (rem != 1) {
		*problem = "bad check digits";
		return -1;
	}
	return 0;
}

void
nrb_format(char out[33], const char *d)
{
	size_t i, o = 0;

	for (i = 0; i < NRB_DIGITS; i++) {
		if (i == 2 || (i > 2 && (i - 2) % 4 == 0))
			out[o++] = ' ';
		out[o++] = d[i];
	}
	out[o] = '\0';
}
