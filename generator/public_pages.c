/*
 * public_pages.c — the pages everyone sees (public_pages.h).
 */
#include "public_pages.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fsutil.h"
#include "generate.h"
#include "html.h"
#include "render_statement.h"

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Copies every file of every subfolder of the templates (css/, js/). */
static int
copy_assets(struct site_writer *w, const char *templates_dir, struct err *e)
{
	struct names dirs = NAMES_INIT, files = NAMES_INIT;
	char sub[PATH_BYTES_MAX], src[PATH_BYTES_MAX], rel[PATH_BYTES_MAX];
	char *data = NULL;
	size_t i, k, n;
	int rc = -1;

	if (list_dir(&dirs, templates_dir, LIST_DIRS, e) == -1)
		goto out;
	for (i = 0; i < dirs.n; i++) {
		if (path_join(sub, templates_dir, dirs.v[i], e) == -1 ||
		    list_dir(&files, sub, LIST_FILES, e) == -1)
			goto out;
		for (k = 0; k < files.n; k++) {
			if (path_join(src, sub, files.v[k], e) == -1 ||
			    path_join(rel, dirs.v[i], files.v[k], e) == -1 ||
			    read_file(&data, &n, src, GENERATE_FILE_BYTES_MAX, e) == -1 ||
			    site_write_file(w, rel, data, n, e) == -1)
				goto out;
			free(data);
			data = NULL;
		}
		names_free(&files);
	}
	rc = 0;
out:
	free(data);
	names_free(&dirs);
	names_free(&files);
	return rc;
}

/* Renders every public page: the .html templates but partials and the
 * statement page. */
static int
write_pages(struct site_writer *w, const char *templates_dir,
    const struct tpl_vars *vars, struct err *e)
{
	struct names files = NAMES_INIT;
	struct buf page = BUF_INIT;
	struct tpl *t = NULL;
	size_t i;
	int rc = -1;

	if (list_dir(&files, templates_dir, LIST_FILES, e) == -1)
		goto out;
	for (i = 0; i < files.n; i++) {
		const char *name = files.v[i];

		if (!ends_with(name, ".html") || name[0] == '_' ||
		    strcmp(name, GENERATE_STATEMENT_TEMPLATE) == 0)
			continue;
		buf_reset(&page);
		if (tpl_load(&t, templates_dir, name, e) == -1 ||
		    tpl_render(&page, t, vars, e) == -1 ||
		    site_write_file(w, name, page.data, page.len, e) == -1)
			goto out;
		tpl_free(t);
		t = NULL;
	}
	rc = 0;
out:
	tpl_free(t);
	buf_free(&page);
	names_free(&files);
	return rc;
}

/* ---- data for the public pages ---------------------------------------- */

static const char cooperative_sql[] = "SELECT c.name, c.nip, c.street, c.postcode, c.town, "
    "x.generated_at, x.manifest_sha256 FROM cooperative c, export x";
enum cooperative_col {
	COOP_NAME, COOP_NIP, COOP_STREET, COOP_POSTCODE, COOP_TOWN, COOP_EXPORTED, COOP_MANIFEST
};

static int
set_cooperative(struct tpl_vars *vars, struct bundle_head *head, struct db *db,
    char export_date[DATE_ISO_LEN + 1], struct err *e)
{
	struct db_stmt *st = NULL;
	struct buf asof = BUF_INIT;
	char pl[DATE_ISO_LEN + 1];
	const char *ts;
	int r, rc = -1;

	if (db_prepare(&st, db, cooperative_sql, e) == -1)
		goto out;
	r = db_step(st, NULL, e);
	if (r == -1)
		goto out;
	if (r == 0) {
		err_set(e, ERR_DATA, "database holds no export: run czynsze import first");
		goto out;
	}
	ts = db_col_text(st, COOP_EXPORTED);
	if (ts == NULL || strlen(ts) < DATE_ISO_LEN) {
		err_set(e, ERR_DATA, "export timestamp missing");
		goto out;
	}
	if (bundle_head_set(head, ts, db_col_text(st, COOP_MANIFEST), e) == -1)
		goto out;
	memcpy(export_date, ts, DATE_ISO_LEN);
	export_date[DATE_ISO_LEN] = '\0';
	date_iso_to_pl(pl, export_date);
	if (render_as_of(&asof, ts) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (tpl_set_text(vars, "coop_name", db_col_text(st, COOP_NAME), e) == -1 ||
	    tpl_set_text(vars, "coop_nip", db_col_text(st, COOP_NIP), e) == -1 ||
	    tpl_set_text(vars, "coop_street", db_col_text(st, COOP_STREET), e) == -1 ||
	    tpl_set_text(vars, "coop_postcode", db_col_text(st, COOP_POSTCODE), e) == -1 ||
	    tpl_set_text(vars, "coop_town", db_col_text(st, COOP_TOWN), e) == -1 ||
	    tpl_set_text(vars, "as_of", asof.data, e) == -1 ||
	    tpl_set_text(vars, "export_date", pl, e) == -1 ||
	    tpl_set_text(vars, "export_at", head->exported_at, e) == -1 ||
	    tpl_set_text(vars, "base", "", e) == -1)
		goto out;
	rc = 0;
out:
	buf_free(&asof);
	db_finalize(st);
	return rc;
}

static const char announcements_sql[] = "SELECT id, date, valid_until, title FROM announcement "
    "WHERE valid_until IS NULL OR valid_until >= ?1 ORDER BY seq";
enum announcement_col { ANN_ID, ANN_DATE, ANN_VALID_UNTIL, ANN_TITLE };
static const char blocks_sql[] = "SELECT kind, text FROM announcement_block "
    "WHERE announcement_id = ?1 ORDER BY seq";
enum block_col { BLOCK_KIND, BLOCK_TEXT };

/* The announcements in force on the export date (no valid_until, or not
 * before it), in komunikaty.xml order, as HTML. */
static int
set_announcements(struct tpl_vars *vars, struct db *db, const char *export_date, struct err *e)
{
	struct db_stmt *list = NULL, *blocks = NULL;
	struct buf h = BUF_INIT;
	char pl[DATE_ISO_LEN + 1];
	int r, rb, in_list, count = 0, rc = -1, mem = 0;

	if (db_prepare(&list, db, announcements_sql, e) == -1 ||
	    db_prepare(&blocks, db, blocks_sql, e) == -1 ||
	    db_bind_text(list, 1, export_date, (size_t)-1, e) == -1)
		goto out;
	while ((r = db_step(list, NULL, e)) == 1) {
		const char *until = db_col_text(list, ANN_VALID_UNTIL);

		count++;
		mem |= html_open(&h, "article", "class", "announcement", NULL);
		mem |= html_elem(&h, "h3", db_col_text(list, ANN_TITLE));
		date_iso_to_pl(pl, db_col_text(list, ANN_DATE));
		mem |= html_open(&h, "p", "class", "announcement-date", NULL);
		mem |= html_text(&h, "Opublikowano ");
		mem |= html_text(&h, pl);
		if (until != NULL) {
			date_iso_to_pl(pl, until);
			mem |= html_text(&h, ", ważne do ");
			mem |= html_text(&h, pl);
		}
		mem |= html_close(&h, "p");
		if (db_bind_text(blocks, 1, db_col_text(list, ANN_ID), (size_t)-1, e) == -1)
			goto out;
		in_list = 0;
		while ((rb = db_step(blocks, NULL, e)) == 1) {
			int li = db_col_text(blocks, BLOCK_KIND)[0] == 'l';

			if (li && !in_list)
				mem |= html_open(&h, "ul", NULL);
			if (!li && in_list)
				mem |= html_close(&h, "ul");
			in_list = li;
			mem |= html_elem(&h, li ? "li" : "p", db_col_text(blocks, BLOCK_TEXT));
		}
		if (rb == -1)
			goto out;
		db_reset(blocks);
		if (in_list)
			mem |= html_close(&h, "ul");
		mem |= html_close(&h, "article");
	}
	if (r == -1)
		goto out;
	if (count == 0)
		mem |= html_elem(&h, "p", "Brak aktualnych komunikatów.");
	if (mem) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (tpl_set_html(vars, "announcements", &h, e) == -1)
		goto out;
	rc = 0;
out:
	buf_free(&h);
	db_finalize(list);
	db_finalize(blocks);
	return rc;
}

int
site_values_load(struct tpl_vars *vars, char export_date[DATE_ISO_LEN + 1],
    struct bundle_head *head, struct db *db, struct err *e)
{
	if (set_cooperative(vars, head, db, export_date, e) == -1 ||
	    set_announcements(vars, db, export_date, e) == -1)
		return -1;
	return 0;
}

int
public_pages_write(struct site_writer *w, const char *templates_dir,
    const struct tpl_vars *vars, struct err *e)
{
	if (write_pages(w, templates_dir, vars, e) == -1 ||
	    copy_assets(w, templates_dir, e) == -1)
		return -1;
	return 0;
}
