/* test_digest.c — lib/digest's SHA-256 streams against FIPS 180-2 vectors. */
#include <string.h>

#include "crypto.h"
#include "digest.h"
#include "tap.h"

#define EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define B2 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

int
main(void)
{
	struct sha256_set *s = NULL;
	unsigned char md[SHA256_BYTES];
	char h[2 * SHA256_BYTES + 1];
	struct err e;
	int i, rc;

	tap_plan(9);
	err_clear(&e);
	ok(sha256_set_new(&s, 3, &e) == 0, "a set of three streams");
	ok(sha256_set_add(s, 1, "a", 1, &e) == 0 && sha256_set_add(s, 2, "x", 1, &e) == 0 &&
	    sha256_set_add(s, 1, "bc", 2, &e) == 0, "streams 1 and 2 take bytes");
	ok(sha256_set_final(s, 1, md, &e) == 0, "stream 1 finishes");
	crypto_hex(h, md, sizeof md);
	is_str(h, ABC, "\"a\" then \"bc\" is SHA-256(\"abc\")");
	ok(sha256_set_final(s, 0, md, &e) == 0, "stream 0, never added to, finishes");
	crypto_hex(h, md, sizeof md);
	is_str(h, EMPTY, "... as SHA-256 of nothing");
	rc = sha256_set_final(s, 1, md, &e);
	crypto_hex(h, md, sizeof md);
	ok(rc == 0 && strcmp(h, EMPTY) == 0, "a finished stream starts again empty");
	/* The two-block case: 56 bytes of "abcdbcde..." (FIPS 180-2, B.2). */
	rc = 0;
	for (i = 0; i < 14; i++)
		rc |= sha256_set_add(s, 0, &B2[4 * i], 4, &e);
	ok(rc == 0 && sha256_set_final(s, 0, md, &e) == 0, "a message added in 14 pieces");
	crypto_hex(h, md, sizeof md);
	is_str(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
	    "... gives its digest");
	sha256_set_free(s); /* stream 2 still open: freed too */
	sha256_set_free(NULL);
	return tap_done();
}
