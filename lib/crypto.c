/* crypto.c — OpenSSL behind this project's conventions (see crypto.h). */
#include "crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <string.h>

#include "secure.h"

#define SHA1_BYTES 20

int
crypto_random(void *out, size_t n, struct err *e)
{
	if (n > (size_t)INT32_MAX)
		return err_set(e, ERR_INTERNAL, "random: request too large");
	if (n > 0 && RAND_bytes(out, (int)n) != 1)
		return err_set(e, ERR_INTERNAL, "random: the generator failed");
	return 0;
}

/* Shared body of seal and open: the same calls, another direction. */
static int
gcm(int enc, unsigned char *out, const unsigned char key[CRYPTO_KEY_BYTES],
    const unsigned char nonce[CRYPTO_GCM_NONCE_BYTES], const void *aad, size_t aad_n,
    const unsigned char *in, size_t n, unsigned char tag[CRYPTO_GCM_TAG_BYTES],
    struct err *e)
{
	EVP_CIPHER_CTX *ctx = NULL;
	unsigned char last[16];
	int len = 0, rc = -1;

	if (n > CRYPTO_GCM_BYTES_MAX || aad_n > CRYPTO_GCM_BYTES_MAX)
		return err_set(e, ERR_DATA, "aes-gcm: message too large (%zu bytes)", n);
	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, CRYPTO_GCM_NONCE_BYTES,
	    NULL) != 1 ||
	    EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, enc) != 1) {
		err_set(e, ERR_INTERNAL, "aes-gcm: init failed");
		goto out;
	}
	if (aad_n > 0 && EVP_CipherUpdate(ctx, NULL, &len, aad, (int)aad_n) != 1) {
		err_set(e, ERR_INTERNAL, "aes-gcm: associated data failed");
		goto out;
	}
	if (n > 0 && (EVP_CipherUpdate(ctx, out, &len, in, (int)n) != 1 ||
	    (size_t)len != n)) {
		err_set(e, ERR_INTERNAL, "aes-gcm: update failed");
		goto out;
	}
	if (!enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, CRYPTO_GCM_TAG_BYTES,
	    tag) != 1) {
		err_set(e, ERR_INTERNAL, "aes-gcm: setting the tag failed");
		goto out;
	}
	if (EVP_CipherFinal_ex(ctx, last, &len) != 1 || len != 0) {
		if (enc)
			err_set(e, ERR_INTERNAL, "aes-gcm: final failed");
		else
			err_set(e, ERR_DATA, "decryption failed");
		goto out;
	}
	if (enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, CRYPTO_GCM_TAG_BYTES,
	    tag) != 1) {
		err_set(e, ERR_INTERNAL, "aes-gcm: getting the tag failed");
		goto out;
	}
	rc = 0;
out:
	if (rc == -1 && !enc)
		secure_wipe(out, n);
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

int
crypto_gcm_seal(unsigned char *out, const unsigned char key[CRYPTO_KEY_BYTES],
    const unsigned char nonce[CRYPTO_GCM_NONCE_BYTES], const void *aad, size_t aad_n,
    const void *in, size_t n, struct err *e)
{
	return gcm(1, out, key, nonce, aad, aad_n, in, n, out + n, e);
}

int
crypto_gcm_open(unsigned char *out, const unsigned char key[CRYPTO_KEY_BYTES],
    const unsigned char nonce[CRYPTO_GCM_NONCE_BYTES], const void *aad, size_t aad_n,
    const void *in, size_t n, struct err *e)
{
	unsigned char tag[CRYPTO_GCM_TAG_BYTES];
	const unsigned char *p = in;

	if (n < CRYPTO_GCM_TAG_BYTES)
		return err_set(e, ERR_DATA, "decryption failed: message shorter than its tag");
	n -= CRYPTO_GCM_TAG_BYTES;
	memcpy(tag, p + n, sizeof tag);
	return gcm(0, out, key, nonce, aad, aad_n, p, n, tag, e);
}

int
crypto_pbkdf2_sha256(unsigned char *out, size_t out_n, const void *pw, size_t pw_n,
    const void *salt, size_t salt_n, uint32_t iterations, struct err *e)
{
	if (iterations < 1 || iterations > INT32_MAX || pw_n > INT32_MAX ||
	    salt_n > INT32_MAX || out_n > INT32_MAX)
		return err_set(e, ERR_INTERNAL, "pbkdf2: parameter out of range");
	if (PKCS5_PBKDF2_HMAC(pw, (int)pw_n, salt, (int)salt_n, (int)iterations,
	    EVP_sha256(), (int)out_n, out) != 1)
		return err_set(e, ERR_INTERNAL, "pbkdf2 failed");
	return 0;
}

int
crypto_hkdf_sha256(unsigned char *out, size_t out_n, const void *ikm, size_t ikm_n,
    const void *salt, size_t salt_n, const void *info, size_t info_n, struct err *e)
{
	EVP_KDF *kdf = NULL;
	EVP_KDF_CTX *ctx = NULL;
	OSSL_PARAM params[5], *p = params;
	char digest[] = "SHA256";
	int rc = -1;

	if (out_n == 0 || out_n > 255 * CRYPTO_SHA256_BYTES)
		return err_set(e, ERR_INTERNAL, "hkdf: output length out of range");
	kdf = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_HKDF, NULL);
	if (kdf == NULL || (ctx = EVP_KDF_CTX_new(kdf)) == NULL) {
		err_set(e, ERR_INTERNAL, "hkdf: not available");
		goto out;
	}
	/* OpenSSL takes non-const pointers here but only reads them. */
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, ikm_n);
	if (salt_n > 0)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt,
		    salt_n);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, info_n);
	*p = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, out, out_n, params) != 1) {
		err_set(e, ERR_INTERNAL, "hkdf failed");
		goto out;
	}
	rc = 0;
out:
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return rc;
}

int
crypto_hmac_sha256(unsigned char out[CRYPTO_SHA256_BYTES], const void *key,
    size_t key_n, const void *msg, size_t msg_n, struct err *e)
{
	unsigned int len = 0;

	if (key_n > INT32_MAX)
		return err_set(e, ERR_INTERNAL, "hmac: key too long");
	if (HMAC(EVP_sha256(), key, (int)key_n, msg, msg_n, out, &len) == NULL ||
	    len != CRYPTO_SHA256_BYTES)
		return err_set(e, ERR_INTERNAL, "hmac-sha256 failed");
	return 0;
}

static int
digest(const EVP_MD *md, unsigned char *out, unsigned int want, const void *p, size_t n,
    struct err *e)
{
	unsigned int len = 0;

	if (EVP_Digest(p, n, out, &len, md, NULL) != 1 || len != want)
		return err_set(e, ERR_INTERNAL, "digest failed");
	return 0;
}

int
crypto_sha256(unsigned char out[CRYPTO_SHA256_BYTES], const void *p, size_t n,
    struct err *e)
{
	return digest(EVP_sha256(), out, CRYPTO_SHA256_BYTES, p, n, e);
}

int
crypto_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

static const char b64_std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void
crypto_base64(char *out, const void *p, size_t n, int url)
{
	const char *abc = url ? b64_url : b64_std;
	const unsigned char *s = p;
	size_t i, o = 0;
	uint32_t v;

	for (i = 0; i + 3 <= n; i += 3) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		out[o++] = abc[v >> 18 & 63];
		out[o++] = abc[v >> 12 & 63];
		out[o++] = abc[v >> 6 & 63];
		out[o++] = abc[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)s[i] << 16;
		out[o++] = abc[v >> 18 & 63];
		out[o++] = abc[v >> 12 & 63];
		if (!url) {
			out[o++] = '=';
			out[o++] = '=';
		}
	} else if (n - i == 2) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8;
		out[o++] = abc[v >> 18 & 63];
		out[o++] = abc[v >> 12 & 63];
		out[o++] = abc[v >> 6 & 63];
		if (!url)
			out[o++] = '=';
	}
	out[o] = '\0';
}

int
crypto_unbase64(unsigned char *out, size_t out_max, size_t *out_n, const char *s,
    int url, struct err *e)
{
	const char *abc = url ? b64_url : b64_std, *hit;
	size_t len = strlen(s), i, o = 0;
	uint32_t acc = 0;
	int bits = 0;

	if (!url) {
		if (len % 4 != 0)
			return err_set(e, ERR_DATA, "base64: bad length");
		if (len > 0 && s[len - 1] == '=')
			len--;
		if (len > 0 && s[len - 1] == '=')
			len--;
	}
	if (len % 4 == 1)
		return err_set(e, ERR_DATA, "base64: bad length");
	for (i = 0; i < len; i++) {
		if (s[i] == '\0' || (hit = strchr(abc, s[i])) == NULL)
			return err_set(e, ERR_DATA, "base64: bad character");
		acc = acc << 6 | (uint32_t)(hit - abc);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == out_max)
				return err_set(e, ERR_DATA, "base64: too long");
			out[o++] = (unsigned char)(acc >> bits & 0xff);
		}
	}
	if ((acc & ((1u << bits) - 1)) != 0)
		return err_set(e, ERR_DATA, "base64: stray bits");
	*out_n = o;
	return 0;
}

void
crypto_hex(char *out, const void *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = d[s[i] >> 4];
		out[2 * i + 1] = d[s[i] & 15];
	}
	out[2 * n] = '\0';
}

static int
hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int
crypto_is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (hex_digit(s[i]) == -1)
			return 0;
	return 1;
}

int
crypto_unhex(unsigned char *out, const char *hex, size_t n)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		hi = hex_digit(hex[2 * i]);
		lo = hex_digit(hex[2 * i + 1]);
		if (hi == -1 || lo == -1)
			return -1;
		out[i] = (unsigned char)(hi * 16 + lo);
	}
	return 0;
}

static int
ssha_digest(unsigned char out[SHA1_BYTES], const char *token,
    const unsigned char salt[CRYPTO_SSHA_SALT_BYTES], struct err *e)
{
	unsigned char msg[256 + CRYPTO_SSHA_SALT_BYTES];
	size_t n = strlen(token);
	int rc;

	if (n > 256)
		return err_set(e, ERR_DATA, "token too long");
	memcpy(msg, token, n);
	memcpy(msg + n, salt, CRYPTO_SSHA_SALT_BYTES);
	rc = digest(EVP_sha1(), out, SHA1_BYTES, msg, n + CRYPTO_SSHA_SALT_BYTES, e);
	secure_wipe(msg, sizeof msg);
	return rc;
}

int
crypto_ssha(char out[CRYPTO_SSHA_BYTES], const char *token, struct err *e)
{
	unsigned char raw[SHA1_BYTES + CRYPTO_SSHA_SALT_BYTES];

	if (crypto_random(raw + SHA1_BYTES, CRYPTO_SSHA_SALT_BYTES, e) == -1 ||
	    ssha_digest(raw, token, raw + SHA1_BYTES, e) == -1)
		return -1;
	memcpy(out, "{SSHA}", 6);
	crypto_base64(out + 6, raw, sizeof raw, 0);
	return 0;
}

int
crypto_sha_verifier(char out[CRYPTO_SHA_VERIFIER_BYTES], const char *token, struct err *e)
{
	unsigned char raw[SHA1_BYTES];

	if (strlen(token) > 256)
		return err_set(e, ERR_DATA, "token too long");
	if (digest(EVP_sha1(), raw, SHA1_BYTES, token, strlen(token), e) == -1)
		return -1;
	memcpy(out, "{SHA}", 5);
	crypto_base64(out + 5, raw, sizeof raw, 0);
	return 0;
}

int
crypto_ssha_check(const char *hash, const char *token, struct err *e)
{
	unsigned char raw[SHA1_BYTES + CRYPTO_SSHA_SALT_BYTES], want[SHA1_BYTES];
	char sha[CRYPTO_SHA_VERIFIER_BYTES];
	struct err ignored;
	size_t n;

	if (strncmp(hash, "{SHA}", 5) == 0) {
		if (crypto_sha_verifier(sha, token, e) == -1)
			return -1;
		return strlen(hash) == strlen(sha) && crypto_equal(sha, hash, strlen(sha));
	}
	if (strncmp(hash, "{SSHA}", 6) != 0 ||
	    crypto_unbase64(raw, sizeof raw, &n, hash + 6, 0, &ignored) == -1 ||
	    n != sizeof raw)
		return 0;
	if (ssha_digest(want, token, raw + SHA1_BYTES, e) == -1)
		return -1;
	return crypto_equal(want, raw, SHA1_BYTES);
}
