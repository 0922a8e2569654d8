/*
 * docstore.h — the document store: the PDFs of the live export, by hash.
 *
 *   HOME/documents/<first 2 hex digits>/<sha256>.pdf
 *
 * Content-addressed: a file's name is the lowercase hex SHA-256 of its
 * bytes, so a file is only ever added whole (written to a temporary file,
 * fsync, renamed) and never changed.  Folders are 0700, files 0600.  The
 * importer adds every document of an export before it commits the
 * database that names them (document.sha256, schema/005), and after a
 * successful import or rollback removes the files that neither the live
 * database nor czynsze.db.prev names.  Everybody else only reads, through
 * docstore_path().
 */
#ifndef CZYNSZE_DOCSTORE_H
#define CZYNSZE_DOCSTORE_H

#include <stddef.h>

#include "home.h"

#define DOCSTORE_DIR "documents"        /* under HOME */
#define DOCSTORE_HEX_LEN 64             /* a SHA-256 in lowercase hex */

/*
 * Writes HOME/documents/XX/<sha256_hex>.pdf into out[0..n).  Returns 0, or
 * -1 when sha256_hex is not 64 lowercase hex digits (document.sha256
 * always is) or the path does not fit in n bytes; out is then "".
 * Can't fail otherwise; touches no file.
 */
int docstore_path(const struct home *h, const char *sha256_hex, char *out, size_t n);

/*
 * Adds data[0..n), whose SHA-256 the caller computed as sha256_hex, to
 * the store: HOME/documents/XX is made (0700) if missing, the file is
 * written 0600 through a temporary file renamed into place, unless it is
 * already there holding exactly these bytes (checked, not assumed: then
 * nothing is written).  Not durable by itself: the caller makes what it
 * added durable with docstore_sync() before anything names it.  Returns 1
 * when written, 0 when it was already there, -1 on error (ERR_SYSTEM;
 * ERR_INTERNAL when sha256_hex is not one).
 */
int docstore_add(const struct home *h, const char *sha256_hex, const void *data, size_t n,
    struct err *e);

/* Makes every file added so far durable (syncfs of the store's file
 * system).  A missing store is fine.  Returns 0 or -1. */
int docstore_sync(const struct home *h, struct err *e);

/*
 * Removes from the store every file that neither HOME/czynsze.db nor
 * HOME/czynsze.db.prev names (document.sha256; a database without that
 * table names none), leftovers of interrupted writes included, and the
 * folders left empty.  Run under the home's lock after a database was
 * switched.  *removed (may be NULL) gets the number of files removed.
 * Returns 0 or -1 (ERR_SYSTEM, or a database that cannot be read: then
 * nothing was removed).
 */
int docstore_prune(const struct home *h, size_t *removed, struct err *e);

#endif
