/*
 * residents.h — every resident's file, written by a pool of worker
 * threads: the speed machinery of generate (generate.h, "Speed").
 *
 * The residents (every person holding a card, by id) are split into
 * contiguous shares, one per worker; each worker has its own database
 * and keys.db connections and its own struct site_writer, and writes
 * each of its residents through site_write_resident (site_resident.h),
 * or skips one whose bundle is unchanged since the last run
 * (digests.h).  The verbose lines come out in person order, as one
 * worker would print them.
 */
#ifndef CZYNSZE_RESIDENTS_H
#define CZYNSZE_RESIDENTS_H

#include "err.h"
#include "generate.h"
#include "site_files.h"

/* Writes every resident's file under OUT/r/ and (sealed) OUT/r/.digests,
 * through w (whose counters get every worker's); adds to g->residents
 * and g->skipped.  written gets the name under OUT/r/ of every file or
 * folder that belongs there now (remove_stale removes the others).
 * On error the first failing worker's error; files already written stay
 * (each one whole). */
int residents_write(struct generate *g, struct site_writer *w, struct names *written,
    struct err *e);

#endif
