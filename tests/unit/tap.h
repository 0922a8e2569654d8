/*
 * tap.h — a minimal Test Anything Protocol emitter for unit tests.
 * Each test program: plan with tap_plan(), assert with ok()/is_int()/
 * is_str(), end with `return tap_done();` (nonzero when anything failed).
 */
#ifndef CZYNSZE_TAP_H
#define CZYNSZE_TAP_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static void
tap_plan(int n)
{
	printf("1..%d\n", n);
}

static int
tap_ok(int cond, const char *name, const char *file, int line)
{
	tap_n++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", tap_n, name);
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return cond;
}

#define ok(cond, name) tap_ok((cond) != 0, (name), __FILE__, __LINE__)

/* Counts test `name` as skipped, for `why`. */
static inline void
tap_skip(const char *name, const char *why)
{
	tap_n++;
	printf("ok %d - %s # SKIP %s\n", tap_n, name, why);
}

#define is_int(got, want, name) do { \
	int64_t g_ = (int64_t)(got), w_ = (int64_t)(want); \
	if (!tap_ok(g_ == w_, (name), __FILE__, __LINE__)) \
		printf("#   got %" PRId64 ", want %" PRId64 "\n", g_, w_); \
} while (0)

#define is_str(got, want, name) do { \
	const char *g_ = (got), *w_ = (want); \
	int same_ = g_ != NULL && w_ != NULL ? strcmp(g_, w_) == 0 : g_ == w_; \
	if (!tap_ok(same_, (name), __FILE__, __LINE__)) \
		printf("#   got  '%s'\n#   want '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
} while (0)

static int
tap_done(void)
{
	return tap_failed != 0;
}

#endif
