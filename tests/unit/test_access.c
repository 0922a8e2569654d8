/* test_access.c — keys.db to bundles and public files; nginx_conf's
 * refusals; apache_conf's live paths and no login cache; the letters' CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access.h"
#include "apache_conf.h"
#include "credentials.h"
#include "fsutil.h"
#include "letters.h"
#include "nginx_conf.h"
#include "secure.h"
#include "tap.h"

static char *
slurp(const char *dir, const char *name)
{
	char path[PATH_BYTES_MAX], *s = NULL;
	size_t n;
	struct err e;

	if (path_join(path, dir, name, &e) == -1 || read_file(&s, &n, path, 1 << 20, &e) == -1)
		return NULL;
	return s;
}

int
main(void)
{
	char tmpl[] = "/tmp/czynsze-test-access.XXXXXX", *dir, path[PATH_BYTES_MAX];
	char site[PATH_BYTES_MAX], ht[PATH_BYTES_MAX], login[ACCESS_LOGIN_BYTES], *s, *t;
	struct db *db = NULL;
	struct access *a = NULL;
	struct cred_issued iss;
	struct buf b = BUF_INIT, b2 = BUF_INIT;
	struct bundle_head h, h2;
	struct stat st1, st2;
	struct err e;
	struct apache_opts ao = { "/srv/home/site/www", "/srv/home/access/htpasswd.d",
		"127.0.0.1:8080", "_", "off", 0, "/srv/home/access/auth", "/srv/home" };
	struct nginx_opts o = { "/srv/site", "/srv/ht", "127.0.0.1:8080", "_", NULL, NULL, 5, 20,
		"off", 0, NULL };
	struct letter l = { "O/1", "=SUM(A1)", "ul. Długa 1; m. 2", "00-001", "Wieś \"Mała\"",
	    "abcdefgh23", "AAAA-BBBB-CCCC-DDDD-EEEE" };
	struct letter_sender from = { "Spółdzielnia <Test>", "ul. X 1", "00-002", "Miasto",
	    "https://e.example.pl/" };

	tap_plan(21);
	err_clear(&e);
	dir = mkdtemp(tmpl);
	(void)path_join(path, dir, "keys.db", &e);
	(void)path_join(site, dir, "site", &e);
	(void)path_join(ht, dir, "htpasswd.d", &e);

	ok(cred_open(&db, path, &e) == 0 && db_begin(db, &e) == 0 &&
	    cred_issue(db, "P1", &iss, &e) == 0 && db_commit(db, &e) == 0, "issue P1");
	ok(cred_issue(db, "P1", &iss, &e) == -1 && e.kind == ERR_REFUSED,
	    "a second live login for P1 is refused");
	secure_wipe(&iss, sizeof iss);
	ok(access_open(&a, path, &e) == 0, "access_open");
	(void)bundle_head_set(&h, "2021-12-28T02:00:13", "00112233445566778899", &e);
	(void)bundle_head_set(&h2, "2021-12-29T02:00:13", "99887766554433221100", &e);
	ok(access_seal_resident(a, "P1", &h, "<p>x</p>", 8, &b, login, &e) == 1 &&
	    strlen(login) == CRED_LOGIN_LEN && b.len > 100, "P1 is sealed, login given");
	ok(access_reseal_resident(a, "P1", &h2, b.data, b.len, &b2, login, &e) == 1 &&
	    access_seal_resident(a, "P1", &h2, "<p>x</p>", 8, &b, login, &e) == 1 &&
	    b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0,
	    "P1 re-sealed for the next export: the bytes sealing gives");
	b2.data[b2.len - 1] ^= 1;
	ok(access_reseal_resident(a, "P1", &h2, b2.data, b2.len, &b, login, &e) == -1 &&
	    e.kind == ERR_DATA && strstr(e.msg, "P1") != NULL,
	    "an altered bundle is not re-sealed (ERR_DATA, naming the person)");
	buf_free(&b2);
	ok(access_seal_resident(a, "P2", &h, "<p>x</p>", 8, &b, login, &e) == 0 &&
	    b.len == 0 && login[0] == '\0', "P2 has no login: nothing sealed");
	ok(access_write_files(a, site, ht, &e) == 0, "write the public files");
	(void)path_join(path, ht, "_", &e);
	ok(stat(path, &st1) == 0 && (st1.st_mode & 0777) == 0640, "htpasswd files are 0640");
	sleep(1);
	ok(access_write_files(a, site, ht, &e) == 0 && stat(path, &st2) == 0 &&
	    st1.st_mtime == st2.st_mtime && st1.st_ino == st2.st_ino,
	    "unchanged files are not rewritten");
	s = slurp(site, "auth/00.json");
	ok(s != NULL && (strcmp(s, "{}\n") == 0 || strstr(s, "\"iterations\":600000") != NULL),
	    "shards are JSON objects");
	free(s);
	access_close(a);
	db_close(db);

	ok(nginx_conf(&b, &o, &e) == 0 && strstr(b.data, "auth_basic_user_file "
	    "\"/srv/ht/$czynsze_htpasswd\";") != NULL &&
	    strstr(b.data, "try_files $czynsze_path =403;") != NULL, "nginx_conf writes the checks");
	o.site_dir = "/srv/site; include /etc/passwd";
	ok(nginx_conf(&b, &o, &e) == -1 && e.kind == ERR_USAGE, "a path with ';' is refused");
	o.site_dir = "srv/site";
	ok(nginx_conf(&b, &o, &e) == -1, "a relative path is refused");
	o.site_dir = "/srv/site";
	o.server_name = "x { }";
	ok(nginx_conf(&b, &o, &e) == -1, "a server name with braces is refused");

	/* the default (live) configuration: HOME's symlinks followed, no cache */
	buf_reset(&b);
	ok(apache_conf(&b, &ao, &e) == 0 &&
	    strstr(b.data, "<Directory \"/srv/home\">\n\t\tOptions SymLinksIfOwnerMatch\n") != NULL &&
	    strstr(b.data, "Alias \"/auth/\" \"/srv/home/access/auth/\"") != NULL,
	    "apache_conf lets Apache follow HOME/site and HOME/access");
	ok(strstr(b.data, "AuthBasicProvider file\n") != NULL && strstr(b.data, "socache") == NULL &&
	    strstr(b.data, "AuthnCache") == NULL, "... and caches no login (revoke at once)");
	ao.links_dir = "/srv/home\"\n<Directory />";
	ok(apache_conf(&b, &ao, &e) == -1 && e.kind == ERR_USAGE, "... a HOME with a quote is refused");

	(void)path_join(path, dir, "letters", &e);
	ok(letters_write(path, &l, 1, &from, &e) == 0, "letters_write");
	s = slurp(path, "credentials.csv");
	ok(s != NULL && strstr(s, "\r\nO/1;'=SUM(A1);\"ul. Długa 1; m. 2\";00-001;"
	    "\"Wieś \"\"Mała\"\"\";abcdefgh23;AAAA-BBBB-CCCC-DDDD-EEEE;https://e.example.pl/\r\n")
	    != NULL, "CSV: quoting and the formula guard");
	t = slurp(path, "O_1.html");
	ok(t != NULL && strstr(t, "Spółdzielnia &lt;Test&gt;") != NULL &&
	    strstr(t, "Wieś &quot;Mała&quot;") != NULL, "letter: escaped, file name made safe");
	free(s);
	free(t);
	buf_free(&b);
	(void)remove_tree(dir, &e);
	return tap_done();
}
