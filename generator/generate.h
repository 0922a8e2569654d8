/*
 * generate.h — `czynsze generate`: the site from the database.
 *
 * Output folder OUT:
 *   OUT/NAME.html         the public pages: every TEMPLATES/NAME.html except
 *                         partials (_*.html) and statement.html
 *   OUT/css/ OUT/js/ ...  every subfolder of TEMPLATES, copied as it is
 *   OUT/r/LOGIN.bin       one sealed bundle per resident with a live
 *                         login (keys.db), written by site_write_resident()
 *                         (site_resident.h);
 *                         files, not a folder each: a folder per resident
 *                         cost three times the file system work
 *   OUT/auth/NN.json      the public salt shards (generator/access.h)
 *   HTPASSWD/NN           the htpasswd files, outside OUT (access.h)
 * With `plain` (the office's printable statements, never to be published):
 *   OUT/r/PERSON/statement.html  every card holder's statement in clear
 *
 * Deterministic: the same database and templates give the same bytes (no
 * generation time anywhere, ordering by key), whatever the number of
 * workers.  A file is replaced only when its content changed, so a second
 * run writes nothing.  Bundles and folders of people who no longer hold a
 * card (or a login) are removed from OUT/r/.
 *
 * The pipeline (generate.c): the values and public pages
 * (public_pages.h), the residents (residents.h), then the cleanup:
 * removing what no longer belongs under OUT/r/, the access files
 * (access.h), one sync.
 *
 * Speed.  Residents are split between `jobs` threads, each with its own
 * database and keys.db connections (residents.h).  OUT/r/.digests
 * (digests.h) keeps a keyed tag of what each resident's bundle was made
 * from (the statement's rows, statement.h statement_digest; their keys;
 * the program's own bytes) and the export the bundles were sealed for
 * (bundle.h's header): a resident whose tag and bundle are unchanged is
 * not rendered again.  For the same export nothing of theirs is written;
 * for a new one (every night: the header sealed inside each bundle names
 * it) their last bundle is opened with their data key and its compressed
 * statement sealed anew with the new header (site_reseal_resident: two
 * AES-GCM passes, no rendering, no gzip).  So a night where few residents
 * changed costs a few rows per person, a re-seal and a write per
 * resident, and the ledgers of those who changed.
 *
 * Durability.  Files are replaced atomically (a new file renamed over the
 * old one) but not fsynced one by one: generate_run ends with one
 * syncfs(2) of the output's file system when anything was written.
 * Nobody relies on the folder before it returns (the nightly job
 * publishes a generation by one rename afterwards); a crash before that
 * leaves files that are old or new, or empty ones the next run rewrites:
 * it compares bytes, and a bundle not ending in its recorded GCM tag is
 * rendered again.
 *
 * Values the templates may use (template.h): coop_name, coop_nip,
 * coop_street, coop_postcode, coop_town, as_of ("Dane według stanu na
 * 28.12.2021, 02:00"), export_date ("28.12.2021"), export_at
 * ("2021-12-28T02:00:13": login.js refuses a bundle sealed for an older
 * export), announcements (HTML:
 * the announcements in force on the export date), base ("" on public
 * pages, "../../" on a resident's page: prefix for css/ and js/ links),
 * the cooperative's details from the configuration (site_details.h),
 * and on statement.html also statement (the fragment, HTML).
 */
#ifndef CZYNSZE_GENERATE_H
#define CZYNSZE_GENERATE_H

#include "buf.h"
#include "bundle.h"
#include "date.h"
#include "db.h"
#include "err.h"
#include "fsutil.h"
#include "template.h"

struct access;
struct config;
struct home;

/* The output folder's mode: the site is what the web server serves
 * (docs/security.md); the printable statements (plain) are personal data
 * in clear: owner-only (site_files.h owner_only). */
#define GENERATE_DIR_MODE(g) ((g)->plain ? 0700 : 0755)
#define GENERATE_RESIDENT_DIR "r"
#define GENERATE_STATEMENT_TEMPLATE "statement.html"
#define GENERATE_BUNDLE_SUFFIX ".bin"     /* OUT/r/LOGIN.bin */
#define GENERATE_FILE_BYTES_MAX (256u * 1024 * 1024)
#define GENERATE_JOBS_MAX 16
#define GENERATE_JOB_MIN 64          /* residents per worker at least */

struct generate {
	/* set by the caller */
	const char *out_dir;
	const char *templates_dir;
	const struct config *config;  /* HOME/czynsze.conf: the cooperative's
	                               details (required, site_details.h) */
	int plain;                  /* --plain: printable pages in clear */
	const char *keys_db_path;   /* HOME/keys.db (not with plain) */
	const char *htpasswd_dir;   /* HOME/htpasswd.d (not with plain); NULL: no
	                               OUT/auth/ nor htpasswd files (nightly:
	                               they live in HOME/access, access_live.h) */
	int verbose;                /* name every file written */
	struct db *db;
	const char *db_path;        /* the file of db: workers open their own
	                               connections (NULL: one worker, on db) */
	int jobs;                   /* worker threads; 0: one per processor */
	int full;                   /* render every resident (the digests of
	                               the last run are not trusted) */
	const struct home *home;    /* HOME: the document store (docstore.h),
	                               for each resident's sealed documents
	                               (site_resident.h); NULL: none */
	/* filled by generate_run */
	struct tpl *statement_page; /* statement.html (with --plain only) */
	struct access *access;      /* keys.db (without --plain) */
	struct tpl_vars vars;
	struct bundle_head head;    /* the export's, sealed into every bundle */
	char export_date[DATE_ISO_LEN + 1];   /* "2021-12-28" */
	unsigned long written, unchanged, removed, residents;
	unsigned long skipped;      /* residents not rendered: digest unchanged */
	unsigned long resealed;     /* ... of them, sealed anew for a new export */
};

/* Writes the whole site.  The struct's counters tell what happened.
 * ERR_DATA for a template error or a database without an export,
 * ERR_SYSTEM for I/O. */
int generate_run(struct generate *g, struct err *e);

/* Releases what generate_run kept (templates, values).  NULL-safe. */
void generate_free(struct generate *g);

#endif
