/*
 * month_totals.h — the total of every card and month of naliczenia.xml,
 * handed from the thread that loads it to the main thread while it loads.
 *
 * The check of each month's components against its NAL booking needs
 * the ledger (main thread) and the components (charges thread).  Instead
 * of a pass over the charges once both are in (a seek per card-month,
 * serial at the end of the import), the charges thread appends one small
 * record per card-month to a file as it writes the charge, and the main
 * thread, done with the ledger, checks them as they come.  Record n is
 * the charge with id n + 1 (both count the card-months written), which
 * also gives the line of a charge for an error message.  Memory stays
 * bounded: the records go to a file (32 bytes a card-month), read back
 * in blocks.
 *
 * One writer thread (month_totals_add, month_totals_finish) and one
 * reader thread (month_totals_read, month_totals_finished); the counters
 * between them are atomic.  Records are read in the order written.
 */
#ifndef CZYNSZE_MONTH_TOTALS_H
#define CZYNSZE_MONTH_TOTALS_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "err.h"

struct month_total {
	int64_t total_gr;             /* sum of the components */
	int64_t line;                 /* of its <kartoteka> in naliczenia.xml */
	uint32_t card;                /* card_set number */
	char period[PERIOD_ISO_LEN + 1];
};

struct month_totals;

/* Creates path (owner-only, replacing it) for the records.  Free with
 * month_totals_free (NULL-safe), which closes it; the caller unlinks
 * path.  Returns 0, or -1 with e set (ERR_SYSTEM). */
int month_totals_open(struct month_totals **out, const char *path, struct err *e);
void month_totals_free(struct month_totals *t);

/* Writer: appends a record (buffered).  Returns 0, or -1 with e set. */
int month_totals_add(struct month_totals *t, size_t card, const char *period,
    int64_t total_gr, long line, struct err *e);
/* Writer: writes what is buffered and marks the end; call it once, also
 * after a failure (the reader then stops waiting).  Returns 0, or -1
 * with e set (the end is marked all the same). */
int month_totals_finish(struct month_totals *t, struct err *e);

/* Reader: up to max records from record number `from` on that the writer
 * has written out; *got gets their number (0: none yet, or none will
 * come once month_totals_finished).  Returns 0, or -1 with e set. */
int month_totals_read(struct month_totals *t, uint64_t from, struct month_total *out,
    size_t max, size_t *got, struct err *e);
/* Reader: whether the writer has finished (after which a read that gets
 * nothing means there is nothing more).  Can't fail. */
int month_totals_finished(const struct month_totals *t);

#endif
