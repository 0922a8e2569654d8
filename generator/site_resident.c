/*
 * site_resident.c — where a resident's statement leaves the generator
 * (site_resident.h).
 */
#include "site_resident.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docseal.h"
#include "docstore.h"
#include "generate.h"
#include "html.h"
#include "render_statement.h"
#include "secure.h"

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

/* plain: OUT/r/PERSON/statement.html, the fragment in statement.html
 * with links two levels up. */
static int
write_plain(const struct site_resident *r, const char *person_id, const struct buf *fragment,
    struct site_resident_file *out, struct err *e)
{
	struct buf rel = BUF_INIT, page = BUF_INIT;
	struct tpl_vars vars = TPL_VARS_INIT;
	int rc = -1;

	if (site_resident_dir(&out->name, person_id, e) == -1)
		goto out;
	if (buf_printf(&rel, GENERATE_RESIDENT_DIR "/%s/statement.html", out->name.data) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (tpl_vars_copy(&vars, r->vars, e) == -1 ||
	    tpl_set_html(&vars, "statement", fragment, e) == -1 ||
	    tpl_set_text(&vars, "base", "../../", e) == -1 ||
	    tpl_render(&page, r->statement_page, &vars, e) == -1)
		goto out;
	rc = site_write_file(r->out, rel.data, page.data, page.len, e);
out:
	buf_free(&rel);
	buf_free(&page);
	tpl_vars_free(&vars);
	return rc;
}

/* sealed: OUT/r/LOGIN.bin, or nothing without a live login. */
static int
write_sealed(const struct site_resident *r, const char *person_id, const struct buf *fragment,
    struct site_resident_file *out, struct err *e)
{
	struct buf bundle = BUF_INIT, rel = BUF_INIT;
	char login[ACCESS_LOGIN_BYTES];
	int sealed, rc = -1;

	sealed = access_seal_resident(r->access, person_id, r->head, fragment->data,
	    fragment->len, &bundle, login, e);
	if (sealed == -1)
		goto out;
	if (sealed == 0) {
		rc = 0;         /* no live login: nothing to publish */
		goto out;
	}
	if (buf_printf(&out->name, "%s" GENERATE_BUNDLE_SUFFIX, login) == -1 ||
	    buf_printf(&rel, GENERATE_RESIDENT_DIR "/%s", out->name.data) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	crypto_hex(out->gcm_tag, bundle.data + bundle.len - CRYPTO_GCM_TAG_BYTES,
	    CRYPTO_GCM_TAG_BYTES);
	out->size = bundle.len;
	rc = site_write_file(r->out, rel.data, bundle.data, bundle.len, e);
out:
	buf_wipe_free(&bundle);
	buf_free(&rel);
	return rc;
}

int
site_reseal_resident(const struct site_resident *r, const char *person_id,
    const char *name, const char *gcm_tag, unsigned long long size,
    struct site_resident_file *out, struct err *e)
{
	struct buf bundle = BUF_INIT, rel = BUF_INIT;
	char path[PATH_BYTES_MAX], hex[2 * CRYPTO_GCM_TAG_BYTES + 1], login[ACCESS_LOGIN_BYTES];
	char *old = NULL;
	size_t n = 0;
	struct err why;
	int sealed, rc = -1;

	buf_reset(&out->name);
	out->gcm_tag[0] = '\0';
	out->size = 0;
	err_clear(&why);
	if (buf_printf(&rel, GENERATE_RESIDENT_DIR "/%s", name) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (path_join(path, r->out->out_dir, rel.data, e) == -1)
		goto out;
	/* the bundle last written for them, or render */
	rc = 0;
	if (read_file(&old, &n, path, BUNDLE_FRAGMENT_BYTES_MAX * 2, &why) == -1 ||
	    (unsigned long long)n != size || n < CRYPTO_GCM_TAG_BYTES)
		goto out;
	crypto_hex(hex, old + n - CRYPTO_GCM_TAG_BYTES, CRYPTO_GCM_TAG_BYTES);
	if (strcmp(hex, gcm_tag) != 0)
		goto out;
	sealed = access_reseal_resident(r->access, person_id, r->head, old, n, &bundle, login,
	    &why);
	if (sealed == -1 && why.kind != ERR_DATA) {
		*e = why;
		rc = -1;
		goto out;
	}
	if (sealed != 1)
		goto out;       /* does not open: render */
	rc = -1;
	if (buf_adds(&out->name, name) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	crypto_hex(out->gcm_tag, bundle.data + bundle.len - CRYPTO_GCM_TAG_BYTES,
	    CRYPTO_GCM_TAG_BYTES);
	out->size = bundle.len;
	if (site_write_file(r->out, rel.data, bundle.data, bundle.len, e) == -1)
		goto out;
	rc = 1;
out:
	if (old != NULL)
		secure_wipe(old, n);
	free(old);
	buf_wipe_free(&bundle);
	buf_free(&rel);
	return rc;
}

int
site_write_resident(const struct site_resident *r, const char *person_id,
    struct site_resident_file *out, struct err *e)
{
	struct statement *s = NULL;
	struct buf frag = BUF_INIT;
	int rc = -1;

	buf_reset(&out->name);
	out->gcm_tag[0] = '\0';
	out->size = 0;
	if (statement_load(&s, r->q, person_id, e) == -1 ||
	    render_statement(&frag, s, r->plain ? RENDER_EXPORT_DATE_LITERAL :
	    RENDER_EXPORT_DATE_BY_PAGE, r->due_day, e) == -1)
		goto out;
	rc = r->plain ? write_plain(r, person_id, &frag, out, e) :
	    write_sealed(r, person_id, &frag, out, e);
out:
	statement_free(s);
	buf_wipe_free(&frag);
	return rc;
}

/* The first bytes of OUT/rel into head (*got: how many; 0 when the file
 * is missing). */
static int
read_head(const struct site_resident *r, const char *rel, unsigned char *head, size_t n,
    size_t *got, struct err *e)
{
	char path[PATH_BYTES_MAX];
	int fd, rc;

	*got = 0;
	if (path_join(path, r->out->out_dir, rel, e) == -1)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return errno == ENOENT ? 0 : err_sys(e, "open %s", path);
	rc = fd_read_full(fd, head, n, got) == -1 ? err_sys(e, "read %s", path) : 0;
	(void)close(fd);
	return rc;
}

/* Reads the PDF of d from the document store and checks its hash. */
static int
read_pdf(const struct site_resident *r, const struct st_document *d, char **pdf, size_t *n,
    struct err *e)
{
	char path[PATH_BYTES_MAX], hex[2 * CRYPTO_SHA256_BYTES + 1];
	unsigned char sum[CRYPTO_SHA256_BYTES];

	*pdf = NULL;
	*n = 0;
	if (docstore_path(r->home, d->sha256, path, sizeof path) == -1)
		return err_set(e, ERR_DATA, "document %s: bad sha256 (%s)", d->id, d->sha256);
	if (read_file(pdf, n, path, DOCSEAL_PDF_MAX, e) == -1)
		return err_prefix(e, "document %s", d->id);
	if (crypto_sha256(sum, *pdf, *n, e) == -1)
		return -1;
	crypto_hex(hex, sum, sizeof sum);
	if (strcmp(hex, d->sha256) != 0)
		return err_set(e, ERR_DATA, "document %s: %s does not match its SHA-256", d->id,
		    path);
	return 0;
}

int
site_write_documents(const struct site_resident *r, const struct statement *s,
    struct names *written, struct err *e)
{
	struct bundle_keys k;
	struct buf rel = BUF_INIT, sealed = BUF_INIT;
	unsigned char head[DOCSEAL_HEAD_MAX];
	char stem[ACCESS_LOGIN_BYTES], token[DOCSEAL_TOKEN_LEN + 1], *pdf = NULL;
	size_t i, got, n = 0;
	int found, rc = -1;

	memset(&k, 0, sizeof k);
	if (r->plain || r->home == NULL || s->ndocuments == 0)
		return 0;
	found = access_load_keys(r->access, s->person_id, &k, stem, e);
	if (found != 1) {
		rc = found;
		goto out;
	}
	for (i = 0; i < s->ndocuments; i++) {
		const struct st_document *d = &s->documents[i];

		buf_reset(&rel);
		if (docseal_token(token, d->id, d->sha256, e) == -1)
			goto out;
		if (buf_printf(&rel, GENERATE_RESIDENT_DIR "/%s" DOCSEAL_INFIX "%s"
		    GENERATE_BUNDLE_SUFFIX, stem, token) == -1) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
		if (names_add(written, rel.data + sizeof GENERATE_RESIDENT_DIR, e) == -1 ||
		    read_head(r, rel.data, head, sizeof head, &got, e) == -1)
			goto out;
		if (docseal_current(head, got, &k, token)) {
			r->out->unchanged++;    /* sealed for this key already */
			continue;
		}
		buf_reset(&sealed);
		if (read_pdf(r, d, &pdf, &n, e) == -1 ||
		    docseal_seal(&sealed, &k, token, pdf, n, e) == -1 ||
		    site_write_file(r->out, rel.data, sealed.data, sealed.len, e) == -1 ||
		    site_note(r->out, "sealed", rel.data, e) == -1)
			goto out;
		secure_wipe(pdf, n);
		free(pdf);
		pdf = NULL;
	}
	rc = 0;
out:
	if (pdf != NULL)
		secure_wipe(pdf, n);
	free(pdf);
	secure_wipe(&k, sizeof k);
	buf_free(&rel);
	buf_free(&sealed);
	return rc;
}
