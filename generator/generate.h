/*
 * generate.h — `czynsze generate`: the site from the database.
 *
 * Output folder OUT:
 *   OUT/NAME.html         the public pages: every TEMPLATES/NAME.html except
 *                         partials (_*.html) and statement.html
 *   OUT/css/ OUT/js/ ...  every subfolder of TEMPLATES, copied as it is
 *   OUT/r/LOGIN/statement.bin   one sealed bundle per resident with a live
 *                         login (keys.db), written by site_write_resident()
 *   OUT/auth/NN.json      the public salt shards (generator/access.h)
 *   HTPASSWD/NN           the htpasswd files, outside OUT (access.h)
 * With `plain` (the office's printable statements, never to be published):
 *   OUT/r/PERSON/statement.html  every card holder's statement in clear
 *
 * Deterministic: the same database and templates give the same bytes (no
 * generation time anywhere, ordering by key).  A file is replaced only
 * when its content changed, so a second run writes nothing.  Folders of
 * people who no longer hold a card are removed from OUT/r/.
 *
 * Values the templates may use (template.h): coop_name, coop_nip,
 * coop_street, coop_postcode, coop_town, as_of ("Dane według stanu na
 * 28.12.2021, 02:00"), export_date ("28.12.2021"), announcements (HTML:
 * the announcements in force on the export date), base ("" on public
 * pages, "../../" on a resident's page: prefix for css/ and js/ links),
 * and on statement.html also statement (the fragment, HTML).
 */
#ifndef CZYNSZE_GENERATE_H
#define CZYNSZE_GENERATE_H

#include "buf.h"
#include "db.h"
#include "err.h"
#include "fsutil.h"
#include "template.h"

struct access;

#define GENERATE_RESIDENT_DIR "r"
#define GENERATE_FILE_BYTES_MAX (256u * 1024 * 1024)

struct generate {
	/* set by the caller */
	const char *out_dir;
	const char *templates_dir;
	int plain;                  /* --plain: printable pages in clear */
	const char *keys_db_path;   /* HOME/keys.db (not with plain) */
	const char *htpasswd_dir;   /* HOME/htpasswd.d (not with plain) */
	int verbose;                /* name every file written */
	struct db *db;
	/* filled by generate_run */
	struct tpl *statement_page; /* statement.html (with --plain only) */
	struct access *access;      /* keys.db (without --plain) */
	struct tpl_vars vars;
	unsigned long written, unchanged, removed, residents;
};

/* Writes the whole site.  The struct's counters tell what happened.
 * ERR_DATA for a template error or a database without an export,
 * ERR_SYSTEM for I/O. */
int generate_run(struct generate *g, struct err *e);

/* Releases what generate_run kept (templates, values).  NULL-safe. */
void generate_free(struct generate *g);

/* Writes OUT/rel (creating folders) unless it already holds exactly
 * data[0..n); counts written/unchanged.  The one way output is written. */
int site_write_file(struct generate *g, const char *rel, const void *data, size_t n,
    struct err *e);

/*
 * The per-resident output: the ONE place a resident's statement leaves
 * the generator (generator/site_resident.c).  Seals the fragment for the
 * person's login and writes OUT/r/LOGIN/statement.bin, or with plain
 * writes the printable page OUT/r/PERSON/statement.html.  *dir_out gets
 * the folder name written under OUT/r/ ("" when the person has no live
 * login and nothing was written).
 */
int site_write_resident(struct generate *g, const char *person_id,
    const struct buf *fragment, struct buf *dir_out, struct err *e);

/* The folder name under OUT/r/ for a person id: the id percent-encoded
 * (html_url_component); ERR_DATA for an id that would start with '.'. */
int site_resident_dir(struct buf *out, const char *person_id, struct err *e);

#endif
