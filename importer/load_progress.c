/*
 * load_progress.c — the import's progress on a terminal (load_progress.h).
 */
#include "load_progress.h"

#include <stdint.h>

static double
seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* "1 200 000": groups of three, as the residents' pages write numbers. */
static void
format_count(char out[32], uint64_t v)
{
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v), i, o = 0;

	for (i = 0; i < n && o < 30; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ' ';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

void
load_progress_tick(void *vp)
{
	struct load_progress *p = vp;
	struct timespec now;
	char done[32], total[32];
	double secs;

	if (clock_gettime(CLOCK_MONOTONIC, &now) == -1 || seconds_between(&p->shown, &now) < 1.0)
		return;
	p->shown = now;
	secs = seconds_between(&p->started, &now);
	format_count(done, p->l->rows[p->file]);
	format_count(total, p->m->file[p->file].rows);
	(void)fprintf(p->f, "\rczynsze: %s: %s / %s rows (%.0f rows/s)   ",
	    export_file_names[p->file], done, total,
	    secs > 0 ? (double)p->l->rows[p->file] / secs : 0.0);
	(void)fflush(p->f);
	p->dirty = 1;
}

void
load_progress_start(struct load_progress *p, enum export_file f)
{
	if (p == NULL || p->f == NULL)
		return;
	if (p->dirty)
		(void)fputc('\n', p->f);
	p->dirty = 0;
	p->file = f;
	(void)clock_gettime(CLOCK_MONOTONIC, &p->started);
	p->shown = p->started;
	(void)fprintf(p->f, "czynsze: reading %s\n", export_file_names[f]);
}
