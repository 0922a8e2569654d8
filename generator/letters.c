/* letters.c — the credentials letters and their mail-merge CSV. */
#include "letters.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"

/*
 * Local escaping writer for the letters only (see letters.h): every value
 * reaches the page through esc(); raw_html() is fixed markup from this file.
 */
static int
esc(struct buf *b, const char *s)
{
	int rc = 0;

	for (; *s != '\0' && rc == 0; s++) {
		switch (*s) {
		case '&': rc = buf_adds(b, "&amp;"); break;
		case '<': rc = buf_adds(b, "&lt;"); break;
		case '>': rc = buf_adds(b, "&gt;"); break;
		case '"': rc = buf_adds(b, "&quot;"); break;
		case '\'': rc = buf_adds(b, "&#39;"); break;
		default: rc = buf_addc(b, *s); break;
		}
	}
	return rc;
}

static int
raw_html(struct buf *b, const char *fixed)
{
	return buf_adds(b, fixed);
}

/* name<br>street SEP postcode town, escaped; sep is fixed markup. */
static int
postal(struct buf *b, const char *name, const char *street, const char *postcode,
    const char *town, const char *sep)
{
	int rc = 0;

	rc |= esc(b, name);
	rc |= raw_html(b, "<br>");
	rc |= esc(b, street);
	rc |= raw_html(b, sep);
	rc |= esc(b, postcode);
	rc |= raw_html(b, " ");
	rc |= esc(b, town);
	return rc;
}

static int
letter_html(struct buf *b, const struct letter *l, const struct letter_sender *f)
{
	int rc = 0;

	rc |= raw_html(b,
	    "<!DOCTYPE html>\n<html lang=\"pl\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<title>Dane do logowania</title>\n<style>\n"
	    "@page { size: A4; margin: 0; }\n"
	    "html, body { margin: 0; padding: 0; }\n"
	    "body { font: 11pt/1.4 \"DejaVu Sans\", Arial, sans-serif; color: #000; }\n"
	    ".sheet { position: relative; width: 210mm; height: 297mm; overflow: hidden; }\n"
	    ".sender { position: absolute; left: 20mm; top: 17mm; width: 85mm; font-size: 8pt; }\n"
	    ".address { position: absolute; left: 20mm; top: 50mm; width: 85mm; height: 40mm; "
	    "font-size: 11pt; }\n"
	    ".body { position: absolute; left: 20mm; right: 20mm; top: 105mm; }\n"
	    ".secret { font: bold 16pt/1.5 \"DejaVu Sans Mono\", monospace; "
	    "letter-spacing: 0.08em; }\n"
	    "dt { font-weight: bold; margin-top: 3mm; }\ndd { margin: 0 0 0 5mm; }\n"
	    "h1 { font-size: 14pt; margin: 0 0 4mm; }\n"
	    ".fold { position: absolute; left: 0; width: 5mm; border-top: 0.2mm solid #999; }\n"
	    ".fold1 { top: 99mm; }\n.fold2 { top: 198mm; }\n"
	    "</style>\n</head>\n<body>\n<div class=\"sheet\">\n"
	    "<div class=\"fold fold1\"></div><div class=\"fold fold2\"></div>\n"
	    "<div class=\"sender\">");
	rc |= postal(b, f->name, f->street, f->postcode, f->town, ", ");
	rc |= raw_html(b, "</div>\n<div class=\"address\">");
	rc |= postal(b, l->name, l->street, l->postcode, l->town, "<br>");
	rc |= raw_html(b, "</div>\n<div class=\"body\">\n"
	    "<h1>Dostęp do internetowego serwisu mieszkańca</h1>\n"
	    "<p>Szanowni Państwo, przekazujemy dane do logowania w serwisie, w którym "
	    "można sprawdzić saldo, historię naliczeń i wpłat oraz składniki opłat.</p>\n"
	    "<dl>\n<dt>Adres serwisu</dt><dd class=\"secret\">");
	rc |= esc(b, f->site_url);
	rc |= raw_html(b, "</dd>\n<dt>Login</dt><dd class=\"secret\">");
	rc |= esc(b, l->login);
	rc |= raw_html(b, "</dd>\n<dt>Hasło</dt><dd class=\"secret\">");
	rc |= esc(b, l->password);
	rc |= raw_html(b, "</dd>\n</dl>\n"
	    "<p><strong>Jak się zalogować:</strong> otwórz adres serwisu w przeglądarce, "
	    "wpisz login i hasło tak, jak są wydrukowane (wielkość liter i myślniki nie mają "
	    "znaczenia), a po zakończeniu wybierz „Wyloguj”.</p>\n"
	    "<p>Hasła nie da się odzyskać ani zmienić przez internet. Prosimy przechowywać "
	    "ten list w bezpiecznym miejscu i nikomu nie podawać hasła. Spółdzielnia nigdy "
	    "nie prosi o hasło telefonicznie ani pocztą elektroniczną.</p>\n"
	    "<p><strong>Jeśli list zaginie</strong> albo hasło mogła poznać inna osoba, "
	    "prosimy zgłosić się osobiście do pokoju nr 8 w siedzibie Spółdzielni "
	    "z dokumentem tożsamości. Wydamy nowe hasło, a dotychczasowe przestanie "
	    "działać.</p>\n</div>\n</div>\n</body>\n</html>\n");
	return rc == 0 ? 0 : -1;
}

static int
csv_field(struct buf *b, const char *s, int last)
{
	int rc = 0;

	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		rc |= buf_addc(b, '\'');
	if (strpbrk(s, ";\"\r\n") != NULL) {
		rc |= buf_addc(b, '"');
		for (; *s != '\0'; s++)
			rc |= *s == '"' ? buf_adds(b, "\"\"") : buf_addc(b, *s);
		rc |= buf_addc(b, '"');
	} else {
		rc |= buf_adds(b, s);
	}
	rc |= buf_adds(b, last ? "\r\n" : ";");
	return rc == 0 ? 0 : -1;
}

static void
file_name(char *out, size_t size, const char *person_id)
{
	size_t i;

	for (i = 0; person_id[i] != '\0' && i + 6 < size; i++) {
		char c = person_id[i];
		out[i] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' ? c : '_';
	}
	memcpy(out + i, ".html", 6);
}

int
letters_write(const char *dir, const struct letter *l, size_t n,
    const struct letter_sender *from, struct err *e)
{
	struct buf csv = BUF_INIT, html = BUF_INIT;
	char path[PATH_BYTES_MAX], name[128];
	size_t i;
	int rc = -1, bad = 0;

	if (mkdir(dir, 0700) == -1) {
		if (errno == EEXIST)
			return err_set(e, ERR_USAGE, "%s already exists; letters go to a new folder",
			    dir);
		return err_sys(e, "mkdir %s", dir);
	}
	bad |= buf_adds(&csv, "\xef\xbb\xbf");
	bad |= buf_adds(&csv, "id_osoby;adresat;ulica;kod_pocztowy;miejscowosc;login;haslo;"
	    "adres_serwisu\r\n");
	for (i = 0; i < n; i++) {
		bad |= csv_field(&csv, l[i].person_id, 0);
		bad |= csv_field(&csv, l[i].name, 0);
		bad |= csv_field(&csv, l[i].street, 0);
		bad |= csv_field(&csv, l[i].postcode, 0);
		bad |= csv_field(&csv, l[i].town, 0);
		bad |= csv_field(&csv, l[i].login, 0);
		bad |= csv_field(&csv, l[i].password, 0);
		bad |= csv_field(&csv, from->site_url, 1);
		buf_reset(&html);
		if (letter_html(&html, &l[i], from) == -1) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
		file_name(name, sizeof name, l[i].person_id);
		if (path_join(path, dir, name, e) == -1)
			goto out;
		if (access(path, F_OK) == 0) {   /* e.g. ids "O/1" and "O_1" */
			err_set(e, ERR_DATA, "two people's letters would both be %s", name);
			goto out;
		}
		if (write_file_atomic(path, html.data, html.len, 0600, e) == -1)
			goto out;
	}
	if (bad) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (path_join(path, dir, "credentials.csv", e) == -1 ||
	    write_file_atomic(path, csv.data, csv.len, 0600, e) == -1)
		goto out;
	rc = 0;
out:
	buf_wipe_free(&csv);
	buf_wipe_free(&html);
	return rc;
}

int
letters_purge(const char *parent, unsigned days, time_t now, size_t *removed, struct err *e)
{
	char path[PATH_BYTES_MAX];
	struct dirent *d;
	struct stat st;
	DIR *dp;
	int rc = 0;

	*removed = 0;
	dp = opendir(parent);
	if (dp == NULL)
		return errno == ENOENT ? 0 : err_sys(e, "opendir %s", parent);
	while (rc == 0 && (errno = 0, d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		if (path_join(path, parent, d->d_name, e) == -1) {
			rc = -1;
			break;
		}
		if (lstat(path, &st) == -1) {
			rc = err_sys(e, "stat %s", path);
			break;
		}
		if (!S_ISDIR(st.st_mode) || st.st_mtime > now - (time_t)days * 86400)
			continue;
		if (remove_tree(path, e) == -1)
			rc = -1;
		else
			(*removed)++;
	}
	if (rc == 0 && errno != 0)
		rc = err_sys(e, "readdir %s", parent);
	(void)closedir(dp);
	return rc;
}
