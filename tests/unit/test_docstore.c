/* test_docstore.c — the document store: names only from a SHA-256 in
 * lowercase hex, files 0600 in 0700 folders, a file already there with the
 * same bytes left alone and a damaged one replaced, and pruning that keeps
 * exactly what czynsze.db and czynsze.db.prev name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "db.h"
#include "docstore.h"
#include "fsutil.h"
#include "tap.h"

static struct home h;

/* The hex SHA-256 of s into hex. */
static void
hash_of(char hex[65], const char *s)
{
	unsigned char md[32];
	struct err e;

	(void)crypto_sha256(md, s, strlen(s), &e);
	crypto_hex(hex, md, sizeof md);
}

/* A new database file at HOME/name whose document table names hex (NULL:
 * a database without that table). */
static int
make_db(const char *name, const char *hex)
{
	char path[PATH_BYTES_MAX];
	struct db *db = NULL;
	struct db_stmt *st = NULL;
	struct err e;
	int rc = -1;

	if (home_path(&h, name, path, &e) == -1 || unlink_if_exists(path, &e) == -1 ||
	    db_open(&db, path, DB_CREATE, &e) == -1)
		goto out;
	if (hex == NULL) {
		rc = db_exec(db, "CREATE TABLE other (x)", &e);
		goto out;
	}
	if (db_exec(db, "CREATE TABLE document (sha256 TEXT)", &e) == -1 ||
	    db_prepare(&st, db, "INSERT INTO document VALUES (?1)", &e) == -1 ||
	    db_bind_text(st, 1, hex, (size_t)-1, &e) == -1 || db_step(st, NULL, &e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(st);
	db_close(db);
	return rc;
}

static int
mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

int
main(void)
{
	char dir[] = "/tmp/test_docstore.XXXXXX";
	char a[65], b[65], c[65], pa[PATH_BYTES_MAX], pb[PATH_BYTES_MAX], pc[PATH_BYTES_MAX];
	char small[16], debris[PATH_BYTES_MAX + 16], folder[PATH_BYTES_MAX];
	char want[PATH_BYTES_MAX + 128];
	char *text = NULL;
	size_t n, removed = 0;
	struct err e;

	tap_plan(16);
	err_clear(&e);
	if (mkdtemp(dir) == NULL || home_resolve(&h, dir, &e) == -1)
		return 1;
	hash_of(a, "%PDF-a");
	hash_of(b, "%PDF-b");
	hash_of(c, "%PDF-c");

	(void)snprintf(want, sizeof want, "%s/documents/%.2s/%s.pdf", dir, a, a);
	ok(docstore_path(&h, a, pa, sizeof pa) == 0, "a SHA-256: a path");
	is_str(pa, want, "... HOME/documents/XX/HEX.pdf");
	ok(docstore_path(&h, "../../etc/passwd", pb, sizeof pb) == -1 && pb[0] == '\0',
	    "not a hash: refused, out empty");
	b[10] = 'A';
	ok(docstore_path(&h, b, pb, sizeof pb) == -1, "upper-case hex: refused");
	hash_of(b, "%PDF-b");
	ok(docstore_path(&h, a, small, sizeof small) == -1 && small[0] == '\0',
	    "a path that does not fit: refused, out empty");

	(void)docstore_path(&h, b, pb, sizeof pb);
	(void)docstore_path(&h, c, pc, sizeof pc);
	is_int(docstore_add(&h, a, "%PDF-a", 6, &e), 1, "a new file is written");
	is_int(mode_of(pa), 0600, "... 0600");
	(void)snprintf(folder, sizeof folder, "%.*s", (int)(strrchr(pa, '/') - pa), pa);
	is_int(mode_of(folder), 0700, "... in a 0700 folder");
	is_int(docstore_add(&h, a, "%PDF-a", 6, &e), 0, "the same bytes again: nothing written");
	(void)write_file_atomic(pa, "%PDF-X", 6, 0600, &e);
	is_int(docstore_add(&h, a, "%PDF-a", 6, &e), 1, "a damaged file is written again");
	ok(read_file(&text, &n, pa, 64, &e) == 0 && n == 6 && memcmp(text, "%PDF-a", 6) == 0,
	    "... with the right bytes");
	free(text);

	(void)docstore_add(&h, b, "%PDF-b", 6, &e);
	(void)docstore_add(&h, c, "%PDF-c", 6, &e);
	(void)snprintf(debris, sizeof debris, "%s.tmp-123", pc);
	(void)write_file_atomic(debris, "x", 1, 0600, &e);
	if (make_db("czynsze.db", a) == -1 || make_db("czynsze.db.prev", b) == -1)
		printf("# could not make the databases\n");
	ok(docstore_prune(&h, &removed, &e) == 0 && removed == 2, "prune removes 2 (c and a leftover)");
	ok(access(pa, F_OK) == 0 && access(pb, F_OK) == 0,
	    "... keeps what czynsze.db and czynsze.db.prev name");
	(void)snprintf(folder, sizeof folder, "%.*s", (int)(strrchr(pc, '/') - pc), pc);
	ok(access(pc, F_OK) == -1 && (strncmp(a, c, 2) == 0 || strncmp(b, c, 2) == 0 ||
	    access(folder, F_OK) == -1), "... removes the other, and its folder left empty");
	if (make_db("czynsze.db.prev", NULL) == -1)
		printf("# could not remake the database\n");
	ok(docstore_prune(&h, &removed, &e) == 0 && removed == 1 && access(pb, F_OK) == -1,
	    "a database without a document table names nothing");
	ok(access(pa, F_OK) == 0, "... the live one's file stays");
	(void)remove_tree(dir, &e);
	return tap_done();
}
