/*
 * generation.h — the published site as generations behind one symlink.
 *
 *   HOME/site                     symlink "sites/NAME": what nginx serves
 *   HOME/sites/NAME/www/          a complete, fsynced site (a generation):
 *   HOME/sites/NAME/htpasswd.d/   its document root and its logins
 *   HOME/sites/.staging-NAME/     a generation being written (never served)
 *
 * NAME is the export's timestamp, 20211228T020013, with ".N" appended when
 * the same export is generated again (new templates, say).  Generations
 * are ordered by (timestamp, N); a name not starting with '.' under
 * sites/ is always complete, because a staging folder is renamed to its
 * name only after every file and folder in it was fsynced.
 *
 * Switching is one rename(2) of a fresh symlink over HOME/site: readers
 * see the old generation or the new one, never a mix.
 *
 * Unchanged files cost nothing: a staging folder starts as a hard-linked
 * copy of the live generation, and the generator replaces a file only
 * when its bytes differ, always through a new file renamed over the link
 * (write_file_atomic), so the live generation's inodes are never written.
 * Anything writing into a staging folder must keep that rule.
 */
#ifndef CZYNSZE_GENERATION_H
#define CZYNSZE_GENERATION_H

#include <stddef.h>

#include "err.h"
#include "home.h"

#define SITES_DIR "sites"
#define SITE_LINK "site"
#define GENERATION_NAME_MAX 48
/* Inside a generation: the document root, and the htpasswd files nginx
 * checks logins against — beside it, not in it, and switched with it by
 * the one symlink, so that logins and bundles always match. */
#define GENERATION_WWW "www"
#define GENERATION_HTPASSWD "htpasswd.d"
#define GENERATIONS_MAX 1000          /* folders under sites/ considered */

struct generations {
	size_t n;
	char name[GENERATIONS_MAX][GENERATION_NAME_MAX];   /* oldest first */
};

/* The live generation's name into out ("" when HOME/site does not exist).
 * ERR_SYSTEM when HOME/site is not a symlink into sites/. */
int generation_live(const struct home *h, char out[GENERATION_NAME_MAX], struct err *e);

/* Every complete generation, oldest first.  g is large: allocate it. */
int generation_list(const struct home *h, struct generations *g, struct err *e);

/* A name not yet used under sites/ for an export made at generated_at
 * ("2021-12-28T02:00:13").  ERR_DATA for a malformed timestamp. */
int generation_new_name(const struct home *h, const char *generated_at,
    char out[GENERATION_NAME_MAX], struct err *e);

/* Creates HOME/sites/.staging-NAME (removing a leftover one) as a
 * hard-linked copy of generation `from` (NULL or "": empty).  Its path
 * goes to path_out.  *linked counts the files linked. */
int generation_stage(const struct home *h, const char *name, const char *from,
    char path_out[PATH_BYTES_MAX], unsigned long *linked, struct err *e);

/* Commits the staging folder: makes it durable (fsync of every folder in
 * it) and renames it to HOME/sites/NAME (rename_durable).  "Commit" is
 * the word for a durable rename; "seal" means encryption (bundle.h). */
int generation_commit(const struct home *h, const char *name, struct err *e);

/* Points HOME/site at sites/NAME in one rename.  ERR_SYSTEM when HOME/site
 * is a real folder (move it away first). */
int generation_switch(const struct home *h, const char *name, struct err *e);

/* Removes HOME/sites/NAME (complete or staging); missing is fine. */
int generation_remove(const struct home *h, const char *name, struct err *e);

/* Removes every staging folder (left by an interrupted run). */
int generation_clean_staging(const struct home *h, struct err *e);

/* Keeps the newest `keep` generations and the live one; removes the rest.
 * *removed counts them. */
int generation_prune(const struct home *h, size_t keep, size_t *removed, struct err *e);

/* Orders two generation names: <0, 0, >0. */
int generation_cmp(const char *a, const char *b);

#endif
