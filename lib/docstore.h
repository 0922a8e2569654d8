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

#endif
