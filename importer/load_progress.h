/*
 * load_progress.h — the import's progress on a terminal.
 *
 * "obroty.csv: 1 200 000 / 10 000 000 rows (410 000 rows/s)", rewritten
 * in place about once a second.  Called from
 * inside SQLite (db_on_progress), so it reads the loaders' own counters
 * (l->rows, kept current while a file is read) in the loading thread.
 */
#ifndef CZYNSZE_LOAD_PROGRESS_H
#define CZYNSZE_LOAD_PROGRESS_H

#include <stdio.h>
#include <time.h>

#include "load.h"
#include "manifest.h"

struct load_progress {
	FILE *f;
	const struct load *l;
	const struct manifest *m;
	enum export_file file;
	struct timespec started, shown;
	int dirty;                    /* a line without its newline is out */
};

/* VM steps between clock readings (db_on_progress(db, LOAD_PROGRESS_OPS,
 * load_progress_tick, p)). */
#define LOAD_PROGRESS_OPS 20000

/* The db_on_progress callback: rewrites the line when a second passed. */
void load_progress_tick(void *p);
/* "czynsze: reading FILE" (ending the previous line).  p may be NULL or
 * have no stream: then nothing. */
void load_progress_start(struct load_progress *p, enum export_file f);

#endif
