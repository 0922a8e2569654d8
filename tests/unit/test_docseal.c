/* test_docseal.c — a sealed document opens for its login, name and key
 * only; the same document gives the same bytes; the key check follows a
 * reset; the token follows the PDF's hash. */
#include <stdio.h>
#include <string.h>

#include "docseal.h"
#include "tap.h"

static int
contains(const char *h, size_t n, const char *needle)
{
	size_t i, k = strlen(needle);

	for (i = 0; i + k <= n; i++)
		if (memcmp(h + i, needle, k) == 0)
			return 1;
	return 0;
}

static void
keys(struct bundle_keys *k, const char *login, unsigned char fill)
{
	memset(k, 0, sizeof *k);
	(void)snprintf(k->login, sizeof k->login, "%s", login);
	memset(k->data_key, fill, sizeof k->data_key);
}

int
main(void)
{
	static const char pdf[] = "%PDF-1.4\nCZYNSZE-PRYWATNE-ZAW-1\n%%EOF\n";
	static const char sha_a[] =
	    "0000000000000000000000000000000000000000000000000000000000000000";
	static const char sha_b[] =
	    "0000000000000000000000000000000000000000000000000000000000000001";
	struct bundle_keys k, k2, other;
	struct buf f = BUF_INIT, f2 = BUF_INIT, plain = BUF_INIT;
	char tok[DOCSEAL_TOKEN_LEN + 1], tok2[DOCSEAL_TOKEN_LEN + 1], got[DOCSEAL_TOKEN_LEN + 1];
	struct err e;

	tap_plan(17);
	err_clear(&e);
	keys(&k, "abc123", 7);
	keys(&k2, "abc123", 8);
	keys(&other, "xyz789", 7);

	ok(docseal_token(tok, "ZAW-1", sha_a, &e) == 0 && strlen(tok) == DOCSEAL_TOKEN_LEN,
	    "a token is 32 hex digits");
	ok(docseal_token(tok2, "ZAW-1", sha_b, &e) == 0 && strcmp(tok, tok2) != 0,
	    "another PDF under the same id: another token");
	ok(docseal_token(tok2, "ZAW-1", "ABC", &e) == -1 && e.kind == ERR_DATA,
	    "a malformed hash is refused");
	err_clear(&e);

	ok(docseal_seal(&f, &k, tok, pdf, sizeof pdf - 1, &e) == 0 &&
	    f.len == 6 + 6 + 32 + 8 + 12 + (sizeof pdf - 1) + 16, "sealed: header, nonce, body, tag");
	ok(memcmp(f.data, "CZSD\x01\x06" "abc123", 12) == 0 && memcmp(f.data + 12, tok, 32) == 0,
	    "the header names the login and the token");
	ok(!contains(f.data, f.len, "CZYNSZE-PRYWATNE") && !contains(f.data, f.len, "%PDF"),
	    "nothing of the PDF in clear");
	ok(docseal_seal(&f2, &k, tok, pdf, sizeof pdf - 1, &e) == 0 && f2.len == f.len &&
	    memcmp(f.data, f2.data, f.len) == 0, "the same document gives the same bytes");
	ok(docseal_open(&plain, f.data, f.len, "abc123", tok, k.data_key, &e) == 0 &&
	    plain.len == sizeof pdf - 1 && memcmp(plain.data, pdf, plain.len) == 0,
	    "it opens with the data key");
	buf_reset(&plain);
	ok(docseal_open(&plain, f.data, f.len, "abc123", tok2, k.data_key, &e) == -1 &&
	    e.kind == ERR_DATA, "... not under another document's name");
	err_clear(&e);
	ok(docseal_open(&plain, f.data, f.len, "xyz789", tok, other.data_key, &e) == -1,
	    "... not as another login's");
	err_clear(&e);
	ok(docseal_open(&plain, f.data, f.len, "abc123", tok, k2.data_key, &e) == -1,
	    "... not with another key");
	err_clear(&e);
	f.data[f.len - 20] ^= 1;
	ok(docseal_open(&plain, f.data, f.len, "abc123", tok, k.data_key, &e) == -1,
	    "... not when a byte changed");
	err_clear(&e);
	f.data[f.len - 20] ^= 1;

	ok(docseal_current(f.data, f.len, &k, tok) == 1 && docseal_current(f.data, f.len, &k2,
	    tok) == 0 && docseal_current(f.data, f.len, &k, tok2) == 0,
	    "the key check tells a file of the key in force");
	buf_reset(&f2);
	ok(docseal_rekey(&f2, f.data, f.len, &k, &k2, tok, &e) == 0 &&
	    docseal_current(f2.data, f2.len, &k2, tok) == 1 &&
	    docseal_open(&plain, f2.data, f2.len, "abc123", tok, k2.data_key, &e) == 0 &&
	    plain.len == sizeof pdf - 1 && memcmp(plain.data, pdf, plain.len) == 0,
	    "a reset re-seals it for the new key");
	ok(docseal_rekey(&f2, f.data, f.len, &k2, &k, tok, &e) == -1,
	    "... from the old key only");
	err_clear(&e);

	ok(docseal_name_of("abc123.d0123456789abcdef0123456789abcdef.bin", "abc123", got) == 1 &&
	    strcmp(got, "0123456789abcdef0123456789abcdef") == 0 &&
	    docseal_name_of("abc123.2.d0123456789abcdef0123456789abcdef.bin", "abc123.2",
	    NULL) == 1, "a document's name for a stem");
	ok(docseal_name_of("abc123.2.d0123456789abcdef0123456789abcdef.bin", "abc123", NULL) == 0 &&
	    docseal_name_of("abc1234.d0123456789abcdef0123456789abcdef.bin", "abc123", NULL) == 0 &&
	    docseal_name_of("abc123.d0123456789ABCDEF0123456789abcdef.bin", "abc123", NULL) == 0 &&
	    docseal_name_of("abc123.bin", "abc123", NULL) == 0,
	    "... not another version's, another login's, upper case or the bundle");
	buf_free(&f);
	buf_free(&f2);
	buf_free(&plain);
	return tap_done();
}
