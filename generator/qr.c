#include "qr.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

#include "html.h"

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	if (s == NULL || strlen(s) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Appends at most max_chars UTF-8 characters of s, without '|' and
 * control characters, trimmed of spaces at both ends. */
static int
add_field(struct buf *b, const char *s, size_t max_chars)
{
	size_t chars = 0, start = b->len;
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p == ' ')
		p++;
	while (*p != '\0') {
		size_t len = 1;

		if (*p >= 0xF0)
			len = 4;
		else if (*p >= 0xE0)
			len = 3;
		else if (*p >= 0xC0)
			len = 2;
		if (*p == '|' || *p < 0x20 || *p == 0x7F) {
			p++;
			continue;
		}
		if (chars == max_chars)
			break;
		if (strnlen((const char *)p, len) < len)
			break;
		if (buf_add(b, p, len) == -1)
			return -1;
		chars++;
		p += len;
	}
	while (b->len > start && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	return 0;
}

int
qr_payment_payload(struct buf *out, const char *nip, const char *nrb26, int64_t amount_gr,
    const char *recipient, const char *title, struct err *e)
{
	if (!all_digits(nip, 10))
		return err_set(e, ERR_DATA, "qr: NIP is not 10 digits (%s)", nip ? nip : "");
	if (!all_digits(nrb26, 26))
		return err_set(e, ERR_DATA, "qr: account is not 26 digits");
	if (amount_gr < 1 || amount_gr > QR_AMOUNT_GR_MAX)
		return err_set(e, ERR_DATA, "qr: amount out of range");
	if (buf_printf(out, "%s|PL|%s|%06lld|", nip, nrb26, (long long)amount_gr) == -1 ||
	    add_field(out, recipient, QR_RECIPIENT_CHARS_MAX) == -1 ||
	    buf_addc(out, '|') == -1 ||
	    add_field(out, title, QR_TITLE_CHARS_MAX) == -1 ||
	    buf_adds(out, "|||") == -1)
		return err_set(e, ERR_SYSTEM, "out of memory");
	return 0;
}

#define QUIET 4

int
qr_svg(struct buf *out, const char *payload, const char *label, struct err *e)
{
	struct buf path = BUF_INIT, box = BUF_INIT;
	QRcode *qr;
	int x, y, run, w, size, rc = -1;

	errno = 0;
	qr = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return err_set(e, ERR_INTERNAL, "qr: cannot encode (%s)",
		    errno ? strerror(errno) : "unknown");
	w = qr->width;
	size = w + 2 * QUIET;
	for (y = 0; y < w; y++) {
		for (x = 0; x < w; x = run) {
			if (!(qr->data[y * w + x] & 1)) {
				run = x + 1;
				continue;
			}
			for (run = x; run < w && (qr->data[y * w + run] & 1); run++)
				;
			/* "M<x> <y>h<n>v1h-<n>z", without printf: a few hundred
			 * runs per code, one code per resident in arrears */
			if (buf_addc(&path, 'M') == -1 || buf_add_int64(&path, x + QUIET) == -1 ||
			    buf_addc(&path, ' ') == -1 || buf_add_int64(&path, y + QUIET) == -1 ||
			    buf_addc(&path, 'h') == -1 || buf_add_int64(&path, run - x) == -1 ||
			    buf_add(&path, "v1h-", 4) == -1 || buf_add_int64(&path, run - x) == -1 ||
			    buf_addc(&path, 'z') == -1)
				goto nomem;
		}
	}
	/* The HTML parser turns viewbox into SVG's viewBox. */
	if (buf_printf(&box, "0 0 %d %d", size, size) == -1 ||
	    html_open(out, "svg", "xmlns", "http://www.w3.org/2000/svg", "viewbox", box.data,
	    "class", "qr", "role", "img", "aria-label", label, NULL) == -1 ||
	    html_open(out, "rect", "width", "100%", "height", "100%", "fill", "#fff", NULL) == -1 ||
	    html_close(out, "rect") == -1 ||
	    html_open(out, "path", "d", path.data, "fill", "#000", NULL) == -1 ||
	    html_close(out, "path") == -1 || html_close(out, "svg") == -1)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	err_set(e, ERR_SYSTEM, "out of memory");
out:
	QRcode_free(qr);
	buf_free(&path);
	buf_free(&box);
	return rc;
}
