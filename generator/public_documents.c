/* public_documents.c — the public documents (public_documents.h). */
#include "public_documents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "date.h"
#include "docseal.h"
#include "docstore.h"
#include "fsutil.h"
#include "html.h"
#include "render_statement.h"

static const char public_sql[] = "SELECT id, kind, date, title, path, sha256, bytes "
    "FROM document WHERE owner_kind = 'public' ORDER BY date DESC, id";
enum public_col { PUB_ID, PUB_KIND, PUB_DATE, PUB_TITLE, PUB_PATH, PUB_SHA256, PUB_BYTES };

#define NAME_HEX 12

/* Copies the store's PDF sha256 to OUT/rel after checking its hash. */
static int
copy_pdf(struct site_writer *w, const struct home *home, const char *id, const char *sha256,
    const char *rel, struct err *e)
{
	char path[PATH_BYTES_MAX], hex[2 * CRYPTO_SHA256_BYTES + 1], *pdf = NULL;
	unsigned char sum[CRYPTO_SHA256_BYTES];
	size_t n = 0;
	int rc = -1;

	if (docstore_path(home, sha256, path, sizeof path) == -1)
		return err_set(e, ERR_DATA, "document %s: bad sha256 (%s)", id, sha256);
	if (read_file(&pdf, &n, path, DOCSEAL_PDF_MAX, e) == -1) {
		err_prefix(e, "document %s", id);
		goto out;
	}
	if (crypto_sha256(sum, pdf, n, e) == -1)
		goto out;
	crypto_hex(hex, sum, sizeof sum);
	if (strcmp(hex, sha256) != 0) {
		err_set(e, ERR_DATA, "document %s: %s does not match its SHA-256", id, path);
		goto out;
	}
	rc = site_write_file(w, rel, pdf, n, e);
out:
	free(pdf);
	return rc;
}

/* Removes OUT/dokumenty/X for every X not in keep. */
static int
remove_stale(struct site_writer *w, struct names *keep, struct err *e)
{
	struct names have = NAMES_INIT;
	char dir[PATH_BYTES_MAX], path[PATH_BYTES_MAX];
	size_t i;
	int rc = -1;

	names_sort(keep);
	if (path_join(dir, w->out_dir, PUBLIC_DOCUMENTS_DIR, e) == -1 ||
	    list_dir(&have, dir, LIST_BOTH, e) == -1)
		goto out;
	for (i = 0; i < have.n; i++)
		if (!names_has(keep, have.v[i]) &&
		    (path_join(path, dir, have.v[i], e) == -1 || remove_tree(path, e) == -1))
			goto out;
	rc = 0;
out:
	names_free(&have);
	return rc;
}

int
public_documents_write(struct site_writer *w, struct tpl_vars *vars, struct db *db,
    const struct home *home, struct err *e)
{
	struct db_stmt *st = NULL;
	struct buf h = BUF_INIT, name = BUF_INIT, rel = BUF_INIT, size = BUF_INIT;
	struct names keep = NAMES_INIT;
	char pl[DATE_ISO_LEN + 1];
	int r, count = 0, mem = 0, rc = -1;

	if (db_prepare(&st, db, public_sql, e) == -1)
		goto out;
	while ((r = db_step(st, NULL, e)) == 1) {
		const char *id = db_col_text(st, PUB_ID), *sha = db_col_text(st, PUB_SHA256);
		const char *date = db_col_text(st, PUB_DATE);

		if (id == NULL || sha == NULL || date == NULL || strlen(sha) < NAME_HEX ||
		    strlen(date) != DATE_ISO_LEN) {
			err_set(e, ERR_DATA, "document %s: malformed row", id ? id : "?");
			goto out;
		}
		buf_reset(&name);
		buf_reset(&rel);
		buf_reset(&size);
		if (buf_add(&name, sha, NAME_HEX) == -1 || buf_addc(&name, '-') == -1 ||
		    document_file_name(&name, db_col_text(st, PUB_PATH)) == -1 ||
		    buf_printf(&rel, PUBLIC_DOCUMENTS_DIR "/%s", name.data) == -1 ||
		    words_size(&size, db_col_int64(st, PUB_BYTES)) == -1 ||
		    names_add(&keep, name.data, e) == -1) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
		if (home != NULL && copy_pdf(w, home, id, sha, rel.data, e) == -1)
			goto out;
		if (count++ == 0)
			mem |= html_open(&h, "ul", "class", "public-documents", NULL);
		date_iso_to_pl(pl, date);
		mem |= html_open(&h, "li", NULL);
		mem |= html_open(&h, "a", "href", rel.data, "type", "application/pdf", NULL);
		mem |= html_text(&h, db_col_text(st, PUB_TITLE));
		mem |= html_close(&h, "a");
		mem |= html_open(&h, "span", "class", "document-meta", NULL);
		mem |= html_text(&h, " — ");
		mem |= html_text(&h, words_document_kind(db_col_text(st, PUB_KIND)));
		mem |= html_text(&h, " z dnia ");
		mem |= html_text(&h, pl);
		mem |= html_text(&h, ", plik PDF, ");
		mem |= html_text(&h, size.data);
		mem |= html_close(&h, "span");
		mem |= html_close(&h, "li");
	}
	if (r == -1)
		goto out;
	if (count > 0)
		mem |= html_close(&h, "ul");
	else
		mem |= html_elem(&h, "p", "Brak dokumentów.");
	if (mem) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (tpl_set_html(vars, "public_documents", &h, e) == -1)
		goto out;
	if (home != NULL && remove_stale(w, &keep, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(st);
	buf_free(&h);
	buf_free(&name);
	buf_free(&rel);
	buf_free(&size);
	names_free(&keep);
	return rc;
}
