#include "access.h"
#include "generate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "date.h"
#include "digest.h"
#include "html.h"
#include "render_statement.h"
#include "secure.h"
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

/* With verbose, the line "WHAT REL": into a worker's log, or printed. */
static int
say(struct generate *g, const char *what, const char *rel, struct err *e)
{
	if (g->verbose && g->log != NULL) {
		if (buf_printf(g->log, "%s %s\n", what, rel) == -1)
			return err_set(e, ERR_SYSTEM, "out of memory");
	} else if (g->verbose) {
		(void)printf("%s %s\n", what, rel);
	}
	return 0;
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
	if (write_file_atomic_nosync(path, data, n, 0644, e) == -1)
		return -1;
	g->written++;
	return say(g, "wrote", rel, e);
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

enum list_what { LIST_FILES, LIST_DIRS, LIST_BOTH };

/* The entries of dir (no dot files), sorted: regular files, folders or
 * both.  A missing dir gives none. */
static int
list_dir(struct names *out, const char *dir, enum list_what what, struct err *e)
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
		if (!(S_ISREG(st.st_mode) && what != LIST_DIRS) &&
		    !(S_ISDIR(st.st_mode) && what != LIST_FILES))
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

	if (list_dir(&dirs, g->templates_dir, LIST_DIRS, e) == -1)
		goto out;
	for (i = 0; i < dirs.n; i++) {
		if (path_join(sub, g->templates_dir, dirs.v[i], e) == -1 ||
		    list_dir(&files, sub, LIST_FILES, e) == -1)
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

	if (list_dir(&files, g->templates_dir, LIST_FILES, e) == -1)
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
	    "x.generated_at, x.manifest_sha256 FROM cooperative c, export x", e) == -1)
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
	if (bundle_head_set(&g->head, ts, db_col_text(st, 6), e) == -1)
		goto out;
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
	    tpl_set_text(&g->vars, "export_at", g->head.exported_at, e) == -1 ||
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

/*
 * The digests of the last run (OUT/r/.digests): a first line "export
 * EXPORTED_AT ID", the header (bundle.h) every bundle listed was sealed
 * with, then one line per sealed
 * resident, "TAG SEAL SIZE", sorted: TAG the access_resident_tag of the
 * statement's input digest and this program's identity, SEAL the last
 * CRYPTO_GCM_TAG_BYTES of the bundle written for it (its GCM tag), SIZE
 * the bundle's size.  A resident whose TAG is listed and whose
 * LOGIN.bin still ends in SEAL with SIZE bytes is not rendered again:
 * for the same export the bundle would come out the same; for another,
 * its compressed statement is re-sealed with the new header.  Deterministic (no times, no inode
 * numbers), so a fresh folder gets the same file; keyed by secrets, so it
 * says nothing about anyone; under r/, which nginx serves only as
 * r/LOGIN.bin to LOGIN.
 */
#define DIGESTS_FILE GENERATE_RESIDENT_DIR "/.digests"
#define DIGEST_LINE_BYTES (2 * ACCESS_TAG_BYTES + 1 + 2 * CRYPTO_GCM_TAG_BYTES + 1 + 20 + 1)

struct digest {
	char tag[2 * ACCESS_TAG_BYTES + 1];
	char seal[2 * CRYPTO_GCM_TAG_BYTES + 1];
	unsigned long long size;
};

struct digests {
	struct bundle_head head;        /* what the bundles were sealed with */
	struct digest *v;
	size_t n, cap;
};

static int
digests_add(struct digests *d, const struct digest *x)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		struct digest *v = realloc(d->v, cap * sizeof *v);

		if (v == NULL)
			return -1;
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = *x;
	return 0;
}

static int
cmp_digest(const void *a, const void *b)
{
	return strcmp(((const struct digest *)a)->tag, ((const struct digest *)b)->tag);
}

static int
is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* Reads OUT/r/.digests; a missing or damaged file gives none (a full run). */
static int
digests_load(struct digests *d, const char *out_dir, struct err *e)
{
	char path[PATH_BYTES_MAX], *data = NULL, *line, *nl;
	struct digest x;
	struct err ignored;
	size_t n;
	const size_t t = 2 * ACCESS_TAG_BYTES, g = 2 * CRYPTO_GCM_TAG_BYTES;

	if (path_join(path, out_dir, DIGESTS_FILE, e) == -1)
		return -1;
	if (read_file(&data, &n, path, GENERATE_FILE_BYTES_MAX, &ignored) == -1)
		return 0;
	/* "export EXPORTED_AT ID\n": a file without it is from an older
	 * generator, whose bundles are rendered again */
	nl = strchr(data, '\n');
	if (nl == NULL || strncmp(data, "export ", 7) != 0 ||
	    (size_t)(nl - data) < 7 + BUNDLE_EXPORTED_AT_LEN + 2 ||
	    data[7 + BUNDLE_EXPORTED_AT_LEN] != ' ')
		goto damaged;
	*nl = '\0';
	if (bundle_head_set(&d->head, data + 7, data + 7 + BUNDLE_EXPORTED_AT_LEN + 1,
	    &ignored) == -1 || strcmp(d->head.generation,
	    data + 7 + BUNDLE_EXPORTED_AT_LEN + 1) != 0)
		goto damaged;
	for (line = nl + 1; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		char *end;

		if ((size_t)(nl - line) < t + 1 + g + 2 || line[t] != ' ' || line[t + 1 + g] != ' ' ||
		    !is_hex(line, t) || !is_hex(line + t + 1, g))
			goto damaged;
		memcpy(x.tag, line, t);
		x.tag[t] = '\0';
		memcpy(x.seal, line + t + 1, g);
		x.seal[g] = '\0';
		x.size = strtoull(line + t + 1 + g + 1, &end, 10);
		if (end != nl || (d->n > 0 && strcmp(d->v[d->n - 1].tag, x.tag) >= 0))
			goto damaged;
		if (digests_add(d, &x) == -1) {
			free(data);
			return err_set(e, ERR_SYSTEM, "out of memory");
		}
	}
	free(data);
	return 0;
damaged:
	free(data);
	d->n = 0;
	return 0;
}

static int
digests_write(struct generate *g, struct digests *d, struct err *e)
{
	struct buf b = BUF_INIT;
	size_t i;
	int rc = -1;

	if (d->n > 0)
		qsort(d->v, d->n, sizeof *d->v, cmp_digest);
	if (buf_printf(&b, "export %s %s\n", g->head.exported_at, g->head.generation) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	for (i = 0; i < d->n; i++)
		if (buf_printf(&b, "%s %s %llu\n", d->v[i].tag, d->v[i].seal, d->v[i].size) == -1) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
	rc = site_write_file(g, DIGESTS_FILE, b.data, b.len, e);
out:
	buf_free(&b);
	return rc;
}

/* 1 when OUT/rel has size bytes and ends in seal (hex), else 0. */
static int
bundle_is(const struct generate *g, const char *rel, const struct digest *want, struct err *e)
{
	unsigned char end[CRYPTO_GCM_TAG_BYTES];
	char path[PATH_BYTES_MAX], hex[2 * CRYPTO_GCM_TAG_BYTES + 1];
	struct stat st;
	ssize_t r;
	int fd, same = 0;

	if (path_join(path, g->out_dir, rel, e) == -1)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size == want->size && st.st_size >= (off_t)sizeof end) {
		r = pread(fd, end, sizeof end, st.st_size - (off_t)sizeof end);
		if (r == (ssize_t)sizeof end) {
			crypto_hex(hex, end, sizeof end);
			same = strcmp(hex, want->seal) == 0;
		}
	}
	(void)close(fd);
	return same;
}

/* For a resident not rendered again under a new export: OUT/rel, when it
 * is the bundle want describes, re-sealed with g->head into *bundle.
 * 1 when done, 0 when the statement must be rendered (the file is gone,
 * another, or does not open with the resident's data key), -1 on error. */
static int
bundle_reseal_file(struct generate *g, const char *id, const char *rel,
    const struct digest *want, struct buf *bundle, struct err *e)
{
	char path[PATH_BYTES_MAX], hex[2 * CRYPTO_GCM_TAG_BYTES + 1], login[ACCESS_LOGIN_BYTES];
	char *old = NULL;
	size_t n = 0;
	struct err why;
	int r, rc = -1;

	err_clear(&why);
	if (path_join(path, g->out_dir, rel, e) == -1)
		return -1;
	if (read_file(&old, &n, path, BUNDLE_FRAGMENT_BYTES_MAX * 2, &why) == -1) {
		rc = 0;
		goto out;
	}
	if ((unsigned long long)n != want->size || n < CRYPTO_GCM_TAG_BYTES) {
		rc = 0;
		goto out;
	}
	crypto_hex(hex, old + n - CRYPTO_GCM_TAG_BYTES, CRYPTO_GCM_TAG_BYTES);
	if (strcmp(hex, want->seal) != 0) {
		rc = 0;
		goto out;
	}
	r = access_reseal_resident(g->access, id, &g->head, old, n, bundle, login, &why);
	if (r == -1 && why.kind != ERR_DATA) {
		*e = why;
		goto out;
	}
	rc = r == 1 ? 1 : 0;
out:
	if (old != NULL)
		secure_wipe(old, n);
	free(old);
	return rc;
}

/* One worker: residents [from, to) of ids, with its own database
 * connection, keys.db connection and counters (g is its private copy of
 * the run's struct generate). */
struct worker {
	struct generate g;
	const struct names *ids;
	size_t from, to;
	const struct digests *old;              /* sorted by tag; read only */
	const unsigned char *identity;          /* SHA-256 of this program */
	struct names done;
	struct digests now;
	struct buf log;
	struct err e;
	int rc;
	pthread_t thread;
};

/* Seals and writes one resident, or finds their bundle unchanged. */
static int
seal_resident(struct worker *w, struct statement_query *q, const char *id, struct err *e)
{
	struct generate *g = &w->g;
	struct statement *s = NULL;
	struct buf frag = BUF_INIT, bundle = BUF_INIT, rel = BUF_INIT;
	unsigned char input[CRYPTO_SHA256_BYTES * 2], tag[ACCESS_TAG_BYTES];
	char login[ACCESS_LOGIN_BYTES];
	struct digest x;
	const struct digest *hit = NULL;
	int r, rc = -1;

	/* Who changed is told by a few rows per person (statement_digest);
	 * the ledger is read only for those who did. */
	memcpy(input, w->identity, CRYPTO_SHA256_BYTES);
	if (statement_digest(q, id, input + CRYPTO_SHA256_BYTES, e) == -1)
		goto out;
	r = access_resident_tag(g->access, id, input, sizeof input, tag, login, e);
	if (r == -1)
		goto out;
	if (r == 0) {
		rc = 0;         /* no live login: nothing to publish */
		goto out;
	}
	crypto_hex(x.tag, tag, sizeof tag);
	if (buf_printf(&rel, GENERATE_RESIDENT_DIR "/%s" GENERATE_BUNDLE_SUFFIX, login) == -1 ||
	    names_add(&w->done, rel.data + sizeof GENERATE_RESIDENT_DIR) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (!g->full && w->old->n > 0)
		hit = bsearch(&x, w->old->v, w->old->n, sizeof x, cmp_digest);
	r = 0;
	if (hit != NULL && strcmp(w->old->head.exported_at, g->head.exported_at) == 0 &&
	    strcmp(w->old->head.generation, g->head.generation) == 0) {
		/* the same export: the same bundle, if it is still there */
		if ((r = bundle_is(g, rel.data, hit, e)) == -1)
			goto out;
		if (r == 1) {
			x = *hit;
			g->unchanged++;
			g->skipped++;
			goto listed;
		}
	} else if (hit != NULL) {
		/* a new export: the statement as it was, sealed anew */
		if ((r = bundle_reseal_file(g, id, rel.data, hit, &bundle, e)) == -1)
			goto out;
		if (r == 1) {
			g->skipped++;
			g->resealed++;
			if (say(g, "re-sealed", rel.data, e) == -1)
				goto out;
		}
	}
	if (r == 0) {
		if (statement_load(&s, q, id, e) == -1 ||
		    render_statement(&frag, s, RENDER_EXPORT_DATE_BY_PAGE, e) == -1 ||
		    access_seal_resident(g->access, id, &g->head, frag.data, frag.len, &bundle,
		    login, e) != 1) {
			if (e->kind == ERR_NONE)
				err_set(e, ERR_INTERNAL, "%s: login vanished", id);
			goto out;
		}
		if (say(g, "rendered", rel.data, e) == -1)
			goto out;
	}
	crypto_hex(x.seal, bundle.data + bundle.len - CRYPTO_GCM_TAG_BYTES, CRYPTO_GCM_TAG_BYTES);
	x.size = bundle.len;
	if (site_write_file(g, rel.data, bundle.data, bundle.len, e) == -1)
		goto out;
listed:
	if (digests_add(&w->now, &x) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	rc = 0;
out:
	statement_free(s);
	buf_wipe_free(&frag);
	buf_wipe_free(&bundle);
	buf_free(&rel);
	return rc;
}

/* --plain: every card holder's printable page, always rendered. */
static int
plain_resident(struct worker *w, struct statement_query *q, const char *id, struct err *e)
{
	struct statement *s = NULL;
	struct buf frag = BUF_INIT, dir = BUF_INIT;
	int rc = -1;

	if (statement_load(&s, q, id, e) == -1 ||
	    render_statement(&frag, s, RENDER_EXPORT_DATE_LITERAL, e) == -1 ||
	    site_write_resident(&w->g, id, &frag, &dir, e) == -1)
		goto out;
	if (dir.len > 0 && names_add(&w->done, dir.data) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	rc = 0;
out:
	statement_free(s);
	buf_free(&frag);
	buf_free(&dir);
	return rc;
}

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	struct statement_query *q = NULL;
	size_t i;

	w->rc = -1;
	if (statement_query_open(&q, w->g.db, &w->e) == -1)
		goto out;
	for (i = w->from; i < w->to; i++) {
		if ((w->g.plain ? plain_resident(w, q, w->ids->v[i], &w->e) :
		    seal_resident(w, q, w->ids->v[i], &w->e)) == -1)
			goto out;
		w->g.residents++;
	}
	w->rc = 0;
out:
	statement_query_close(q);
	return NULL;
}

/* A worker's own connections: the database in a read transaction of its
 * own (nothing writes it while the lock is held), keys.db. */
static int
worker_open(struct worker *w, const char *db_path, struct err *e)
{
	if (db_open(&w->g.db, db_path, DB_READONLY, e) == -1 ||
	    db_exec(w->g.db, "PRAGMA mmap_size = 4294967296; PRAGMA cache_size = -65536; BEGIN",
	    e) == -1)
		return -1;
	if (!w->g.plain && access_open(&w->g.access, w->g.keys_db_path, e) == -1)
		return -1;
	return 0;
}

static void
worker_close(struct worker *w, const struct generate *g)
{
	if (w->g.access != g->access)
		access_close(w->g.access);
	if (w->g.db != NULL && w->g.db != g->db) {
		db_rollback(w->g.db);
		db_close(w->g.db);
	}
	names_free(&w->done);
	free(w->now.v);
	buf_free(&w->log);
}

/* The number of workers: g->jobs, or the processors online but never
 * more than one per GENERATE_JOB_MIN residents; at most GENERATE_JOBS_MAX,
 * and not more than residents. */
static size_t
worker_count(const struct generate *g, size_t residents)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = g->jobs > 0 ? (size_t)g->jobs : cpus > 0 ? (size_t)cpus : 1;

	if (g->db_path == NULL)
		return 1;       /* no path to open more connections with */

	if (n > GENERATE_JOBS_MAX)
		n = GENERATE_JOBS_MAX;
	if (g->jobs == 0 && n > 1 && residents / n < GENERATE_JOB_MIN)
		n = residents / GENERATE_JOB_MIN > 0 ? residents / GENERATE_JOB_MIN : 1;
	if (n > residents)
		n = residents > 0 ? residents : 1;
	return n;
}

static int
write_residents(struct generate *g, struct names *done, struct err *e)
{
	struct db_stmt *people = NULL;
	struct names ids = { NULL, 0, 0 };
	struct digests old = { .v = NULL }, all = { .v = NULL };
	struct worker *w = NULL;
	unsigned char identity[CRYPTO_SHA256_BYTES];
	char hex[SHA256_HEX_LEN + 1];
	size_t i, k, nw = 0, started = 0;
	int r, rc = -1;

	/* The program's own bytes: a new generator may render differently. */
	if (!g->plain) {
		if (sha256_file(hex, NULL, "/proc/self/exe", e) == -1)
			goto out;
		for (i = 0; i < sizeof identity; i++)
			identity[i] = (unsigned char)((hex[2 * i] <= '9' ? hex[2 * i] - '0' :
			    hex[2 * i] - 'a' + 10) << 4 | (hex[2 * i + 1] <= '9' ?
			    hex[2 * i + 1] - '0' : hex[2 * i + 1] - 'a' + 10));
		if (digests_load(&old, g->out_dir, e) == -1)
			goto out;
	}
	if (db_prepare(&people, g->db, "SELECT DISTINCT person_id FROM card ORDER BY person_id",
	    e) == -1)
		goto out;
	while ((r = db_step(people, NULL, e)) == 1)
		if (names_add(&ids, db_col_text(people, 0)) == -1) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
	if (r == -1)
		goto out;
	nw = worker_count(g, ids.n);
	if ((w = calloc(nw, sizeof *w)) == NULL) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	/* contiguous shares in person order: the verbose lines come out in
	 * the order one worker would print them */
	for (k = 0; k < nw; k++) {
		w[k].g = *g;
		w[k].g.db = NULL;
		w[k].g.access = NULL;
		w[k].g.written = w[k].g.unchanged = w[k].g.removed = w[k].g.residents = 0;
		w[k].g.skipped = w[k].g.resealed = 0;
		w[k].g.log = &w[k].log;
		w[k].ids = &ids;
		w[k].from = ids.n * k / nw;
		w[k].to = ids.n * (k + 1) / nw;
		w[k].old = &old;
		w[k].identity = identity;
		err_clear(&w[k].e);
		if (nw == 1 && g->db_path == NULL) {
			w[k].g.db = g->db;          /* borrowed: see worker_close */
			w[k].g.access = g->access;
		} else if (worker_open(&w[k], g->db_path, e) == -1) {
			goto out;
		}
	}
	for (started = 0; started < nw; started++)
		if ((errno = pthread_create(&w[started].thread, NULL, worker_run,
		    &w[started])) != 0) {
			err_sys(e, "pthread_create");
			goto out;
		}
	rc = 0;
out:
	for (k = 0; k < started; k++)
		(void)pthread_join(w[k].thread, NULL);
	for (k = 0; k < started; k++) {
		if (rc == 0 && w[k].rc == -1) {
			*e = w[k].e;
			rc = -1;
		}
		if (rc == 0 && w[k].log.len > 0)
			(void)fputs(w[k].log.data, stdout);
		g->written += w[k].g.written;
		g->unchanged += w[k].g.unchanged;
		g->residents += w[k].g.residents;
		g->skipped += w[k].g.skipped;
		g->resealed += w[k].g.resealed;
		for (i = 0; rc == 0 && i < w[k].done.n; i++)
			if (names_add(done, w[k].done.v[i]) == -1) {
				err_set(e, ERR_SYSTEM, "out of memory");
				rc = -1;
			}
		for (i = 0; rc == 0 && i < w[k].now.n; i++)
			if (digests_add(&all, &w[k].now.v[i]) == -1) {
				err_set(e, ERR_SYSTEM, "out of memory");
				rc = -1;
			}
	}
	if (started < nw)
		rc = -1;
	if (rc == 0 && !g->plain && digests_write(g, &all, e) == -1)
		rc = -1;
	for (k = 0; w != NULL && k < nw; k++)
		worker_close(&w[k], g);
	free(w);
	free(old.v);
	free(all.v);
	db_finalize(people);
	names_free(&ids);
	return rc;
}

/* Removes OUT/r/X, a file or a folder, for every X not in keep (sorted):
 * residents who lost their login, and what an older layout left. */
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
	    list_dir(&have, rdir, LIST_BOTH, e) == -1)
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
	/* Files were written without an fsync each (site_write_file): make
	 * them durable together, once. */
	if (g->written > 0 && sync_filesystem(g->out_dir, e) == -1)
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
