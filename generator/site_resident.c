/*
 * site_resident.c — where a resident's statement leaves the generator.
 *
 * Published site: the fragment is compressed and sealed under the
 * resident's data key (access.h, bundle.h) and written as
 * OUT/r/LOGIN.bin; a person without a live login gets nothing.
 * Nothing else in the generator writes per-resident data.
 *
 * --plain (the office's printed statements): the fragment wrapped in
 * statement.html, a full printable page, in clear under OUT/r/PERSON/.
 */
#include <stdio.h>

#include "access.h"
#include "generate.h"
#include "html.h"

static int
write_plain(struct generate *g, const char *person_id, const struct buf *fragment,
    struct buf *dir, struct err *e)
{
	struct buf rel = BUF_INIT, page = BUF_INIT;
	struct tpl_vars vars = TPL_VARS_INIT;
	int rc = -1;

	if (site_resident_dir(dir, person_id, e) == -1)
		goto out;
	if (buf_printf(&rel, GENERATE_RESIDENT_DIR "/%s/statement.html", dir->data) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
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
	buf_free(&rel);
	buf_free(&page);
	tpl_vars_free(&vars);
	return rc;
}

static int
write_sealed(struct generate *g, const char *person_id, const struct buf *fragment,
    struct buf *dir, struct err *e)
{
	struct buf bundle = BUF_INIT, rel = BUF_INIT;
	char login[ACCESS_LOGIN_BYTES];
	int r, rc = -1;

	r = access_seal_resident(g->access, person_id, &g->head, fragment->data,
	    fragment->len, &bundle, login, e);
	if (r == -1)
		goto out;
	if (r == 0) {
		rc = 0; /* no live login: nothing to publish */
		goto out;
	}
	if (buf_adds(dir, login) == -1 || buf_adds(dir, GENERATE_BUNDLE_SUFFIX) == -1 ||
	    buf_printf(&rel, GENERATE_RESIDENT_DIR "/%s" GENERATE_BUNDLE_SUFFIX, login) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	rc = site_write_file(g, rel.data, bundle.data, bundle.len, e);
out:
	buf_wipe_free(&bundle);
	buf_free(&rel);
	return rc;
}

int
site_write_resident(struct generate *g, const char *person_id, const struct buf *fragment,
    struct buf *dir_out, struct err *e)
{
	buf_reset(dir_out);
	if (g->plain)
		return write_plain(g, person_id, fragment, dir_out, e);
	return write_sealed(g, person_id, fragment, dir_out, e);
}
