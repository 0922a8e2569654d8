/* seal.c — bundles per second: what `generate` pays per resident for
 * encryption (no KDF), and for re-sealing last night's bundle with a new
 * export's header (bundle_reseal: what an unchanged resident costs), the
 * sealing as its peer.  seal N FRAGMENT_FILE; run by tests/bench/seal.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle.h"
#include "fsutil.h"
#include "secure.h"

int
main(int argc, char **argv)
{
	struct bundle_keys k;
	struct bundle_head h[2];
	struct buf out = BUF_INIT, again = BUF_INIT;
	struct timespec t0, t1;
	struct err e;
	char *frag = NULL;
	size_t n = 0, total = 0;
	long i, count = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
	double s, sealing;

	err_clear(&e);
	memset(&k, 0, sizeof k);
	(void)snprintf(k.login, sizeof k.login, "benchlogin");
	k.iterations = BUNDLE_ITERATIONS_MIN;
	if (bundle_head_set(&h[0], "2021-12-28T02:00:13", "0123456789abcdef", &e) == -1 ||
	    bundle_head_set(&h[1], "2021-12-29T02:00:13", "fedcba9876543210", &e) == -1 ||
	    argc < 3 || read_file(&frag, &n, argv[2], BUNDLE_FRAGMENT_BYTES_MAX, &e) == -1 ||
	    crypto_random(k.data_key, sizeof k.data_key, &e) == -1) {
		fprintf(stderr, "seal: %s\n", e.msg);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < count; i++) {
		buf_reset(&out);
		frag[i % n] ^= 1;   /* a different statement each time */
		if (bundle_seal(&out, &k, &h[0], frag, n, &e) == -1) {
			fprintf(stderr, "seal: %s\n", e.msg);
			return 1;
		}
		total += out.len;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("sealed %ld bundles of a %zu-byte statement in %.2f s: %.0f bundles/s, "
	    "mean bundle %zu bytes (one core)\n", count, n, s, (double)count / s,
	    total / (size_t)count);
	sealing = s;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < count; i++) {
		buf_reset(&again);
		if (bundle_reseal(&again, &k, &h[(i + 1) % 2], out.data, out.len, &e) == -1) {
			fprintf(stderr, "seal: reseal: %s\n", e.msg);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("re-sealed %ld bundles for a new export in %.2f s: %.0f bundles/s, "
	    "%.2f of the time sealing took (one core)\n", count, s, (double)count / s,
	    s / sealing);
	secure_wipe(&k, sizeof k);
	buf_free(&out);
	buf_free(&again);
	free(frag);
	return 0;
}
