/* month_totals.c — records of struct month_total in a file, one writer, one reader. */
#include "month_totals.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUFFERED_RECORDS 2048         /* written out 64 KiB at a time */

struct month_totals {
	int fd;
	char path[4096];
	_Atomic uint64_t written;     /* records in the file */
	_Atomic int finished;
	size_t buffered;
	struct month_total buf[BUFFERED_RECORDS];
};

int
month_totals_open(struct month_totals **out, const char *path, struct err *e)
{
	struct month_totals *t;

	t = calloc(1, sizeof *t);
	if (t == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if ((size_t)snprintf(t->path, sizeof t->path, "%s", path) >= sizeof t->path) {
		free(t);
		return err_set(e, ERR_USAGE, "path too long (%s)", path);
	}
	t->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (t->fd == -1) {
		free(t);
		return err_sys(e, "create %s", path);
	}
	*out = t;
	return 0;
}

void
month_totals_free(struct month_totals *t)
{
	if (t == NULL)
		return;
	(void)close(t->fd);
	free(t);
}

static int
flush(struct month_totals *t, struct err *e)
{
	const char *p = (const char *)t->buf;
	size_t left = t->buffered * sizeof t->buf[0];
	ssize_t n;

	while (left > 0) {
		n = write(t->fd, p, left);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return err_sys(e, "write %s", t->path);
		p += n;
		left -= (size_t)n;
	}
	t->written += t->buffered; /* the records are in the file: readable */
	t->buffered = 0;
	return 0;
}

int
month_totals_add(struct month_totals *t, size_t card, const char *period,
    int64_t total_gr, long line, struct err *e)
{
	struct month_total *r;

	if (card > UINT32_MAX)
		return err_set(e, ERR_INTERNAL, "month_totals_add: card number too large");
	if (t->buffered == BUFFERED_RECORDS && flush(t, e) == -1)
		return -1;
	r = &t->buf[t->buffered++];
	memset(r, 0, sizeof *r);
	r->total_gr = total_gr;
	r->line = line;
	r->card = (uint32_t)card;
	memcpy(r->period, period, PERIOD_ISO_LEN);
	return 0;
}

int
month_totals_finish(struct month_totals *t, struct err *e)
{
	int rc = flush(t, e);

	t->finished = 1;
	return rc;
}

int
month_totals_finished(const struct month_totals *t)
{
	return t->finished;
}

/* pread until n bytes are in or the file ends. */
static int
read_at(struct month_totals *t, void *buf, size_t n, uint64_t off, struct err *e)
{
	char *p = buf;
	ssize_t r;

	while (n > 0) {
		r = pread(t->fd, p, n, (off_t)off);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return err_sys(e, "read %s", t->path);
		if (r == 0)
			return err_set(e, ERR_SYSTEM, "%s: short read", t->path);
		p += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

int
month_totals_read(struct month_totals *t, uint64_t from, struct month_total *out,
    size_t max, size_t *got, struct err *e)
{
	uint64_t have = t->written;
	size_t n;

	*got = 0;
	if (from >= have || max == 0)
		return 0;
	n = have - from < max ? (size_t)(have - from) : max;
	if (read_at(t, out, n * sizeof *out, from * sizeof *out, e) == -1)
		return -1;
	*got = n;
	return 0;
}
