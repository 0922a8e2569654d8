/*
 * import.h — `czynsze import`: one export folder into HOME/czynsze.db.
 *
 * All or nothing: the export is loaded into a new database file beside
 * the live one (HOME/czynsze.db.new), checked, and renamed over it only
 * when everything succeeded; a failure or a crash at any moment leaves
 * the live database exactly as it was.  The caller holds the home's lock
 * (lock.h), so two imports never interleave.
 */
#ifndef CZYNSZE_IMPORT_H
#define CZYNSZE_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "err.h"
#include "home.h"
#include "manifest.h"

enum import_outcome {
	IMPORT_OK,          /* a new database is live */
	IMPORT_UNCHANGED,   /* this very export is already live: nothing done */
};

struct import_opts {
	const char *export_dir;
	int force;          /* import even if older than the live export */
	FILE *progress;     /* progress lines (a terminal), or NULL: the file being
	                       read, then its rows so far about once a second */
	int no_failure_log; /* set by `czynsze nightly`: a failed run is not
	                       recorded in the live database, which then stays
	                       byte for byte as it was (the job has its own log) */
};

struct import_result {
	enum import_outcome outcome;
	char generated_at[20];
	char manifest_sha256[SHA256_HEX_LEN + 1];
	uint64_t rows[FILE_COUNT];
	uint64_t components;
	uint64_t warnings;           /* balance and charge warnings (table warning) */
	uint64_t reading_warnings;   /* meter readings' (table reading_warning) */
};

/*
 * Imports o->export_dir.  Returns 0 with *r filled, or -1 with e set:
 * ERR_DATA for a bad export (every data error found is in diag, the
 * first in e), ERR_REFUSED for an export older than the live one without
 * force, ERR_SYSTEM for I/O trouble.  Every run, failed or not, is
 * recorded in the import_run table of the live database.  A format 2
 * export's documents are added to the document store (docstore.h) before
 * the new database is renamed into place; once it is, the store is
 * pruned to what the live and the previous database name.
 */
int import_run(const struct home *h, const struct import_opts *o,
    struct import_result *r, struct diag *diag, struct err *e);

#endif
