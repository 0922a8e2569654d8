/* docseal.c — a resident's document, sealed (docseal.h). */
#include "docseal.h"

#include <string.h>

#include "crypto.h"
#include "secure.h"

static const char magic[4] = { 'C', 'Z', 'S', 'D' };
static const char info_check[] = "czynsze v1 document key";
static const char info_nonce[] = "czynsze v1 nonce";
static const char token_label[] = "czynsze v1 document";

static int
is_lower_hex(const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int
docseal_token(char out[DOCSEAL_TOKEN_LEN + 1], const char *id, const char *sha256_hex,
    struct err *e)
{
	unsigned char h[CRYPTO_SHA256_BYTES];
	struct buf msg = BUF_INIT;
	int rc = -1;

	out[0] = '\0';
	if (!is_lower_hex(sha256_hex, 2 * CRYPTO_SHA256_BYTES))
		return err_set(e, ERR_DATA, "document %s: sha256 is not 64 lowercase hex digits", id);
	if (buf_add(&msg, token_label, sizeof token_label) == -1 ||
	    buf_add(&msg, id, strlen(id) + 1) == -1 || buf_adds(&msg, sha256_hex) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (crypto_sha256(h, msg.data, msg.len, e) == -1)
		goto out;
	crypto_hex(out, h, DOCSEAL_TOKEN_LEN / 2);
	rc = 0;
out:
	buf_free(&msg);
	return rc;
}

/* The header (the AAD) for login, token and data key into aad; its
 * length, or 0 on failure. */
static size_t
header(unsigned char aad[DOCSEAL_HEAD_MAX], const char *login, const char *token,
    const unsigned char key[CRYPTO_KEY_BYTES], struct err *e)
{
	unsigned char mac[CRYPTO_SHA256_BYTES];
	size_t l = strlen(login), n = 0;

	memcpy(aad, magic, sizeof magic);
	n += sizeof magic;
	aad[n++] = DOCSEAL_VERSION;
	aad[n++] = (unsigned char)l;
	memcpy(aad + n, login, l);
	n += l;
	memcpy(aad + n, token, DOCSEAL_TOKEN_LEN);
	n += DOCSEAL_TOKEN_LEN;
	if (crypto_hmac_sha256(mac, key, CRYPTO_KEY_BYTES, info_check, strlen(info_check),
	    e) == -1)
		return 0;
	memcpy(aad + n, mac, DOCSEAL_CHECK_BYTES);
	return n + DOCSEAL_CHECK_BYTES;
}

/* The sealing itself, for a login and data key. */
static int
seal(struct buf *out, const char *login, const unsigned char key[CRYPTO_KEY_BYTES],
    const char *token, const void *pdf, size_t n, struct err *e)
{
	unsigned char aad[DOCSEAL_HEAD_MAX], nonce_key[CRYPTO_KEY_BYTES], mac[CRYPTO_SHA256_BYTES];
	struct buf mac_in = BUF_INIT;
	size_t aad_n, start = out->len;
	int rc = -1;

	if (n > DOCSEAL_PDF_MAX)
		return err_set(e, ERR_DATA, "document over %zu bytes", DOCSEAL_PDF_MAX);
	if (!bundle_login_ok(login) || !is_lower_hex(token, DOCSEAL_TOKEN_LEN))
		return err_set(e, ERR_DATA, "document: bad login or name");
	if ((aad_n = header(aad, login, token, key, e)) == 0)
		return -1;
	if (buf_add(&mac_in, aad, aad_n) == -1 || buf_add(&mac_in, pdf, n) == -1 ||
	    buf_grow(out, aad_n + CRYPTO_GCM_NONCE_BYTES + n + CRYPTO_GCM_TAG_BYTES) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (crypto_hkdf_sha256(nonce_key, sizeof nonce_key, key, CRYPTO_KEY_BYTES, NULL, 0,
	    info_nonce, strlen(info_nonce), e) == -1 ||
	    crypto_hmac_sha256(mac, nonce_key, sizeof nonce_key, mac_in.data, mac_in.len,
	    e) == -1)
		goto out;
	/* Cannot fail: the room was made above. */
	(void)buf_add(out, aad, aad_n);
	(void)buf_add(out, mac, CRYPTO_GCM_NONCE_BYTES);
	if (crypto_gcm_seal((unsigned char *)out->data + out->len, key, mac, aad, aad_n, pdf, n,
	    e) == -1)
		goto out;
	out->len += n + CRYPTO_GCM_TAG_BYTES;
	out->data[out->len] = '\0';
	rc = 0;
out:
	if (rc == -1 && out->data != NULL) {
		out->len = start;
		out->data[start] = '\0';
	}
	secure_wipe(nonce_key, sizeof nonce_key);
	buf_wipe_free(&mac_in);
	return rc;
}

int
docseal_seal(struct buf *out, const struct bundle_keys *k, const char *token,
    const void *pdf, size_t n, struct err *e)
{
	return seal(out, k->login, k->data_key, token, pdf, n, e);
}

int
docseal_current(const void *head, size_t n, const struct bundle_keys *k, const char *token)
{
	unsigned char aad[DOCSEAL_HEAD_MAX];
	size_t aad_n;
	struct err e;

	err_clear(&e);
	if (!bundle_login_ok(k->login) || !is_lower_hex(token, DOCSEAL_TOKEN_LEN) ||
	    (aad_n = header(aad, k->login, token, k->data_key, &e)) == 0)
		return 0;
	return n >= aad_n + CRYPTO_GCM_NONCE_BYTES && crypto_equal(head, aad, aad_n);
}

int
docseal_open(struct buf *out, const void *in, size_t n, const char *login,
    const char *token, const unsigned char data_key[CRYPTO_KEY_BYTES], struct err *e)
{
	unsigned char aad[DOCSEAL_HEAD_MAX];
	const unsigned char *p = in;
	size_t aad_n, body, start = out->len;

	if (!bundle_login_ok(login) || !is_lower_hex(token, DOCSEAL_TOKEN_LEN))
		return err_set(e, ERR_DATA, "document: bad login or name");
	if ((aad_n = header(aad, login, token, data_key, e)) == 0)
		return -1;
	/* the header is rebuilt from what the reader expects, not read */
	if (n < aad_n + CRYPTO_GCM_NONCE_BYTES + CRYPTO_GCM_TAG_BYTES ||
	    memcmp(p, aad, 6) != 0)
		return err_set(e, ERR_DATA, "document: not a sealed document of %s", login);
	body = n - aad_n - CRYPTO_GCM_NONCE_BYTES;
	if (body - CRYPTO_GCM_TAG_BYTES > DOCSEAL_PDF_MAX)
		return err_set(e, ERR_DATA, "document: too large");
	if (buf_grow(out, body) == -1)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (crypto_gcm_open((unsigned char *)out->data + start, data_key, p + aad_n, aad, aad_n,
	    p + aad_n + CRYPTO_GCM_NONCE_BYTES, body, e) == -1) {
		out->data[start] = '\0';
		return err_prefix(e, "document of %s", login);
	}
	out->len = start + body - CRYPTO_GCM_TAG_BYTES;
	out->data[out->len] = '\0';
	return 0;
}

int
docseal_rekey(struct buf *out, const void *in, size_t n, const struct bundle_keys *old,
    const struct bundle_keys *now, const char *token, struct err *e)
{
	struct buf pdf = BUF_INIT;
	int rc = -1;

	if (strcmp(old->login, now->login) != 0) {
		err_set(e, ERR_DATA, "document: rekey to another login");
		goto out;
	}
	if (docseal_open(&pdf, in, n, old->login, token, old->data_key, e) == -1 ||
	    docseal_seal(out, now, token, pdf.data, pdf.len, e) == -1)
		goto out;
	rc = 0;
out:
	buf_wipe_free(&pdf);
	return rc;
}

int
docseal_name_of(const char *name, const char *stem, char token_out[DOCSEAL_TOKEN_LEN + 1])
{
	size_t s = strlen(stem), i = s + sizeof DOCSEAL_INFIX - 1;

	if (strncmp(name, stem, s) != 0 || strncmp(name + s, DOCSEAL_INFIX,
	    sizeof DOCSEAL_INFIX - 1) != 0 || strlen(name) != i + DOCSEAL_TOKEN_LEN + 4 ||
	    strcmp(name + i + DOCSEAL_TOKEN_LEN, ".bin") != 0)
		return 0;
	for (; i < s + sizeof DOCSEAL_INFIX - 1 + DOCSEAL_TOKEN_LEN; i++)
		if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
			return 0;
	if (token_out != NULL) {
		memcpy(token_out, name + s + sizeof DOCSEAL_INFIX - 1, DOCSEAL_TOKEN_LEN);
		token_out[DOCSEAL_TOKEN_LEN] = '\0';
	}
	return 1;
}
