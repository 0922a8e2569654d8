/*
 * generate.c — `czynsze generate`, the pipeline (generate.h): the public
 * pages, the residents, the cleanup.  The machinery of each step lives
 * beside it: public_pages.c, residents.c (the worker pool, digests.c),
 * site_resident.c (the one exit of a resident's statement).
 */
#include "generate.h"

#include <stdio.h>

#include "access.h"
#include "public_documents.h"
#include "public_pages.h"
#include "residents.h"
#include "site_details.h"
#include "site_files.h"

/* Removes OUT/r/X, a file or a folder, for every X not in keep: residents
 * who lost their login or their card, and what an older layout left. */
static int
remove_stale(struct generate *g, struct names *keep, struct err *e)
{
	struct names have = NAMES_INIT;
	char rdir[PATH_BYTES_MAX], path[PATH_BYTES_MAX];
	size_t i;
	int rc = -1;

	names_sort(keep);
	if (path_join(rdir, g->out_dir, GENERATE_RESIDENT_DIR, e) == -1 ||
	    list_dir(&have, rdir, LIST_BOTH, e) == -1)
		goto out;
	for (i = 0; i < have.n; i++) {
		if (names_has(keep, have.v[i]))
			continue;
		if (path_join(path, rdir, have.v[i], e) == -1 || remove_tree(path, e) == -1)
			goto out;
		g->removed++;
		if (g->verbose)
			(void)printf("removed %s/%s\n", GENERATE_RESIDENT_DIR, have.v[i]);
	}
	rc = 0;
out:
	names_free(&have);
	return rc;
}

int
generate_run(struct generate *g, struct err *e)
{
	struct site_writer site = { g->out_dir, g->verbose, NULL, 0, 0, g->plain };
	struct names written = NAMES_INIT;
	int rc = -1, in_tx = 0;

	/* Reading every card's history touches the whole database: map it
	 * (pread per page dominated otherwise), then one read transaction,
	 * a consistent snapshot locked once. */
	if (db_exec(g->db, "PRAGMA mmap_size = 4294967296; PRAGMA cache_size = -65536", e) == -1 ||
	    db_exec(g->db, "BEGIN", e) == -1)
		goto out;
	in_tx = 1;

	/* 1. what every page shows, the public pages */
	if (mkdir_p(g->out_dir, GENERATE_DIR_MODE(g), e) == -1 ||
	    site_details_vars(&g->vars, g->config, e) == -1 ||
	    site_values_load(&g->vars, g->export_date, &g->head, g->db, e) == -1)
		goto out;
	if (g->plain && tpl_load(&g->statement_page, g->templates_dir,
	    GENERATE_STATEMENT_TEMPLATE, e) == -1)
		goto out;
	if (!g->plain && access_open(&g->access, g->keys_db_path, e) == -1)
		goto out;
	/* the public documents (in clear, and listed for dokumenty.html) */
	if (public_documents_write(&site, &g->vars, g->db, g->plain ? NULL : g->home, e) == -1 ||
	    public_pages_write(&site, g->templates_dir, &g->vars, e) == -1)
		goto out;

	/* 2. every resident's file */
	if (residents_write(g, &site, &written, e) == -1)
		goto out;

	/* 3. cleanup: what no longer belongs under OUT/r/, the access files,
	 * and the files written without an fsync each made durable at once */
	if (remove_stale(g, &written, e) == -1)
		goto out;
	if (!g->plain && g->htpasswd_dir != NULL &&
	    access_write_files(g->access, g->out_dir, g->htpasswd_dir, e) == -1)
		goto out;
	g->written = site.written;
	g->unchanged = site.unchanged;
	if (g->written > 0 && sync_filesystem(g->out_dir, e) == -1)
		goto out;
	rc = 0;
out:
	if (in_tx)
		db_rollback(g->db);   /* nothing was written: ending it is enough */
	names_free(&written);
	return rc;
}

void
generate_free(struct generate *g)
{
	if (g == NULL)
		return;
	tpl_free(g->statement_page);
	g->statement_page = NULL;
	access_close(g->access);
	g->access = NULL;
	tpl_vars_free(&g->vars);
}
