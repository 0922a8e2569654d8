/*
 * fuzz_util.h — helpers shared by the libFuzzer harnesses (tests/fuzz/).
 *
 * The readers take a directory and a file name (they stream from disk), so
 * each harness writes its input to a private scratch directory made once
 * per process (on /dev/shm when there is one) and removed at exit.  This
 * keeps the product API unchanged; the cost is one small write per input.
 *
 * Harness code may keep static state (libFuzzer calls a plain function);
 * the product code may not.
 */
#ifndef CZYNSZE_FUZZ_UTIL_H
#define CZYNSZE_FUZZ_UTIL_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "text.h"

static char fuzz_dir[256];

static void
fuzz_dir_remove(void)
{
	struct err e;

	if (fuzz_dir[0] != '\0')
		(void)remove_tree(fuzz_dir, &e);
}

/* Makes the scratch directory; aborts when it cannot (nothing to fuzz). */
__attribute__((unused)) static const char *
fuzz_dir_make(void)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

	if (fuzz_dir[0] != '\0')
		return fuzz_dir;
	if ((size_t)snprintf(fuzz_dir, sizeof fuzz_dir, "%s/czynsze-fuzz.XXXXXX", base) >=
	    sizeof fuzz_dir || mkdtemp(fuzz_dir) == NULL) {
		perror("fuzz: mkdtemp");
		abort();
	}
	(void)atexit(fuzz_dir_remove);
	return fuzz_dir;
}

/* Writes data[0..n) to fuzz_dir/name, replacing it; aborts on failure. */
__attribute__((unused)) static void
fuzz_write(const char *name, const uint8_t *data, size_t n)
{
	char path[512];
	size_t off = 0;
	ssize_t w;
	int fd;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", fuzz_dir_make(), name) >= sizeof path)
		abort();
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1) {
		perror(path);
		abort();
	}
	while (off < n) {
		w = write(fd, data + off, n - off);
		if (w <= 0) {
			perror(path);
			abort();
		}
		off += (size_t)w;
	}
	if (close(fd) == -1)
		abort();
}

/* A property of the code under test does not hold: stop with a report. */
#define FUZZ_CHECK(cond) do { \
	if (!(cond)) { \
		(void)fprintf(stderr, "fuzz: property failed: %s (%s:%d)\n", #cond, \
		    __FILE__, __LINE__); \
		abort(); \
	} \
} while (0)

/* An error message is one line of valid UTF-8 without control
 * characters (it goes to a terminal and a log) and, when file is not
 * NULL, starts with that file's name. */
__attribute__((unused)) static void
fuzz_check_message(const char *msg, const char *file)
{
	size_t i, n = strlen(msg);

	for (i = 0; i < n; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7F)
			break;
	if (i < n || utf8_valid_prefix(msg, n) != n)
		(void)fprintf(stderr, "fuzz: bad message: %s\n", msg);
	FUZZ_CHECK(i == n && utf8_valid_prefix(msg, n) == n);
	if (file != NULL)
		FUZZ_CHECK(strncmp(msg, file, strlen(file)) == 0);
}

#endif
