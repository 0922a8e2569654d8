/*
 * load_documents.c — dokumenty.xml into document, each PDF it lists
 * checked and added to the document store (lib/docstore.h).
 *
 *   <dokumenty> <dokument id rodzaj data (kartoteka|lokal|osoba|publiczny)
 *                         plik bajtow sha256> <tytul/> </dokument>* </dokumenty>
 *
 * Checks, in this order, each error naming the document's id:
 *  1. the attributes: exactly one owner, which must exist; bajtow at most
 *     DOCUMENT_BYTES_MAX (before the file is opened: a document declared
 *     too large is reported as that, not as a size mismatch); plik a
 *     relative path inside dokumenty/ without "." or ".." components;
 *  2. the file, opened component by component from the export folder
 *     with O_NOFOLLOW (a symbolic link anywhere on the path is refused,
 *     also dokumenty/ itself): a regular file of exactly bajtow bytes,
 *     starting with "%PDF-", with the SHA-256 given.
 * Only then is it added to the store; the caller makes the store durable
 * (docstore_sync) before it commits the database.
 */
#include "load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "date.h"
#include "docstore.h"
#include "fsutil.h"
#include "text.h"
#include "xml_reader.h"

#define TITLE_BYTES_MAX 1024
#define PATH_IN_EXPORT_BYTES_MAX 1024
#define PDF_MAGIC "%PDF-"

static const char *const kinds[] = { "ZAW", "ROZ", "UPO", "INF", "OGL", NULL };

/* The owner attributes, with the owner_kind each gives. */
static const struct owner {
	const char *attr, *kind, *table_sql;
} owners[] = {
	{ "kartoteka", "card", "SELECT 1 FROM card WHERE id = ?1" },
	{ "lokal", "premises", "SELECT 1 FROM premises WHERE id = ?1" },
	{ "osoba", "person", "SELECT 1 FROM person WHERE id = ?1" },
	{ "publiczny", "public", NULL },
};
#define NOWNERS (sizeof owners / sizeof owners[0])

struct doc {
	long line;
	char id[ID_BYTES_MAX + 1];
	const char *kind;
	char date[DATE_ISO_LEN + 1];
	const struct owner *owner;
	char owner_id[ID_BYTES_MAX + 1];
	char path[PATH_IN_EXPORT_BYTES_MAX + 1];
	uint64_t bytes;
	char sha256[SHA256_HEX_LEN + 1];
	int bad;                     /* an error was reported: not inserted */
	int have_title;
};

struct ctx {
	struct load *l;
	struct db_stmt *insert, *exists[NOWNERS];
	int dirfd;                   /* the export folder */
	int in_root, in_item, in_title;
	struct doc d;
	struct buf title, pdf, quoted;
	int64_t seq;
};

static const char *
file_name(void)
{
	return export_file_names[FILE_DOKUMENTY];
}

/* Sets e to "dokumenty.xml:LINE: document ID: ..." (ERR_DATA) and marks
 * the document bad (not inserted).  Returns -1. */
static int
doc_error(struct ctx *c, struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
doc_error(struct ctx *c, struct err *e, const char *fmt, ...)
{
	char what[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	c->d.bad = 1;
	return err_set(e, ERR_DATA, "%s:%ld: document %s: %s", file_name(), c->d.line,
	    c->d.id[0] != '\0' ? c->d.id : "(no id)", what);
}

/* doc_error about attribute i of el, with its value quoted. */
static int
attr_error(struct ctx *c, struct err *e, const struct xml_element *el, int i,
    const char *problem)
{
	buf_reset(&c->quoted);
	if (text_quote_for_error(&c->quoted, el->attr[i].value, el->attr[i].n, 80) == -1 ||
	    c->quoted.data == NULL)
		return doc_error(c, e, "attribute %s: %s", el->attr[i].name, problem);
	return doc_error(c, e, "attribute %s: %s (%s)", el->attr[i].name, problem,
	    c->quoted.data);
}

/* A required attribute: its index, or -1 after an error. */
static int
attr_req(struct ctx *c, struct err *e, const struct xml_element *el, const char *name)
{
	int i = xml_attr_find(el, name);

	if (i < 0)
		return doc_error(c, e, "attribute %s missing", name);
	if (el->attr[i].n == 0)
		return attr_error(c, e, el, i, "empty");
	return i;
}

/* plik: "dokumenty/" then one or more components, none empty, "." or
 * "..", no backslash (a Windows path), nothing absolute. */
static int
check_path(struct ctx *c, struct err *e, const struct xml_element *el, int i)
{
	const char *p = el->attr[i].value, *comp;
	size_t n = el->attr[i].n, len;

	if (n > PATH_IN_EXPORT_BYTES_MAX)
		return attr_error(c, e, el, i, "too long");
	if (p[0] == '/')
		return attr_error(c, e, el, i, "an absolute path");
	if (memchr(p, '\\', n) != NULL)
		return attr_error(c, e, el, i, "a backslash (not a path with /)");
	if (strncmp(p, DOCUMENTS_DIR "/", sizeof DOCUMENTS_DIR) != 0)
		return attr_error(c, e, el, i, "not inside " DOCUMENTS_DIR "/");
	for (comp = p; comp <= p + n; comp += len + 1) {
		len = strcspn(comp, "/");
		if (len == 0)
			return attr_error(c, e, el, i, "an empty path component");
		if ((len == 1 && comp[0] == '.') || (len == 2 && comp[0] == '.' && comp[1] == '.'))
			return attr_error(c, e, el, i, "a . or .. path component");
		if (comp[len] == '\0')
			break;
	}
	memcpy(c->d.path, p, n + 1);
	return 0;
}

static int
check_bytes(struct ctx *c, struct err *e, const struct xml_element *el, int i)
{
	const char *s = el->attr[i].value;
	uint64_t v = 0;
	size_t k;

	for (k = 0; k < el->attr[i].n; k++) {
		if (s[k] < '0' || s[k] > '9')
			return attr_error(c, e, el, i, "not a number of bytes");
		if (v > DOCUMENT_BYTES_MAX)
			break;           /* and stays so: no overflow */
		v = v * 10 + (uint64_t)(s[k] - '0');
	}
	if (v > DOCUMENT_BYTES_MAX)
		return attr_error(c, e, el, i, "larger than the limit of 20971520 bytes (20 MiB)");
	if (v == 0)
		return attr_error(c, e, el, i, "an empty file");
	c->d.bytes = v;
	return 0;
}

static int
check_sha256(struct ctx *c, struct err *e, const struct xml_element *el, int i)
{
	const char *s = el->attr[i].value;
	size_t k;

	if (el->attr[i].n != SHA256_HEX_LEN)
		return attr_error(c, e, el, i, "not a SHA-256 in hex");
	for (k = 0; k < SHA256_HEX_LEN; k++)   /* either case: lower-cased */
		c->d.sha256[k] = (char)(s[k] >= 'A' && s[k] <= 'F' ? s[k] - 'A' + 'a' : s[k]);
	c->d.sha256[k] = '\0';
	if (!crypto_is_hex(c->d.sha256, SHA256_HEX_LEN))
		return attr_error(c, e, el, i, "not a SHA-256 in hex");
	return 0;
}

/* Exactly one owner attribute; a card, premises or person that exists. */
static int
check_owner(struct ctx *c, const struct xml_element *el, struct err *e)
{
	size_t k, found = NOWNERS;
	int i = -1, j, r;

	for (k = 0; k < NOWNERS; k++) {
		j = xml_attr_find(el, owners[k].attr);
		if (j < 0)
			continue;
		if (found != NOWNERS)
			return doc_error(c, e, "more than one owner (%s and %s)", owners[found].attr,
			    owners[k].attr);
		found = k;
		i = j;
	}
	if (found == NOWNERS)
		return doc_error(c, e, "no owner (kartoteka, lokal, osoba or publiczny=\"tak\")");
	c->d.owner = &owners[found];
	if (c->d.owner->table_sql == NULL) {
		if (strcmp(el->attr[i].value, "tak") != 0)
			return attr_error(c, e, el, i, "not tak");
		return 0;
	}
	if (el->attr[i].n == 0 || el->attr[i].n > ID_BYTES_MAX)
		return attr_error(c, e, el, i, el->attr[i].n == 0 ? "empty" : "too long");
	if (db_bind_text(c->exists[found], 1, el->attr[i].value, el->attr[i].n, e) == -1)
		return -1;
	r = db_step(c->exists[found], NULL, e);
	db_reset(c->exists[found]);
	if (r == -1)
		return -1;
	if (r == 0)
		return attr_error(c, e, el, i, found == 0 ? "unknown card" :
		    found == 1 ? "unknown premises" : "unknown person");
	memcpy(c->d.owner_id, el->attr[i].value, el->attr[i].n + 1);
	return 0;
}

/* 1 when s is one of the NULL-terminated codes (*out: that code). */
static int
is_code(const char **out, const char *s, const char *const *codes)
{
	for (; *codes != NULL; codes++)
		if (strcmp(*codes, s) == 0) {
			*out = *codes;
			return 1;
		}
	return 0;
}

static int
start_item(struct ctx *c, const struct xml_element *el, struct err *e)
{
	int i;

	memset(&c->d, 0, sizeof c->d);
	c->in_item = 1;
	c->d.line = el->line;
	c->l->rows[FILE_DOKUMENTY]++;
	if ((i = attr_req(c, e, el, "id")) < 0)
		return -1;
	if (el->attr[i].n > ID_BYTES_MAX)
		return attr_error(c, e, el, i, "too long");
	memcpy(c->d.id, el->attr[i].value, el->attr[i].n + 1);
	if ((i = attr_req(c, e, el, "rodzaj")) < 0)
		return -1;
	if (!is_code(&c->d.kind, el->attr[i].value, kinds))
		return attr_error(c, e, el, i, "not one of ZAW ROZ UPO INF OGL");
	if ((i = attr_req(c, e, el, "data")) < 0)
		return -1;
	if (date_parse_pl(c->d.date, el->attr[i].value, el->attr[i].n) == -1)
		return attr_error(c, e, el, i, "not a date DD.MM.RRRR");
	if (check_owner(c, el, e) == -1 ||
	    (i = attr_req(c, e, el, "bajtow")) < 0 || check_bytes(c, e, el, i) == -1 ||
	    (i = attr_req(c, e, el, "plik")) < 0 || check_path(c, e, el, i) == -1 ||
	    (i = attr_req(c, e, el, "sha256")) < 0 || check_sha256(c, e, el, i) == -1)
		return -1;
	return 0;
}

/* Opens plik from the export folder one component at a time, never
 * following a link.  Returns the file's descriptor, or -1 after an error. */
static int
open_in_export(struct ctx *c, struct err *e)
{
	char comp[PATH_IN_EXPORT_BYTES_MAX + 1];
	const char *p = c->d.path;
	int dir = c->dirfd, fd = -1;
	size_t len;

	for (;;) {
		len = strcspn(p, "/");
		memcpy(comp, p, len);
		comp[len] = '\0';
		if (p[len] == '\0')
			break;
		fd = openat(dir, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dir != c->dirfd)
			(void)close(dir);
		if (fd == -1)
			return doc_error(c, e, "file %s: %s", c->d.path, errno == ELOOP ||
			    errno == ENOTDIR ? "a symbolic link or not a folder on the path" :
			    errno == ENOENT ? "missing" : strerror(errno));
		dir = fd;
		p += len + 1;
	}
	/* O_NONBLOCK: a FIFO must not stop the import (it is refused below) */
	fd = openat(dir, comp, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		doc_error(c, e, "file %s: %s", c->d.path, errno == ELOOP ? "a symbolic link" :
		    errno == ENOENT ? "missing" : strerror(errno));
	if (dir != c->dirfd)
		(void)close(dir);
	return fd;
}

/* The file plik names: regular, bajtow bytes, a PDF, the SHA-256 given;
 * then into the store. */
static int
check_file(struct ctx *c, struct err *e)
{
	unsigned char md[SHA256_BYTES];
	char hex[SHA256_HEX_LEN + 1];
	struct stat st;
	size_t got;
	int fd, rc = -1;

	fd = open_in_export(c, e);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1) {
		err_sys(e, "%s", c->d.path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		doc_error(c, e, "file %s: not a regular file", c->d.path);
		goto out;
	}
	if ((uint64_t)st.st_size != c->d.bytes) {
		doc_error(c, e, "file %s: %llu bytes, the index says %llu (broken transfer?)",
		    c->d.path, (unsigned long long)st.st_size, (unsigned long long)c->d.bytes);
		goto out;
	}
	buf_reset(&c->pdf);
	if (buf_grow(&c->pdf, (size_t)c->d.bytes + 1) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (fd_read_full(fd, c->pdf.data, (size_t)c->d.bytes + 1, &got) == -1) {
		err_sys(e, "read %s", c->d.path);
		goto out;
	}
	if (got != c->d.bytes) {
		doc_error(c, e, "file %s: changed while read (broken transfer?)", c->d.path);
		goto out;
	}
	if (got < sizeof PDF_MAGIC - 1 || memcmp(c->pdf.data, PDF_MAGIC, sizeof PDF_MAGIC - 1) != 0) {
		doc_error(c, e, "file %s: not a PDF (does not start with %s)", c->d.path, PDF_MAGIC);
		goto out;
	}
	if (crypto_sha256(md, c->pdf.data, got, e) == -1)
		goto out;
	crypto_hex(hex, md, sizeof md);
	if (strcmp(hex, c->d.sha256) != 0) {
		doc_error(c, e, "file %s: SHA-256 differs from the index (broken transfer?): "
		    "expected %s, found %s", c->d.path, c->d.sha256, hex);
		goto out;
	}
	if (docstore_add(c->l->home, hex, c->pdf.data, got, e) == -1)
		goto out;
	rc = 0;
out:
	(void)close(fd);
	return rc;
}

static int
end_item(struct ctx *c, struct err *e)
{
	enum db_constraint con;
	int rc = -1;

	c->in_item = 0;
	if (c->d.bad)
		return 0;               /* reported already */
	if (!c->d.have_title)
		return doc_error(c, e, "element tytul missing");
	if (check_file(c, e) == -1)
		return -1;
	if (db_bind_text(c->insert, 1, c->d.id, (size_t)-1, e) == -1 ||
	    db_bind_text(c->insert, 2, c->d.kind, (size_t)-1, e) == -1 ||
	    db_bind_text(c->insert, 3, c->d.date, DATE_ISO_LEN, e) == -1 ||
	    db_bind_text(c->insert, 4, c->title.data, c->title.len, e) == -1 ||
	    db_bind_text(c->insert, 5, c->d.owner->kind, (size_t)-1, e) == -1 ||
	    db_bind_text_or_null(c->insert, 6, c->d.owner_id, (size_t)-1, e) == -1 ||
	    db_bind_text(c->insert, 7, c->d.path, (size_t)-1, e) == -1 ||
	    db_bind_int64(c->insert, 8, (int64_t)c->d.bytes, e) == -1 ||
	    db_bind_text(c->insert, 9, c->d.sha256, SHA256_HEX_LEN, e) == -1 ||
	    db_bind_int64(c->insert, 10, c->seq++, e) == -1)
		goto out;
	if (db_step(c->insert, &con, e) == -1) {
		if (con == DB_UNIQUE)
			doc_error(c, e, "duplicate id");
		goto out;
	}
	rc = 0;
out:
	db_reset(c->insert);
	return rc;
}

static int
on_start(void *vctx, const struct xml_element *el, struct err *e)
{
	struct ctx *c = vctx;

	if (el->depth == 1 && strcmp(el->name, "dokumenty") == 0) {
		c->in_root = 1;
		return 0;
	}
	if (el->depth == 2 && c->in_root && strcmp(el->name, "dokument") == 0)
		return start_item(c, el, e);
	if (el->depth == 3 && c->in_item && strcmp(el->name, "tytul") == 0) {
		if (c->d.have_title)
			return doc_error(c, e, "element tytul: appears twice");
		c->in_title = 1;
		buf_reset(&c->title);
		return 0;
	}
	return xml_element_error(e, el->file, el->line, el->name, "not expected here");
}

static int
on_end(void *vctx, const char *name, int depth, long line, struct err *e)
{
	struct ctx *c = vctx;

	if (depth == 3 && c->in_title) {
		c->in_title = 0;
		text_fold_space(&c->title);
		if (c->title.len == 0)
			return doc_error(c, e, "element tytul: empty");
		c->d.have_title = 1;
		return 0;
	}
	if (depth == 2 && c->in_item)
		return end_item(c, e);
	return 0;
}

static int
on_text(void *vctx, const char *s, size_t n, long line, struct err *e)
{
	struct ctx *c = vctx;
	size_t i;

	if (!c->in_title) {
		for (i = 0; i < n; i++)
			if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
				return err_set(e, ERR_DATA, "%s:%ld: text not expected here",
				    file_name(), line);
		return 0;
	}
	if (c->title.len + n > TITLE_BYTES_MAX)
		return xml_element_error(e, file_name(), line, "tytul", "text too long");
	if (buf_add(&c->title, s, n) == -1)
		return err_set(e, ERR_SYSTEM, "out of memory");
	return 0;
}

int
load_documents(struct load *l, struct err *e)
{
	static const struct xml_handlers handlers = { on_start, on_end, on_text, NULL };
	struct ctx c;
	size_t k;
	int rc = -1;

	memset(&c, 0, sizeof c);
	c.l = l;
	c.dirfd = open(l->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c.dirfd == -1) {
		err_sys(e, "open %s", l->dir);
		goto out;
	}
	if (db_prepare(&c.insert, l->db, "INSERT INTO document (id, kind, date, title, "
	    "owner_kind, owner_id, path, bytes, sha256, seq) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", e) == -1)
		goto out;
	for (k = 0; k < NOWNERS; k++)
		if (owners[k].table_sql != NULL &&
		    db_prepare(&c.exists[k], l->db, owners[k].table_sql, e) == -1)
			goto out;
	if (xml_read(l->dir, file_name(), &handlers, &c, l->diag, e) == -1 ||
	    docstore_sync(l->home, e) == -1)
		goto out;
	rc = 0;
out:
	if (c.dirfd != -1)
		(void)close(c.dirfd);
	db_finalize(c.insert);
	for (k = 0; k < NOWNERS; k++)
		db_finalize(c.exists[k]);
	buf_free(&c.title);
	buf_free(&c.quoted);
	buf_wipe_free(&c.pdf);  /* personal data */
	return rc;
}
