/* test_bundle.c — bundle seal/open: round trip, determinism, binding. */
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "secure.h"
#include "tap.h"

static const char frag[] = "<section><h2>Saldo</h2><p>Zaległość 934,82 zł</p></section>\n";
static const char pw[] = "K7QM-4XZP-9HCE-WTRF-N2AB";

static int
contains(const char *p, size_t n, const char *s)
{
	size_t i, l = strlen(s);

	for (i = 0; i + l <= n; i++)
		if (memcmp(p + i, s, l) == 0)
			return 1;
	return 0;
}

static int
make_keys(struct bundle_keys *k, const char *login, struct err *e)
{
	unsigned char kek[CRYPTO_KEY_BYTES];
	char token[BUNDLE_TOKEN_BYTES];
	int rc;

	memset(k, 0, sizeof *k);
	(void)snprintf(k->login, sizeof k->login, "%s", login);
	k->iterations = BUNDLE_ITERATIONS_MIN;
	if (crypto_random(k->salt, sizeof k->salt, e) == -1 ||
	    crypto_random(k->data_key, sizeof k->data_key, e) == -1 ||
	    bundle_derive(kek, token, pw, k->salt, k->iterations, e) == -1)
		return -1;
	rc = bundle_wrap(k, kek, e);
	secure_wipe(kek, sizeof kek);
	return rc;
}

int
main(void)
{
	struct bundle_keys k, other;
	struct bundle_head h, h2, got, bad;
	struct buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT, o = BUF_INIT;
	struct err e;
	size_t nonce_at = 86 + strlen("abcd2345");
	char *big;

	tap_plan(30);
	err_clear(&e);
	ok(make_keys(&k, "abcd2345", &e) == 0, "keys made and data key wrapped");
	ok(bundle_head_set(&h, "2021-12-28T02:00:13",
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", &e) == 0 &&
	    strcmp(h.exported_at, "2021-12-28T02:00:13") == 0 &&
	    strcmp(h.generation, "0123456789abcdef") == 0,
	    "header from the export's timestamp and manifest digest");
	ok(bundle_head_set(&h2, "2021-12-29T02:00:13+01:00",
	    "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210", &e) == 0 &&
	    strcmp(h2.exported_at, "2021-12-29T02:00:13") == 0,
	    "a longer timestamp is cut after the seconds");
	ok(bundle_head_set(&bad, "2021-12-2", h.generation, &e) == -1 && e.kind == ERR_DATA &&
	    bundle_head_set(&bad, "2021-12-28 02:00:13", h.generation, &e) == -1 &&
	    bundle_head_set(&bad, "2021-12-28T02:00:13", "0123456789ABCDEF", &e) == -1 &&
	    bundle_head_set(&bad, "2021-12-28T02:00:13", "0123", &e) == -1,
	    "a malformed timestamp or digest is refused");
	ok(bundle_seal(&a, &k, &h, frag, strlen(frag), &e) == 0, "seal");
	ok(a.len > nonce_at + 12 && memcmp(a.data, "CZSB\x02\x08" "abcd2345", 14) == 0,
	    "header: magic, version 2, login");
	ok(!contains(a.data, a.len, "Saldo") && !contains(a.data, a.len, "2021-12-28") &&
	    !contains(a.data, a.len, "0123456789abcdef"),
	    "neither the statement nor its export date and id are in clear");
	memset(&got, 'x', sizeof got);
	ok(bundle_open(&o, &got, a.data, a.len, "abcd2345", pw, &e) == 0 &&
	    o.len == strlen(frag) && memcmp(o.data, frag, o.len) == 0,
	    "open with the password gives the fragment back");
	ok(strcmp(got.exported_at, h.exported_at) == 0 && strcmp(got.generation, h.generation) == 0,
	    "... and the export's timestamp and id sealed with it");
	buf_reset(&o);
	ok(bundle_open(&o, NULL, a.data, a.len, "abcd2345", "k7qm 4xzp 9hce wtrf n2ab", &e) == 0,
	    "the password typed in lower case with spaces works");
	ok(bundle_seal(&b, &k, &h, frag, strlen(frag), &e) == 0 && a.len == b.len &&
	    memcmp(a.data, b.data, a.len) == 0, "same content, same export: same bytes");
	buf_reset(&b);
	ok(bundle_seal(&b, &k, &h2, frag, strlen(frag), &e) == 0 && b.len == a.len + 0 &&
	    memcmp(a.data + nonce_at, b.data + nonce_at, 12) != 0,
	    "same content, another export: another nonce");
	ok(bundle_reseal(&c, &k, &h2, a.data, a.len, &e) == 0 && c.len == b.len &&
	    memcmp(c.data, b.data, b.len) == 0,
	    "re-sealing the old bundle with the new header gives what sealing does");
	buf_reset(&o);
	ok(bundle_open(&o, &got, c.data, c.len, "abcd2345", pw, &e) == 0 &&
	    o.len == strlen(frag) && memcmp(o.data, frag, o.len) == 0 &&
	    strcmp(got.exported_at, "2021-12-29T02:00:13") == 0 &&
	    strcmp(got.generation, "fedcba9876543210") == 0,
	    "... which opens to the same statement with the new header");
	ok(make_keys(&other, "abcd2345", &e) == 0 && (buf_reset(&c), 1) &&
	    bundle_reseal(&c, &other, &h2, a.data, a.len, &e) == -1 && e.kind == ERR_DATA &&
	    c.len == 0, "re-sealing under another data key fails (render afresh)");
	(void)snprintf(other.login, sizeof other.login, "abcd2346");
	memcpy(other.data_key, k.data_key, sizeof k.data_key);
	ok(bundle_reseal(&c, &other, &h2, a.data, a.len, &e) == -1 && e.kind == ERR_DATA,
	    "... and another login's bundle (AAD) too");
	secure_wipe(&other, sizeof other);
	buf_reset(&c);
	ok(bundle_seal(&c, &k, &h, frag, strlen(frag) - 2, &e) == 0 &&
	    memcmp(a.data + nonce_at, c.data + nonce_at, 12) != 0,
	    "changed content, different nonce");
	ok(bundle_open(&o, NULL, a.data, a.len, "abcd2345", "K7QM-4XZP-9HCE-WTRF-N2AC", &e) == -1 &&
	    strcmp(e.msg, "wrong login or password") == 0, "a wrong password fails");
	ok(bundle_open(&o, NULL, a.data, a.len, "abcd2346", pw, &e) == -1 &&
	    strcmp(e.msg, "wrong login or password") == 0, "another login (AAD) fails");
	a.data[a.len - 20] ^= 1;
	ok(bundle_open(&o, NULL, a.data, a.len, "abcd2345", pw, &e) == -1 &&
	    strstr(e.msg, "decryption failed") != NULL, "an altered body fails");
	a.data[a.len - 20] ^= 1;
	a.data[4] = 1;
	ok(bundle_open(&o, NULL, a.data, a.len, "abcd2345", pw, &e) == -1 &&
	    strstr(e.msg, "version 1") != NULL, "format version 1 (no sealed header) is refused");
	a.data[4] = 2;
	memset(&bad, 0, sizeof bad);
	memcpy(bad.exported_at, "2021-12-28T02:00:1x", BUNDLE_EXPORTED_AT_LEN);
	memcpy(bad.generation, "00", 2);
	ok(bundle_seal(&c, &k, &bad, frag, 3, &e) == -1 && e.kind == ERR_DATA,
	    "a malformed header is not sealed");
	big = calloc(1, BUNDLE_FRAGMENT_BYTES_MAX + 1);
	ok(big != NULL && bundle_seal(&c, &k, &h, big, BUNDLE_FRAGMENT_BYTES_MAX + 1, &e) == -1 &&
	    e.kind == ERR_DATA, "an oversized fragment is refused");
	free(big);
	buf_reset(&c);
	ok(bundle_reseal(&c, &k, &h2, "CZSB", 4, &e) == -1 && e.kind == ERR_DATA && c.len == 0,
	    "re-sealing garbage fails cleanly");
	ok(bundle_open(&o, NULL, a.data, 40, "abcd2345", pw, &e) == -1 &&
	    strstr(e.msg, "truncated") != NULL, "a truncated bundle is refused");
	{   /* a reset: the same statement under a new data key (bundle_rekey) */
		struct bundle_keys k2;
		struct buf s1 = BUF_INIT, r = BUF_INIT, x = BUF_INIT;

		ok(make_keys(&k2, "abcd2345", &e) == 0 &&
		    bundle_seal(&s1, &k, &h, frag, strlen(frag), &e) == 0 &&
		    bundle_rekey(&r, s1.data, s1.len, &k, &k2, &e) == 0, "rekey to new keys");
		buf_reset(&o);
		ok(bundle_open(&o, NULL, r.data, r.len, "abcd2345", pw, &e) == 0 && o.len == strlen(frag) &&
		    memcmp(o.data, frag, o.len) == 0, "the re-sealed bundle opens: the same statement");
		ok(memcmp(k.data_key, k2.data_key, sizeof k.data_key) != 0 &&
		    bundle_rekey(&x, r.data, r.len, &k, &k2, &e) == -1 && e.kind == ERR_DATA,
		    "it does not open with the old data key");
		buf_reset(&x);
		ok(bundle_rekey(&x, r.data, r.len, &k2, &k, &e) == 0, "... it does with the new one");
		secure_wipe(&k2, sizeof k2);
		buf_free(&s1);
		buf_free(&r);
		buf_free(&x);
	}
	(void)snprintf(k.login, sizeof k.login, "Bad/Login");
	ok(bundle_seal(&c, &k, &h, frag, 3, &e) == -1, "a login outside [a-z0-9] is refused");
	secure_wipe(&k, sizeof k);
	buf_free(&a);
	buf_free(&b);
	buf_free(&c);
	buf_free(&o);
	return tap_done();
}
