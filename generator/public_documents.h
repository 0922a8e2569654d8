/*
 * public_documents.h — the cooperative's public documents (owner
 * "public" in dokumenty.xml: the statute, resolutions, house rules), for
 * everyone, without logging in.
 *
 * Each is copied in clear from the document store (docstore.h) to
 *   OUT/dokumenty/<first 12 hex digits of its SHA-256>-<file name>
 * (file name: render_statement.h document_file_name), and the template
 * value public_documents lists them, newest first, with title, kind,
 * date and size in words and a link to the file (dokumenty.html shows
 * it; "Brak dokumentów." when there are none).  Personal documents never
 * come here: they are sealed per resident (docseal.h).  Files under
 * OUT/dokumenty/ that are no longer listed are removed.
 */
#ifndef CZYNSZE_PUBLIC_DOCUMENTS_H
#define CZYNSZE_PUBLIC_DOCUMENTS_H

#include "db.h"
#include "err.h"
#include "home.h"
#include "site_files.h"
#include "template.h"

#define PUBLIC_DOCUMENTS_DIR "dokumenty"

/* Sets public_documents in vars from db (in its read transaction) and,
 * when home is not NULL, writes the files through w (site_write_file:
 * only what changed) and removes the stale ones.  ERR_DATA for a PDF
 * missing from the store or not matching its hash; ERR_SYSTEM for I/O. */
int public_documents_write(struct site_writer *w, struct tpl_vars *vars, struct db *db,
    const struct home *home, struct err *e);

#endif
