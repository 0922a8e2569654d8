#include "text.h"

#include <stdint.h>
#include <string.h>

/* Unicode code points of Windows-1250 bytes 0x80..0xFF; 0 = undefined. */
static const unsigned short cp1250_high[128] = {
	0x20AC, 0, 0x201A, 0, 0x201E, 0x2026, 0x2020, 0x2021,
	0, 0x2030, 0x0160, 0x2039, 0x015A, 0x0164, 0x017D, 0x0179,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0, 0x2122, 0x0161, 0x203A, 0x015B, 0x0165, 0x017E, 0x017A,
	0x00A0, 0x02C7, 0x02D8, 0x0141, 0x00A4, 0x0104, 0x00A6, 0x00A7,
	0x00A8, 0x00A9, 0x015E, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x017B,
	0x00B0, 0x00B1, 0x02DB, 0x0142, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
	0x00B8, 0x0105, 0x015F, 0x00BB, 0x013D, 0x02DD, 0x013E, 0x017C,
	0x0154, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x0139, 0x0106, 0x00C7,
	0x010C, 0x00C9, 0x0118, 0x00CB, 0x011A, 0x00CD, 0x00CE, 0x010E,
	0x0110, 0x0143, 0x0147, 0x00D3, 0x00D4, 0x0150, 0x00D6, 0x00D7,
	0x0158, 0x016E, 0x00DA, 0x0170, 0x00DC, 0x00DD, 0x0162, 0x00DF,
	0x0155, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x013A, 0x0107, 0x00E7,
	0x010D, 0x00E9, 0x0119, 0x00EB, 0x011B, 0x00ED, 0x00EE, 0x010F,
	0x0111, 0x0144, 0x0148, 0x00F3, 0x00F4, 0x0151, 0x00F6, 0x00F7,
	0x0159, 0x016F, 0x00FA, 0x0171, 0x00FC, 0x00FD, 0x0163, 0x02D9,
};

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t
utf8_valid_prefix(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len, k;
	unsigned cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xC2 && s[i] <= 0xDF) {
			len = 2; cp = s[i] & 0x1F; min = 0x80;
		} else if (s[i] >= 0xE0 && s[i] <= 0xEF) {
			len = 3; cp = s[i] & 0x0F; min = 0x800;
		} else if (s[i] >= 0xF0 && s[i] <= 0xF4) {
			len = 4; cp = s[i] & 0x07; min = 0x10000;
		} else {
			return i;
		}
		if (n - i < len)
			return i;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += len;
	}
	return n;
}

static int
add_code_point(struct buf *b, unsigned cp)
{
	char u[3];

	if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		return buf_add(b, u, 2);
	}
	u[0] = (char)(0xE0 | (cp >> 12));
	u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	u[2] = (char)(0x80 | (cp & 0x3F));
	return buf_add(b, u, 3);
}

int
text_decode(struct buf *b, const char *str, size_t n, enum text_encoding enc,
    const char **problem, unsigned *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, run;
	unsigned cp;

	while (n > 0 && is_space(s[n - 1]))
		n--;
	while (n > 0 && is_space(s[0])) {
		s++;
		n--;
	}
	if (enc == TEXT_UTF8 && utf8_valid_prefix((const char *)s, n) != n) {
		*bad = s[utf8_valid_prefix((const char *)s, n)];
		*problem = "invalid UTF-8";
		return -1;
	}
	if (buf_grow(b, n) == -1)
		goto nomem;
	for (i = 0; i < n;) {
		/* Copy runs of plain printable ASCII (or any UTF-8) at once. */
		for (run = i; run < n && s[run] >= 0x20 && s[run] != 0x7F &&
		    (s[run] < 0x80 || enc == TEXT_UTF8); run++)
			;
		if (run > i) {
			if (buf_add(b, s + i, run - i) == -1)
				goto nomem;
			i = run;
			continue;
		}
		if (s[i] == '\r') {
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
			if (buf_addc(b, '\n') == -1)
				goto nomem;
			i++;
			continue;
		}
		if (s[i] == '\n' || s[i] == '\t') {
			if (buf_addc(b, (char)s[i]) == -1)
				goto nomem;
			i++;
			continue;
		}
		if (s[i] < 0x20 || s[i] == 0x7F) {
			*bad = s[i];
			*problem = s[i] == 0 ? "NUL byte" : "control character";
			return -1;
		}
		/* s[i] >= 0x80 here: printable ASCII went with the run above,
		 * control characters just before. */
		/* cppcheck-suppress negativeIndex */
		cp = cp1250_high[s[i] - 0x80];
		if (cp == 0) {
			*bad = s[i];
			*problem = "invalid Windows-1250 byte";
			return -1;
		}
		if (add_code_point(b, cp) == -1)
			goto nomem;
		i++;
	}
	return 0;
nomem:
	*bad = 0;
	*problem = "out of memory";
	return -1;
}

int
text_cp1250_to_utf8(struct buf *b, const char *str, size_t n, size_t *done)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char *o;
	size_t i = 0;
	unsigned cp;
	uint64_t w;

	if (n > (SIZE_MAX - 1) / 3 || buf_grow(b, 3 * n) == -1)
		return -1;
	o = (unsigned char *)b->data + b->len;
	while (i < n) {
		/* Eight ASCII bytes at a time: the common case. */
		if (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ULL) == 0) {
				memcpy(o, &w, 8);
				o += 8;
				i += 8;
				continue;
			}
		}
		if (s[i] < 0x80) {
			*o++ = s[i++];
			continue;
		}
		cp = cp1250_high[s[i] - 0x80];
		if (cp == 0)
			break;
		if (cp < 0x800) {
			*o++ = (unsigned char)(0xC0 | (cp >> 6));
			*o++ = (unsigned char)(0x80 | (cp & 0x3F));
		} else {
			*o++ = (unsigned char)(0xE0 | (cp >> 12));
			*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
			*o++ = (unsigned char)(0x80 | (cp & 0x3F));
		}
		i++;
	}
	b->len = (size_t)(o - (unsigned char *)b->data);
	b->data[b->len] = '\0';
	*done = i;
	return i == n ? 0 : 1;
}

int
text_quote_for_error(struct buf *b, const char *s, size_t n, size_t max)
{
	size_t i, valid = utf8_valid_prefix(s, n);
	int cut = 0;

	if (n > max) {
		n = max;
		cut = 1;
		/* Never cut a character of the valid prefix in two. */
		while (n > 0 && n < valid && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int r;

		if (c == 0xC2 && i + 1 < n && i < valid && (unsigned char)s[i + 1] < 0xA0) {
			/* A C1 control character (U+0080..U+009F): escaped too. */
			r = buf_printf(b, "\\x%02X\\x%02X", c, (unsigned char)s[i + 1]);
			i++;
		} else if (c >= 0x20 && c != 0x7F && (c < 0x80 || i < valid)) {
			r = buf_addc(b, (char)c);
		} else {
			r = buf_printf(b, "\\x%02X", c);
		}
		if (r == -1)
			return -1;
	}
	return cut ? buf_adds(b, "...") : 0;
}

void
text_fold_space(struct buf *b)
{
	size_t i, o = 0;
	int space = 0;

	for (i = 0; i < b->len; i++) {
		char ch = b->data[i];

		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			space = o > 0;
			continue;
		}
		if (space)
			b->data[o++] = ' ';
		space = 0;
		b->data[o++] = ch;
	}
	b->len = o;
	if (b->data != NULL)
		b->data[o] = '\0';
}
