/*
 * site_resident.h — the ONE place a resident's statement leaves the
 * generator: site_write_resident() renders one person's statement and
 * writes it under OUT/r/.  generate (generator/residents.c) calls it for
 * every resident whose bundle changed; `credentials issue` may call it
 * for one newly issued resident, into the live generation.
 *
 * Published site: the fragment (render_statement.h, the export's date
 * left to the header sealed with it) is compressed and sealed with that
 * header under the resident's data key (access.h, bundle.h) and written
 * as OUT/r/LOGIN.bin; a person without a live login gets nothing.
 * site_reseal_resident writes the same bundle without rendering: last
 * night's bundle of an unchanged resident, re-sealed with the new header.
 * With plain (the office's printed statements, never published): the
 * fragment wrapped in statement.html, a full printable page, in clear as
 * OUT/r/PERSON/statement.html.
 *
 * Writing: through site_write_file (site_files.h): only when the bytes
 * change, always to a new file renamed over the old one, never into the
 * old file: a bundle hard-linked into another generation keeps its bytes
 * there.  Not fsynced: a caller that publishes the folder by itself calls
 * sync_filesystem(OUT) afterwards (generate_run does, once per run).
 * OUT/r/.digests (digests.h) is not touched: a bundle written here that
 * the cache does not know is rendered again by the next generate.
 */
#ifndef CZYNSZE_SITE_RESIDENT_H
#define CZYNSZE_SITE_RESIDENT_H

#include "access.h"
#include "buf.h"
#include "crypto.h"
#include "err.h"
#include "home.h"
#include "site_files.h"
#include "statement.h"
#include "template.h"

/* What a resident's file is made with: all borrowed, none freed here.
 * One per thread (access and q hold prepared statements). */
struct site_resident {
	struct site_writer *out;            /* OUT; counts written/unchanged */
	struct statement_query *q;          /* the database (statement.h) */
	int plain;                          /* printable page instead of a bundle */
	struct access *access;              /* sealed: keys.db (access_open) */
	const struct bundle_head *head;     /* sealed: the export's (bundle.h) */
	const struct tpl *statement_page;   /* plain: statement.html */
	const struct tpl_vars *vars;        /* plain: the page's values (generate.h) */
	int due_day;                        /* render_statement.h */
	const struct home *home;            /* sealed: the document store
	                                       (docstore.h); NULL: no documents */
};

/* What site_write_resident wrote (or found already there). */
struct site_resident_file {
	struct buf name;      /* under OUT/r/: "LOGIN.bin", or with plain the
	                         PERSON folder; "" when the person has no live
	                         login and nothing was written.  The caller frees
	                         it (buf_free). */
	char gcm_tag[2 * CRYPTO_GCM_TAG_BYTES + 1];   /* sealed: the bundle's GCM tag */
	unsigned long long size;                  /* sealed: the bundle's bytes */
};
#define SITE_RESIDENT_FILE_INIT { BUF_INIT, "", 0 }

/*
 * Renders person_id's statement and writes it (above).  out->name is
 * replaced.  Errors: ERR_DATA for a person id unusable as a folder name,
 * a statement too large to seal or a damaged keys.db row; ERR_SYSTEM for
 * I/O and memory.  On error no file of OUT is left half written (the old
 * one stays).  The plaintext is wiped before its memory is freed.
 */
int site_write_resident(const struct site_resident *r, const char *person_id,
    struct site_resident_file *out, struct err *e);

/*
 * Sealed only: for a resident whose statement did not change, OUT/r/name
 * (their LOGIN.bin), when it is the bundle last written for them (size
 * bytes ending in the GCM tag gcm_tag, hex), re-sealed with r->head
 * (access_reseal_resident: no rendering, no compression) and written.
 * Returns 1 with out filled as site_write_resident fills it; 0 when the
 * statement must be rendered instead (the file is missing or another, or
 * does not open with the person's data key: nothing written); -1 on
 * error (ERR_SYSTEM for I/O and memory, ERR_DATA for a damaged keys.db row).
 */
int site_reseal_resident(const struct site_resident *r, const char *person_id,
    const char *name, const char *gcm_tag, unsigned long long size,
    struct site_resident_file *out, struct err *e);

/*
 * Sealed only: each of s's documents (s->documents: statement_load or
 * statement_load_documents) for the person, as OUT/r/STEM.dTOKEN.bin
 * (docseal.h, STEM their bundle's stem), its name added to written.  A
 * file already there sealed under the person's data key in force (same
 * document, same login, same key version: docseal_current) is kept as it
 * is, never sealed again; else the PDF is read from the document store
 * (docstore.h), its SHA-256 checked, sealed and written (site_write_file;
 * counted in r->out, with verbose a "sealed" line).  Nothing without a
 * live login or without r->home.  Errors: ERR_DATA for a PDF missing
 * from the store or not matching its hash, a damaged keys.db row;
 * ERR_SYSTEM for I/O and memory.  The PDF's plaintext is wiped after use.
 */
int site_write_documents(const struct site_resident *r, const struct statement *s,
    struct names *written, struct err *e);

/* The folder name under OUT/r/ for a person id (plain): the id
 * percent-encoded (html_url_component); ERR_DATA for an id that would
 * start with '.'. */
int site_resident_dir(struct buf *out, const char *person_id, struct err *e);

#endif
