/*
 * diag.h — the list of problems one import found.
 *
 * A bad export is reported with every error found in the file being read,
 * up to DIAG_ERRORS_MAX, so that IT can fix the export in one go; the
 * first error is also the import's struct err.  Warnings (KSM's figures
 * disagree with the rows) never stop an import.
 */
#ifndef CZYNSZE_DIAG_H
#define CZYNSZE_DIAG_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define DIAG_ERRORS_MAX 20

struct diag {
	size_t errors;          /* data errors seen, including those not kept */
	struct buf error_text;  /* the first DIAG_ERRORS_MAX, one per line */
};

#define DIAG_INIT { 0, BUF_INIT }

/* Records the data error now in e (e keeps it).  Returns 0 while fewer
 * than DIAG_ERRORS_MAX errors were seen (keep reading), -1 after. */
int diag_error(struct diag *d, const struct err *e);

void diag_free(struct diag *d);

#endif
