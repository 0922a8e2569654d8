#include "manifest.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "crypto.h"
#include "date.h"
#include "text.h"
#include "xml_reader.h"

const char *const export_file_names[FILE_COUNT] = {
	"lokale.csv", "osoby.csv", "kartoteki.csv", "obroty.csv",
	"naliczenia.xml", "komunikaty.xml", "odczyty.csv", "dokumenty.xml",
};

/*
 * Checks that dir/name is a regular file of at most max_bytes before
 * anything reads it: a device (a link to /dev/zero) or a FIFO would make
 * hashing hang, a sparse file of terabytes keep it busy for hours.
 * ERR_DATA "NAME: ..." when not.
 */
static int
stat_export_file(const char *path, const char *name, uint64_t max_bytes, struct err *e)
{
	struct stat st;

	if (stat(path, &st) == -1) {
		err_sys(e, "%s: file missing or unreadable", name);
		e->kind = ERR_DATA;
		return -1;
	}
	if (!S_ISREG(st.st_mode))
		return err_set(e, ERR_DATA, "%s: not a regular file", name);
	if ((uint64_t)st.st_size > max_bytes)
		return err_set(e, ERR_DATA, "%s: file larger than %llu bytes (%llu)", name,
		    (unsigned long long)max_bytes, (unsigned long long)st.st_size);
	return 0;
}

struct parse {
	struct manifest *m;
	int seen_root, seen_coop;
};

/* Copies attribute `name` of el, trimmed, into out[cap]; required ones
 * must be non-empty. */
static int
copy_attr(char *out, size_t cap, const struct xml_element *el, const char *name,
    int required, struct err *e)
{
	struct buf b = BUF_INIT;
	const char *problem;
	unsigned bad;
	int i = xml_attr_find(el, name), rc = -1;
	char what[96];

	out[0] = '\0';
	if (i < 0) {
		if (!required)
			return 0;
		(void)snprintf(what, sizeof what, "attribute %s missing", name);
		return xml_element_error(e, el->file, el->line, el->name, what);
	}
	if (text_decode(&b, el->attr[i].value, el->attr[i].n, TEXT_UTF8, &problem, &bad) == -1) {
		xml_attr_error(e, el, i, problem);
		goto out;
	}
	if (required && b.len == 0) {
		xml_attr_error(e, el, i, "empty");
		goto out;
	}
	if (b.len >= cap) {
		xml_attr_error(e, el, i, "too long");
		goto out;
	}
	if (b.len > 0)
		memcpy(out, b.data, b.len + 1);
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

static int
on_plik(struct parse *p, const struct xml_element *el, struct err *e)
{
	char name[64], rows[32], sha[SHA256_HEX_LEN + 2];
	struct manifest_file *f = NULL;
	uint64_t v = 0;
	size_t i;

	if (copy_attr(name, sizeof name, el, "nazwa", 1, e) == -1 ||
	    copy_attr(rows, sizeof rows, el, "wierszy", 1, e) == -1 ||
	    copy_attr(sha, sizeof sha, el, "sha256", 1, e) == -1)
		return -1;
	for (i = 0; i < FILE_COUNT; i++)
		if (strcmp(name, export_file_names[i]) == 0)
			f = &p->m->file[i];
	if (f == NULL)
		return xml_attr_error(e, el, xml_attr_find(el, "nazwa"), "not a file of the export");
	if (f->listed)
		return xml_attr_error(e, el, xml_attr_find(el, "nazwa"), "listed twice");
	for (i = 0; rows[i] != '\0'; i++) {
		if (rows[i] < '0' || rows[i] > '9' || v > (UINT64_MAX - 9) / 10)
			return xml_attr_error(e, el, xml_attr_find(el, "wierszy"), "not a row count");
		v = v * 10 + (uint64_t)(rows[i] - '0');
	}
	/* upper or lower case: lower-cased, then checked */
	for (i = 0; i < SHA256_HEX_LEN && sha[i] != '\0'; i++)
		f->sha256[i] = (char)(sha[i] >= 'A' && sha[i] <= 'F' ? sha[i] - 'A' + 'a' : sha[i]);
	f->sha256[i] = '\0';
	if (i != SHA256_HEX_LEN || sha[i] != '\0' || !crypto_is_hex(f->sha256, SHA256_HEX_LEN))
		return xml_attr_error(e, el, xml_attr_find(el, "sha256"), "not a SHA-256 in hex");
	f->rows = v;
	f->listed = 1;
	return 0;
}

static int
on_start(void *ctx, const struct xml_element *el, struct err *e)
{
	struct parse *p = ctx;
	struct manifest *m = p->m;
	char format[8];
	int i;

	if (el->depth == 1) {
		if (strcmp(el->name, "eksport") != 0)
			return xml_element_error(e, el->file, el->line, el->name,
			    "root element must be eksport");
		p->seen_root = 1;
		if (copy_attr(m->system, sizeof m->system, el, "system", 1, e) == -1 ||
		    copy_attr(m->version, sizeof m->version, el, "wersja", 0, e) == -1 ||
		    copy_attr(m->generated_at, sizeof m->generated_at, el, "wygenerowano", 1, e) == -1 ||
		    copy_attr(format, sizeof format, el, "format", 0, e) == -1)
			return -1;
		if (format[0] == '\0' || strcmp(format, "1") == 0)
			m->format = 1;
		else if (strcmp(format, "2") == 0)
			m->format = 2;
		else
			return xml_attr_error(e, el, xml_attr_find(el, "format"),
			    "not a format this czynsze reads (1 or 2)");
		if (timestamp_check_iso(m->generated_at) == -1)
			return xml_attr_error(e, el, xml_attr_find(el, "wygenerowano"),
			    "not a timestamp YYYY-MM-DDTHH:MM:SS");
		return 0;
	}
	if (el->depth == 2 && strcmp(el->name, "spoldzielnia") == 0) {
		if (p->seen_coop)
			return xml_element_error(e, el->file, el->line, el->name, "appears twice");
		p->seen_coop = 1;
		if (copy_attr(m->coop_name, sizeof m->coop_name, el, "nazwa", 1, e) == -1 ||
		    copy_attr(m->coop_nip, sizeof m->coop_nip, el, "nip", 1, e) == -1 ||
		    copy_attr(m->coop_street, sizeof m->coop_street, el, "ulica", 1, e) == -1 ||
		    copy_attr(m->coop_postcode, sizeof m->coop_postcode, el, "kod_pocztowy", 1, e) == -1 ||
		    copy_attr(m->coop_town, sizeof m->coop_town, el, "miejscowosc", 1, e) == -1)
			return -1;
		for (i = 0; m->coop_nip[i] != '\0'; i++)
			if (m->coop_nip[i] < '0' || m->coop_nip[i] > '9' || i >= 10)
				return xml_attr_error(e, el, xml_attr_find(el, "nip"), "not a NIP of 10 digits");
		if (i != 10)
			return xml_attr_error(e, el, xml_attr_find(el, "nip"), "not a NIP of 10 digits");
		return 0;
	}
	if (el->depth == 2 && strcmp(el->name, "plik") == 0)
		return on_plik(p, el, e);
	return xml_element_error(e, el->file, el->line, el->name, "not expected here");
}

/* 1 when dir/name exists (as anything, even a dangling link), 0 when
 * not, -1 on another error. */
static int
exists(const char *dir, const char *name, struct err *e)
{
	char path[4096];
	struct stat st;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return err_set(e, ERR_USAGE, "%s: path too long", dir);
	if (lstat(path, &st) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	err_sys(e, "%s", name);
	e->kind = ERR_DATA;
	return -1;
}

int
manifest_check_optional(const struct manifest *m, const char *dir, struct err *e)
{
	size_t f;
	int r;

	for (f = FILE_OPTIONAL; f < FILE_COUNT; f++) {
		if (m->file[f].listed && m->format < 2)
			return err_set(e, ERR_DATA, "%s: file %s listed, but the manifest is "
			    "not format=\"2\"", MANIFEST_FILE, export_file_names[f]);
		if ((r = exists(dir, export_file_names[f], e)) == -1)
			return -1;
		if (m->file[f].listed && !r)
			return err_set(e, ERR_DATA, "%s: listed in %s but missing (broken transfer?)",
			    export_file_names[f], MANIFEST_FILE);
		if (!m->file[f].listed && r)
			return err_set(e, ERR_DATA, "%s: present but not listed in %s (broken "
			    "transfer?)", export_file_names[f], MANIFEST_FILE);
	}
	if ((r = exists(dir, DOCUMENTS_DIR, e)) == -1)
		return -1;
	if (r && !m->file[FILE_DOKUMENTY].listed)
		return err_set(e, ERR_DATA, "%s/: present but %s not listed in %s (broken "
		    "transfer?)", DOCUMENTS_DIR, export_file_names[FILE_DOKUMENTY], MANIFEST_FILE);
	return 0;
}

int
manifest_read(struct manifest *out, const char *dir, struct diag *diag, struct err *e)
{
	static const struct xml_handlers handlers = { on_start, NULL, NULL, NULL };
	struct parse p = { out, 0, 0 };
	char path[4096];
	size_t i;

	memset(out, 0, sizeof *out);
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, MANIFEST_FILE) >= sizeof path)
		return err_set(e, ERR_USAGE, "%s: path too long", dir);
	if (stat_export_file(path, MANIFEST_FILE, MANIFEST_BYTES_MAX, e) == -1)
		return -1;
	if (sha256_file(out->digest, NULL, path, e) == -1) {
		e->kind = ERR_DATA; /* a missing manifest is a bad export */
		return -1;
	}
	if (xml_read(dir, MANIFEST_FILE, &handlers, &p, diag, e) == -1)
		return -1;
	if (!p.seen_coop)
		return err_set(e, ERR_DATA, "%s: element spoldzielnia missing", MANIFEST_FILE);
	for (i = 0; i < FILE_OPTIONAL; i++)
		if (!out->file[i].listed)
			return err_set(e, ERR_DATA, "%s: file %s not listed", MANIFEST_FILE,
			    export_file_names[i]);
	return 0;
}

int
manifest_hash_file(const struct manifest *m, const char *dir, enum export_file f,
    struct err *e)
{
	char path[4096], hex[SHA256_HEX_LEN + 1];
	struct err io;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, export_file_names[f]) >= sizeof path)
		return err_set(e, ERR_USAGE, "%s: path too long", dir);
	if (stat_export_file(path, export_file_names[f], EXPORT_FILE_BYTES_MAX, e) == -1)
		return -1;
	if (sha256_file(hex, NULL, path, &io) == -1)
		return err_set(e, ERR_DATA, "%s: file missing or unreadable (%s)",
		    export_file_names[f], io.msg);
	return manifest_compare_hash(m, f, hex, e);
}

int
manifest_compare_hash(const struct manifest *m, enum export_file f,
    const char hex[SHA256_HEX_LEN + 1], struct err *e)
{
	if (strcmp(hex, m->file[f].sha256) != 0)
		return err_set(e, ERR_DATA, "%s: SHA-256 differs from the manifest "
		    "(broken transfer?): expected %s, found %s", export_file_names[f],
		    m->file[f].sha256, hex);
	return 0;
}

int
manifest_stat_file(const char *dir, enum export_file f, struct err *e)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, export_file_names[f]) >= sizeof path)
		return err_set(e, ERR_USAGE, "%s: path too long", dir);
	return stat_export_file(path, export_file_names[f], EXPORT_FILE_BYTES_MAX, e);
}
