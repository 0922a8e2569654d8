#include "docstore.h"

#include <stdio.h>
#include <string.h>

#include "crypto.h"

int
docstore_path(const struct home *h, const char *sha256_hex, char *out, size_t n)
{
	int len;

	if (n > 0)
		out[0] = '\0';
	if (strlen(sha256_hex) != DOCSTORE_HEX_LEN ||
	    !crypto_is_hex(sha256_hex, DOCSTORE_HEX_LEN))
		return -1;
	len = snprintf(out, n, "%s/" DOCSTORE_DIR "/%.2s/%s.pdf", h->dir, sha256_hex, sha256_hex);
	if (len < 0 || (size_t)len >= n) {
		if (n > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}
