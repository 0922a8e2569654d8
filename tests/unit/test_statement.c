/* test_statement.c — statement_digest() covers the meter readings and
 * documents a statement shows (schema/005), and only those: a public
 * document or another premises' meter leaves it as it was. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "statement.h"
#include "tap.h"

static const char base_sql[] =
    "INSERT INTO cooperative VALUES (1, 'SM', '6581234569', 'ul. A 1', '26-200', 'Końskie');"
    "INSERT INTO export (id, system, version, generated_at, manifest_sha256, imported_at) "
    "VALUES (1, 'KSM', '1', '2021-12-30T02:00:00', printf('%.64d', 0), '2021-12-30T03:00:00Z');"
    "INSERT INTO person VALUES ('O1', 'Nowak', 'Jan', 'ul. A 1', '26-200', 'Końskie', NULL);"
    "INSERT INTO person VALUES ('O2', 'Kowal', 'Ewa', 'ul. A 1', '26-200', 'Końskie', NULL);"
    "INSERT INTO premises VALUES ('L1', 'B1', 'ul. A', '1', '26-200', 'Końskie', 'M', 'SWP', "
    "4000, 2, 2, '1', NULL);"
    "INSERT INTO premises VALUES ('L2', 'B1', 'ul. A', '2', '26-200', 'Końskie', 'M', 'SWP', "
    "4000, 2, 2, '1', NULL);"
    "INSERT INTO card VALUES ('K1', 'O1', 'L1', 'C', '59124013720000000000000451', 0, '2021-12-30');"
    "INSERT INTO card VALUES ('K2', 'O2', 'L2', 'C', '59124013720000000000000452', 0, '2021-12-30');"
    "INSERT INTO card_digest (card_id, digest) VALUES ('K1', zeroblob(32)), ('K2', zeroblob(32));";

static struct db *db;
static struct statement_query *q;

/* The digest of O1 after running sql (fixed text), as a 0/1 "changed
 * since *last" (and *last updated). */
static int
changed(const char *sql, unsigned char last[STATEMENT_DIGEST_BYTES])
{
	unsigned char now[STATEMENT_DIGEST_BYTES];
	struct err e;
	int r;

	err_clear(&e);
	if (db_exec(db, sql, &e) == -1 || statement_digest(q, "O1", now, &e) == -1) {
		printf("# %s\n", e.msg);
		return -1;
	}
	r = memcmp(now, last, sizeof now) != 0;
	memcpy(last, now, sizeof now);
	return r;
}

int
main(void)
{
	char path[] = "/tmp/test_statement.XXXXXX";
	unsigned char d[STATEMENT_DIGEST_BYTES] = { 0 };
	struct statement *s = NULL;
	struct err e;
	int fd;

	tap_plan(11);
	err_clear(&e);
	fd = mkstemp(path);
	if (fd == -1)
		return 1;
	(void)close(fd);
	if (db_open(&db, path, DB_READWRITE, &e) == -1 || db_migrate(db, 0, &e) == -1 ||
	    db_exec(db, base_sql, &e) == -1 || statement_query_open(&q, db, &e) == -1) {
		printf("# setup: %s\n", e.msg);
		return 1;
	}
	is_int(changed("", d), 1, "a first digest");
	is_int(changed("INSERT INTO meter_reading VALUES ('R9', 'L2', 'X', 'ZW', '2021-06-01', "
	    "1000, 'O', NULL, NULL)", d), 0, "another premises' reading: the same digest");
	is_int(changed("INSERT INTO document VALUES ('P', 'OGL', '2020-01-01', 'Statut', 'public', "
	    "NULL, 'dokumenty/p.pdf', 10, printf('%.64d', 1), 1)", d), 0,
	    "a public document: the same digest");
	is_int(changed("INSERT INTO meter_reading VALUES ('R1', 'L1', 'WM', 'ZW', '2021-06-01', "
	    "1000, 'O', NULL, NULL)", d), 1, "a reading of the person's premises changes it");
	is_int(changed("UPDATE meter_reading SET usage_e3 = 5 WHERE id = 'R1'", d), 1,
	    "... so does its consumption");
	is_int(changed("INSERT INTO reading_warning VALUES ('R1', 'usage', 5, 6)", d), 1,
	    "... and a warning about it");
	is_int(changed("INSERT INTO document VALUES ('D', 'ZAW', '2021-01-01', 'Zawiadomienie', "
	    "'card', 'K1', 'dokumenty/d.pdf', 10, printf('%.64d', 2), 2)", d), 1,
	    "a document for the person's card changes it");
	is_int(changed("UPDATE document SET sha256 = printf('%.64d', 3) WHERE id = 'D'", d), 1,
	    "... so does its file (SHA-256)");
	is_int(changed("INSERT INTO document VALUES ('E', 'INF', '2021-01-01', 'Pismo', "
	    "'person', 'O2', 'dokumenty/e.pdf', 10, printf('%.64d', 4), 3)", d), 0,
	    "another person's document: the same digest");
	if (statement_load(&s, q, "O1", &e) == -1)
		printf("# %s\n", e.msg);
	ok(s != NULL && s->nmeters == 1 && s->meters[0].nreadings == 1 &&
	    s->meters[0].readings[0].warning && s->meters[0].readings[0].has_usage &&
	    s->meters[0].readings[0].usage_e3 == 5, "statement_load: the meter, its reading, usage, warning");
	ok(s != NULL && s->ndocuments == 1 && strcmp(s->documents[0].id, "D") == 0 &&
	    s->documents[0].bytes == 10, "statement_load: the person's one document");
	statement_free(s);
	statement_query_close(q);
	db_close(db);
	(void)unlink(path);
	return tap_done();
}
