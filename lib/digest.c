#include "digest.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
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
