#include "access.h"
#include "generate.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "date.h"
#include "html.h"
#include "render_statement.h"
#include "statement.h"

#define STATEMENT_TEMPLATE "statement.html"

/* ---- writing ---------------------------------------------------------- */

static int
same_content(const char *path, const void *data, size_t n, struct err *e)
{
	struct stat st;
	char *old = NULL;
	size_t len;
	int same;

	if (stat(path, &st) == -1)
		return errno == ENOENT ? 0 : err_sys(e, "stat %s", path);
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size != n)
		return 0;
	if (read_file(&old, &len, path, n, e) == -1)
		return -1;
	same = len == n && memcmp(old, data, n) == 0;
	free(old);
	return same;
}

int
site_write_file(struct generate *g, const char *rel, const void *data, size_t n,
    struct err *e)
{
	char path[PATH_BYTES_MAX], dir[PATH_BYTES_MAX];
	char *slash;
	int same;

	if (path_join(path, g->out_dir, rel, e) == -1)
		return -1;
	same = same_content(path, data, n, e);
	if (same == -1)
		return -1;
	if (same) {
		g->unchanged++;
		return 0;
	}
	memcpy(dir, path, sizeof dir);
	slash = strrchr(dir, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (mkdir_p(dir, 0755, e) == -1)
			return -1;
	}
	if (write_file_atomic(path, data, n, 0644, e) == -1)
		return -1;
	g->written++;
	if (g->verbose)
		(void)printf("wrote %s\n", rel);
	return 0;
}

int
site_resident_dir(struct buf *out, const char *person_id, struct err *e)
{
	if (person_id == NULL || person_id[0] == '\0' || person_id[0] == '.')
		return err_set(e, ERR_DATA, "person id unusable as a folder name (%s)",
		    person_id ? person_id : "");
	if (html_url_component(out, person_id) == -1)
		return err_set(e, ERR_SYSTEM, "out of memory");
	return 0;
}

/* ---- folders ---------------------------------------------------------- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct names {
	char **v;
	size_t n, cap;
};

static void
names_free(struct names *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = ns->cap = 0;
}

static int
names_add(struct names *ns, const char *s)
{
	char *copy;

	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 64;
		char **v = realloc(ns->v, cap * sizeof *v);

		if (v == NULL)
			return -1;
		ns->v = v;
		ns->cap = cap;
	}
	copy = strdup(s);
	if (copy == NULL)
		return -1;
	ns->v[ns->n++] = copy;
	return 0;
}

/* The entries of dir (no dot files), sorted; want_dirs picks folders or
 * regular files.  A missing dir gives none. */
static int
list_dir(struct names *out, const char *dir, int want_dirs, struct err *e)
{
	char path[PATH_BYTES_MAX];
	struct dirent *d;
	struct stat st;
	DIR *dp;
	int rc = -1;

	dp = opendir(dir);
	if (dp == NULL)
		return errno == ENOENT ? 0 : err_sys(e, "open %s", dir);
	errno = 0;
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		if (path_join(path, dir, d->d_name, e) == -1)
			goto out;
		if (lstat(path, &st) == -1) {
			err_sys(e, "stat %s", path);
			goto out;
		}
		if (want_dirs ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
			continue;
		if (names_add(out, d->d_name) == -1) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
		errno = 0;
	}
	if (errno != 0) {
		err_sys(e, "read %s", dir);
		goto out;
	}
	if (out->n > 0) /* qsort's base must not be NULL, even for 0 items */
		qsort(out->v, out->n, sizeof *out->v, cmp_str);
	rc = 0;
out:
	closedir(dp);
	return rc;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Copies every file of every subfolder of the templates (css/, js/). */
static int
copy_assets(struct generate *g, struct err *e)
{
	struct names dirs = { NULL, 0, 0 }, files = { NULL, 0, 0 };
	char sub[PATH_BYTES_MAX], src[PATH_BYTES_MAX], rel[PATH_BYTES_MAX];
	char *data = NULL;
	size_t i, k, n;
	int rc = -1;

	if (list_dir(&dirs, g->templates_dir, 1, e) == -1)
		goto out;
	for (i = 0; i < dirs.n; i++) {
		if (path_join(sub, g->templates_dir, dirs.v[i], e) == -1 ||
		    list_dir(&files, sub, 0, e) == -1)
			goto out;
		for (k = 0; k < files.n; k++) {
			if (path_join(src, sub, files.v[k], e) == -1 ||
			    path_join(rel, dirs.v[i], files.v[k], e) == -1 ||
			    read_file(&data, &n, src, GENERATE_FILE_BYTES_MAX, e) == -1 ||
			    site_write_file(g, rel, data, n, e) == -1)
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
write_public_pages(struct generate *g, struct err *e)
{
	struct names files = { NULL, 0, 0 };
	struct buf page = BUF_INIT;
	struct tpl *t = NULL;
	size_t i;
	int rc = -1;

	if (list_dir(&files, g->templates_dir, 0, e) == -1)
		goto out;
	for (i = 0; i < files.n; i++) {
		const char *name = files.v[i];

		if (!ends_with(name, ".html") || name[0] == '_' ||
		    strcmp(name, STATEMENT_TEMPLATE) == 0)
			continue;
		buf_reset(&page);
		if (tpl_load(&t, g->templates_dir, name, e) == -1 ||
		    tpl_render(&page, t, &g->vars, e) == -1 ||
		    site_write_file(g, name, page.data, page.len, e) == -1)
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

static int
set_cooperative(struct generate *g, char export_date[DATE_ISO_LEN + 1], struct err *e)
{
	struct db_stmt *st = NULL;
	struct buf asof = BUF_INIT;
	char pl[DATE_ISO_LEN + 1];
	const char *ts;
	int r, rc = -1;

	if (db_prepare(&st, g->db, "SELECT c.name, c.nip, c.street, c.postcode, c.town, "
	    "x.generated_at FROM cooperative c, export x", e) == -1)
		goto out;
	r = db_step(st, NULL, e);
	if (r == -1)
		goto out;
	if (r == 0) {
		err_set(e, ERR_DATA, "database holds no export: run czynsze import first");
		goto out;
	}
	ts = db_col_text(st, 5);
	if (ts == NULL || strlen(ts) < DATE_ISO_LEN) {
		err_set(e, ERR_DATA, "export timestamp missing");
		goto out;
	}
	memcpy(export_date, ts, DATE_ISO_LEN);
	export_date[DATE_ISO_LEN] = '\0';
	date_iso_to_pl(pl, export_date);
	if (render_as_of(&asof, ts) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (tpl_set_text(&g->vars, "coop_name", db_col_text(st, 0), e) == -1 ||
	    tpl_set_text(&g->vars, "coop_nip", db_col_text(st, 1), e) == -1 ||
	    tpl_set_text(&g->vars, "coop_street", db_col_text(st, 2), e) == -1 ||
	    tpl_set_text(&g->vars, "coop_postcode", db_col_text(st, 3), e) == -1 ||
	    tpl_set_text(&g->vars, "coop_town", db_col_text(st, 4), e) == -1 ||
	    tpl_set_text(&g->vars, "as_of", asof.data, e) == -1 ||
	    tpl_set_text(&g->vars, "export_date", pl, e) == -1 ||
	    tpl_set_text(&g->vars, "base", "", e) == -1)
		goto out;
	rc = 0;
out:
	buf_free(&asof);
	db_finalize(st);
	return rc;
}

/* The announcements in force on the export date (no valid_until, or not
 * before it), in komunikaty.xml order, as HTML. */
static int
set_announcements(struct generate *g, const char *export_date, struct err *e)
{
	struct db_stmt *list = NULL, *blocks = NULL;
	struct buf h = BUF_INIT;
	char pl[DATE_ISO_LEN + 1];
	int r, rb, in_list, count = 0, rc = -1, mem = 0;

	if (db_prepare(&list, g->db, "SELECT id, date, valid_until, title FROM announcement "
	    "WHERE valid_until IS NULL OR valid_until >= ?1 ORDER BY seq", e) == -1 ||
	    db_prepare(&blocks, g->db, "SELECT kind, text FROM announcement_block "
	    "WHERE announcement_id = ?1 ORDER BY seq", e) == -1 ||
	    db_bind_text(list, 1, export_date, (size_t)-1, e) == -1)
		goto out;
	while ((r = db_step(list, NULL, e)) == 1) {
		const char *until = db_col_text(list, 2);

		count++;
		mem |= html_open(&h, "article", "class", "announcement", NULL);
		mem |= html_elem(&h, "h3", db_col_text(list, 3));
		date_iso_to_pl(pl, db_col_text(list, 1));
		mem |= html_open(&h, "p", "class", "announcement-date", NULL);
		mem |= html_text(&h, "Opublikowano ");
		mem |= html_text(&h, pl);
		if (until != NULL) {
			date_iso_to_pl(pl, until);
			mem |= html_text(&h, ", ważne do ");
			mem |= html_text(&h, pl);
		}
		mem |= html_close(&h, "p");
		if (db_bind_text(blocks, 1, db_col_text(list, 0), (size_t)-1, e) == -1)
			goto out;
		in_list = 0;
		while ((rb = db_step(blocks, NULL, e)) == 1) {
			int li = db_col_text(blocks, 0)[0] == 'l';

			if (li && !in_list)
				mem |= html_open(&h, "ul", NULL);
			if (!li && in_list)
				mem |= html_close(&h, "ul");
			in_list = li;
			mem |= html_elem(&h, li ? "li" : "p", db_col_text(blocks, 1));
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
	if (tpl_set_html(&g->vars, "announcements", &h, e) == -1)
		goto out;
	rc = 0;
out:
	buf_free(&h);
	db_finalize(list);
	db_finalize(blocks);
	return rc;
}

/* ---- residents -------------------------------------------------------- */

static int
write_residents(struct generate *g, struct names *done, struct err *e)
{
	struct statement_query *q = NULL;
	struct statement *s = NULL;
	struct db_stmt *people = NULL;
	struct names ids = { NULL, 0, 0 };
	struct buf frag = BUF_INIT, dir = BUF_INIT;
	size_t i;
	int r, rc = -1;

	/* the ids first: statement_load runs its own statements */
	if (db_prepare(&people, g->db, "SELECT DISTINCT person_id FROM card ORDER BY person_id",
	    e) == -1)
		goto out;
	while ((r = db_step(people, NULL, e)) == 1)
		if (names_add(&ids, db_col_text(people, 0)) == -1) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
	if (r == -1 || statement_query_open(&q, g->db, e) == -1)
		goto out;
	for (i = 0; i < ids.n; i++) {
		buf_reset(&frag);
		buf_reset(&dir);
		if (statement_load(&s, q, ids.v[i], e) == -1 ||
		    render_statement(&frag, s, e) == -1 ||
		    site_write_resident(g, ids.v[i], &frag, &dir, e) == -1)
			goto out;
		if (dir.len > 0 && names_add(done, dir.data) == -1) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
		statement_free(s);
		s = NULL;
		g->residents++;
	}
	rc = 0;
out:
	statement_free(s);
	statement_query_close(q);
	db_finalize(people);
	names_free(&ids);
	buf_free(&frag);
	buf_free(&dir);
	return rc;
}

/* Removes OUT/r/X for every X not in keep (sorted). */
static int
remove_stale(struct generate *g, struct names *keep, struct err *e)
{
	struct names have = { NULL, 0, 0 };
	char rdir[PATH_BYTES_MAX], path[PATH_BYTES_MAX];
	size_t i;
	int rc = -1;

	if (keep->n > 0)   /* qsort/bsearch of NULL, 0 is undefined (nobody has a login yet) */
		qsort(keep->v, keep->n, sizeof *keep->v, cmp_str);
	if (path_join(rdir, g->out_dir, GENERATE_RESIDENT_DIR, e) == -1 ||
	    list_dir(&have, rdir, 1, e) == -1)
		goto out;
	for (i = 0; i < have.n; i++) {
		if (keep->n > 0 &&
		    bsearch(&have.v[i], keep->v, keep->n, sizeof *keep->v, cmp_str) != NULL)
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
	struct names done = { NULL, 0, 0 };
	char export_date[DATE_ISO_LEN + 1];
	int rc = -1, in_tx = 0;

	/* Reading every card's history touches the whole database: map it
	 * (pread per page dominated otherwise), then one read transaction,
	 * a consistent snapshot locked once. */
	if (db_exec(g->db, "PRAGMA mmap_size = 4294967296; PRAGMA cache_size = -65536", e) == -1 ||
	    db_exec(g->db, "BEGIN", e) == -1)
		goto out;
	in_tx = 1;
	if (mkdir_p(g->out_dir, 0755, e) == -1 ||
	    set_cooperative(g, export_date, e) == -1 ||
	    set_announcements(g, export_date, e) == -1)
		goto out;
	if (g->plain && tpl_load(&g->statement_page, g->templates_dir, STATEMENT_TEMPLATE,
	    e) == -1)
		goto out;
	if (!g->plain && access_open(&g->access, g->keys_db_path, e) == -1)
		goto out;
	if (write_public_pages(g, e) == -1 || copy_assets(g, e) == -1 ||
	    write_residents(g, &done, e) == -1 || remove_stale(g, &done, e) == -1)
		goto out;
	if (!g->plain && access_write_files(g->access, g->out_dir, g->htpasswd_dir, e) == -1)
		goto out;
	rc = 0;
out:
	if (in_tx)
		db_rollback(g->db);   /* nothing was written: ending it is enough */
	names_free(&done);
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
