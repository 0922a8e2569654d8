/*
 * cpus.h — how many threads to use by default: the processors online.
 *
 * One place for what generate, credentials issue and audit snapshot
 * need: sysconf(_SC_NPROCESSORS_ONLN), at least 1, at most a cap.
 * Inline, so that callers (and the static analyzer, which reads one file
 * at a time) see that the result is never 0.
 */
#ifndef CZYNSZE_CPUS_H
#define CZYNSZE_CPUS_H

#include <unistd.h>

/* The processors online, clamped to 1 .. max; 1 when the system cannot
 * tell or max is 0.  Can't fail. */
static inline unsigned
cpus_online(unsigned max)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1 || max < 1)
		return 1;
	return (unsigned long)n > max ? max : (unsigned)n;
}

#endif
