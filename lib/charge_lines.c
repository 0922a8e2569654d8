/* charge_lines.c — see charge_lines.h. */
#include "charge_lines.h"

#include <stddef.h>

void
charge_lines_begin(struct charge_lines *it, const char *text)
{
	it->p = text;
	it->started = 0;
	it->done = 0;
}

/* Reads an integer at *p, then the separator sep; -1 on anything else or
 * when the value does not fit int64_t. */
static int
read_int(const char **p, int64_t *out, char sep)
{
	const char *s = *p;
	int neg = 0;
	uint64_t v = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (v > ((uint64_t)INT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (*s != sep)
		return -1;
	*out = neg ? -(int64_t)v : (int64_t)v;
	*p = s + 1;
	return 0;
}

int
charge_lines_next(struct charge_lines *it, struct charge_line *out)
{
	const char *p = it->p;

	if (p == NULL)
		return -1;
	if (it->done)
		return 0;
	if (!it->started) {
		if (*p++ != '[')
			goto bad;
		it->started = 1;
		if (*p == ']') {
			if (p[1] != '\0')
				goto bad;
			it->done = 1;
			it->p = p + 1;
			return 0;
		}
	} else if (*p == ']' && p[1] == '\0') {
		it->done = 1;
		return 0;
	} else if (*p++ != ',') {
		goto bad;
	}
	if (*p++ != '[' || read_int(&p, &out->kind, ',') == -1 ||
	    read_int(&p, &out->quantity_e4, ',') == -1 || read_int(&p, &out->rate_e4, ',') == -1 ||
	    read_int(&p, &out->amount_gr, ']') == -1 || out->kind < 1)
		goto bad;
	if (*p != ',' && !(*p == ']' && p[1] == '\0'))
		goto bad;
	it->p = p;
	return 1;
bad:
	it->p = NULL;
	return -1;
}
