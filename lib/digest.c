#include "digest.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_BLOCK_BYTES (1u << 20)

static void
to_hex(char hex[SHA256_HEX_LEN + 1], const unsigned char *md)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[SHA256_HEX_LEN] = '\0';
}

int
sha256_file(char hex[SHA256_HEX_LEN + 1], uint64_t *bytes, const char *path,
    struct err *e)
{
	EVP_MD_CTX *md = NULL;
	unsigned char *block = NULL, out[EVP_MAX_MD_SIZE];
	unsigned int outlen = 0;
	uint64_t total = 0;
	int fd = -1, rc = -1;
	ssize_t n;

	md = EVP_MD_CTX_new();
	block = malloc(READ_BLOCK_BYTES);
	if (md == NULL || block == NULL) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		err_set(e, ERR_INTERNAL, "sha256: init failed");
		goto out;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		err_sys(e, "%s", path);
		goto out;
	}
	for (;;) {
		n = read(fd, block, READ_BLOCK_BYTES);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			err_sys(e, "%s: read", path);
			goto out;
		}
		if (n == 0)
			break;
		if (EVP_DigestUpdate(md, block, (size_t)n) != 1) {
			err_set(e, ERR_INTERNAL, "sha256: update failed");
			goto out;
		}
		total += (uint64_t)n;
	}
	if (EVP_DigestFinal_ex(md, out, &outlen) != 1 || outlen != 32) {
		err_set(e, ERR_INTERNAL, "sha256: final failed");
		goto out;
	}
	to_hex(hex, out);
	if (bytes != NULL)
		*bytes = total;
	rc = 0;
out:
	if (fd != -1)
		(void)close(fd);
	free(block);
	EVP_MD_CTX_free(md);
	return rc;
}

int
sha256_hex(char hex[SHA256_HEX_LEN + 1], const void *p, size_t n, struct err *e)
{
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int outlen = 0;

	if (EVP_Digest(p, n, out, &outlen, EVP_sha256(), NULL) != 1 || outlen != 32)
		return err_set(e, ERR_INTERNAL, "sha256 failed");
	to_hex(hex, out);
	return 0;
}

struct sha256_set {
	EVP_MD *md;                  /* fetched once for every stream */
	size_t n;
	EVP_MD_CTX **ctx;            /* n; NULL until first added to */
};

int
sha256_set_new(struct sha256_set **out, size_t n, struct err *e)
{
	struct sha256_set *s;

	s = calloc(1, sizeof *s);
	if (s == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	s->n = n;
	s->ctx = calloc(n > 0 ? n : 1, sizeof(EVP_MD_CTX *));
	if (s->ctx == NULL) {
		sha256_set_free(s);
		return err_set(e, ERR_SYSTEM, "out of memory");
	}
	s->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (s->md == NULL) {
		sha256_set_free(s);
		return err_set(e, ERR_INTERNAL, "sha256: no implementation");
	}
	*out = s;
	return 0;
}

void
sha256_set_free(struct sha256_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; s->ctx != NULL && i < s->n; i++)
		EVP_MD_CTX_free(s->ctx[i]);
	free(s->ctx);
	EVP_MD_free(s->md);
	free(s);
}

int
sha256_set_add(struct sha256_set *s, size_t i, const void *p, size_t len, struct err *e)
{
	EVP_MD_CTX *c = s->ctx[i];

	if (c == NULL) {
		c = EVP_MD_CTX_new();
		if (c == NULL)
			return err_set(e, ERR_SYSTEM, "out of memory");
		if (EVP_DigestInit_ex(c, s->md, NULL) != 1) {
			EVP_MD_CTX_free(c);
			return err_set(e, ERR_INTERNAL, "sha256: init failed");
		}
		s->ctx[i] = c;
	}
	if (EVP_DigestUpdate(c, p, len) != 1)
		return err_set(e, ERR_INTERNAL, "sha256: update failed");
	return 0;
}

int
sha256_set_final(struct sha256_set *s, size_t i, unsigned char out[SHA256_BYTES],
    struct err *e)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int ok;

	if (s->ctx[i] == NULL)
		ok = EVP_Digest("", 0, md, &n, s->md, NULL) == 1;
	else
		ok = EVP_DigestFinal_ex(s->ctx[i], md, &n) == 1;
	EVP_MD_CTX_free(s->ctx[i]);
	s->ctx[i] = NULL;
	if (!ok || n != SHA256_BYTES)
		return err_set(e, ERR_INTERNAL, "sha256: final failed");
	memcpy(out, md, SHA256_BYTES);
	return 0;
}

struct sha1_stream {
	EVP_MD_CTX *ctx;
};

int
sha1_stream_new(struct sha1_stream **out, struct err *e)
{
	struct sha1_stream *s = calloc(1, sizeof *s);

	if (s == NULL || (s->ctx = EVP_MD_CTX_new()) == NULL) {
		sha1_stream_free(s);
		return err_set(e, ERR_SYSTEM, "out of memory");
	}
	if (EVP_DigestInit_ex(s->ctx, EVP_sha1(), NULL) != 1) {
		sha1_stream_free(s);
		return err_set(e, ERR_INTERNAL, "sha1: init failed");
	}
	*out = s;
	return 0;
}

int
sha1_stream_add(struct sha1_stream *s, const void *p, size_t n, struct err *e)
{
	if (EVP_DigestUpdate(s->ctx, p, n) != 1)
		return err_set(e, ERR_INTERNAL, "sha1: update failed");
	return 0;
}

int
sha1_stream_final(struct sha1_stream *s, unsigned char out[SHA1_BYTES], struct err *e)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_DigestFinal_ex(s->ctx, md, &n) != 1 || n != SHA1_BYTES)
		return err_set(e, ERR_INTERNAL, "sha1: final failed");
	memcpy(out, md, SHA1_BYTES);
	return 0;
}

int
sha1_stream_restart(struct sha1_stream *s, struct err *e)
{
	if (EVP_DigestInit_ex(s->ctx, EVP_sha1(), NULL) != 1)
		return err_set(e, ERR_INTERNAL, "sha1: init failed");
	return 0;
}

void
sha1_stream_free(struct sha1_stream *s)
{
	if (s == NULL)
		return;
	EVP_MD_CTX_free(s->ctx);
	free(s);
}
