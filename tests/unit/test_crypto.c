/* test_crypto.c — lib/crypto against published vectors, and its failures. */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "tap.h"

static void
unhex(unsigned char *out, const char *s)
{
	size_t i;
	char b[3] = { 0, 0, 0 };

	for (i = 0; s[2 * i] != '\0'; i++) {
		b[0] = s[2 * i];
		b[1] = s[2 * i + 1];
		out[i] = (unsigned char)strtoul(b, NULL, 16);
	}
}

int
main(void)
{
	unsigned char ikm[22], salt[13], info[10], okm[42], dk[32], key[32], nonce[12];
	unsigned char ct[64], pt[64], raw[64];
	char h[200], b64[100], ssha[CRYPTO_SSHA_BYTES], sha[CRYPTO_SHA_VERIFIER_BYTES];
	struct err e;
	size_t i, n;

	tap_plan(30);
	err_clear(&e);

	/* RFC 5869, test case 1. */
	memset(ikm, 0x0b, sizeof ikm);
	for (i = 0; i < sizeof salt; i++)
		salt[i] = (unsigned char)i;
	for (i = 0; i < sizeof info; i++)
		info[i] = (unsigned char)(0xf0 + i);
	ok(crypto_hkdf_sha256(okm, sizeof okm, ikm, sizeof ikm, salt, sizeof salt, info,
	    sizeof info, &e) == 0, "hkdf runs");
	crypto_hex(h, okm, sizeof okm);
	is_str(h, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
	    "34007208d5b887185865", "hkdf: RFC 5869 test case 1");

	/* PBKDF2-HMAC-SHA256, the RFC 6070 inputs with SHA-256. */
	ok(crypto_pbkdf2_sha256(dk, 32, "password", 8, "salt", 4, 1, &e) == 0, "pbkdf2 runs");
	crypto_hex(h, dk, 32);
	is_str(h, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",
	    "pbkdf2-sha256 c=1");
	ok(crypto_pbkdf2_sha256(dk, 32, "password", 8, "salt", 4, 4096, &e) == 0,
	    "pbkdf2 4096 runs");
	crypto_hex(h, dk, 32);
	is_str(h, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a",
	    "pbkdf2-sha256 c=4096");

	/* RFC 4231, test case 2. */
	ok(crypto_hmac_sha256(dk, "Jefe", 4, "what do ya want for nothing?", 28, &e) == 0,
	    "hmac runs");
	crypto_hex(h, dk, 32);
	is_str(h, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	    "hmac-sha256: RFC 4231 test case 2");

	/* GCM spec (McGrew-Viega) test case 14: zero key, IV, one zero block. */
	memset(key, 0, sizeof key);
	memset(nonce, 0, sizeof nonce);
	memset(pt, 0, 16);
	ok(crypto_gcm_seal(ct, key, nonce, NULL, 0, pt, 16, &e) == 0, "gcm seal runs");
	crypto_hex(h, ct, 32);
	is_str(h, "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919",
	    "aes-256-gcm: test case 14 ciphertext and tag");

	/* Round trip with AAD, then tampering. */
	unhex(key, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
	ok(crypto_gcm_seal(ct, key, nonce, "aad", 3, "hello, world", 12, &e) == 0 &&
	    crypto_gcm_open(pt, key, nonce, "aad", 3, ct, 12 + 16, &e) == 0 &&
	    memcmp(pt, "hello, world", 12) == 0, "gcm round trip with aad");
	ok(crypto_gcm_open(pt, key, nonce, "aaD", 3, ct, 28, &e) == -1 &&
	    e.kind == ERR_DATA, "gcm: other aad fails");
	ct[3] ^= 1;
	ok(crypto_gcm_open(pt, key, nonce, "aad", 3, ct, 28, &e) == -1 &&
	    strcmp(e.msg, "decryption failed") == 0, "gcm: a flipped bit fails");
	ct[3] ^= 1;
	key[0] ^= 1;
	ok(crypto_gcm_open(pt, key, nonce, "aad", 3, ct, 28, &e) == -1, "gcm: other key fails");
	ok(crypto_gcm_open(pt, key, nonce, "aad", 3, ct, 15, &e) == -1, "gcm: short input fails");

	/* base64 both alphabets. */
	crypto_base64(b64, "\xfb\xff\x01", 3, 1);
	is_str(b64, "-_8B", "base64url alphabet");
	crypto_base64(b64, "ab", 2, 0);
	is_str(b64, "YWI=", "base64 padding");
	ok(crypto_unbase64(raw, sizeof raw, &n, "YWI=", 0, &e) == 0 && n == 2 &&
	    memcmp(raw, "ab", 2) == 0, "unbase64 standard");
	ok(crypto_unbase64(raw, sizeof raw, &n, "YW*=", 0, &e) == -1, "unbase64 rejects junk");

	/* {SSHA} verifier. */
	ok(crypto_ssha(ssha, "token-abc", &e) == 0 && strncmp(ssha, "{SSHA}", 6) == 0 &&
	    strlen(ssha) == 46, "ssha format");
	ok(crypto_ssha_check(ssha, "token-abc", &e) == 1 &&
	    crypto_ssha_check(ssha, "token-abd", &e) == 0 &&
	    crypto_ssha_check("{SSHA}xx", "token-abc", &e) == 0, "ssha verifies only the token");
	/* {SHA} verifier: base64(SHA-1(token)), as `openssl dgst -sha1 -binary | base64`. */
	ok(crypto_sha_verifier(sha, "token-abc", &e) == 0, "sha verifier");
	is_str(sha, "{SHA}TDnV4UY6imn+B0uBpqu93Ls30eU=", "... base64 of SHA-1 of the token");
	ok(crypto_ssha_check(sha, "token-abc", &e) == 1 &&
	    crypto_ssha_check(sha, "token-abd", &e) == 0 &&
	    crypto_ssha_check("{SHA}xx", "token-abc", &e) == 0, "the check takes {SHA} too");
	crypto_hex(h, "\x00\xff\x1a", 3);
	is_str(h, "00ff1a", "hex");
	/* hex: what crypto_hex writes, crypto_is_hex accepts and
	 * crypto_unhex reads back; nothing else */
	ok(crypto_is_hex("0123456789abcdef", 16), "lowercase hex is hex");
	ok(!crypto_is_hex("0123456789abcdeF", 16) && !crypto_is_hex("g0", 2) &&
	    !crypto_is_hex("0 ", 2), "upper case, g and a space are not");
	ok(crypto_unhex(raw, "00ff7f80", 4) == 0 && raw[0] == 0x00 && raw[1] == 0xff &&
	    raw[2] == 0x7f && raw[3] == 0x80, "unhex reads every nibble");
	crypto_hex(h, raw, 4);
	is_str(h, "00ff7f80", "... and hex writes them back");
	ok(crypto_unhex(raw, "0x", 1) == -1, "unhex refuses what is not hex");
	return tap_done();
}
