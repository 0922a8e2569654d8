/*
 * site_resident.c — where a resident's statement leaves the generator.
 *
 * ======================================================================
 *  PHASE 1 (no encryption yet).  The credentials/encryption issue
 *  replaces the body of site_write_resident() with: compress, encrypt
 *  under the resident's data key, write the bundle.  Nothing else in
 *  the generator writes per-resident data.
 * ======================================================================
 *
 * Now: with --plain the fragment is wrapped in statement.html (a full
 * printable page, also the office's printed statement) and written to
 * OUT/r/PERSON/statement.html; otherwise the bare fragment goes to
 * OUT/r/PERSON/statement.frag.html.
 */
#include <stdio.h>

#include "generate.h"
#include "html.h"

int
site_write_resident(struct generate *g, const char *person_id, const struct buf *fragment,
    struct err *e)
{
	struct buf dir = BUF_INIT, rel = BUF_INIT, page = BUF_INIT;
	struct tpl_vars vars = TPL_VARS_INIT;
	int rc = -1;

	if (site_resident_dir(&dir, person_id, e) == -1)
		goto out;
	if (buf_printf(&rel, GENERATE_RESIDENT_DIR "/%s/%s", dir.data,
	    g->plain ? "statement.html" : "statement.frag.html") == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (!g->plain) {
		rc = site_write_file(g, rel.data, fragment->data, fragment->len, e);
		goto out;
	}
	/* the page's values plus the statement, with links two levels up */
	if (tpl_vars_copy(&vars, &g->vars, e) == -1 ||
	    tpl_set_html(&vars, "statement", fragment, e) == -1 ||
	    tpl_set_text(&vars, "base", "../../", e) == -1 ||
	    tpl_render(&page, g->statement_page, &vars, e) == -1)
		goto out;
	rc = site_write_file(g, rel.data, page.data, page.len, e);
out:
	buf_free(&dir);
	buf_free(&rel);
	buf_free(&page);
	tpl_vars_free(&vars);
	return rc;
}
