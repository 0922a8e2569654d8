/* test_canon.c — the snapshot's line format: parsing, escapes, money, paths,
 * the format 2 records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "tap.h"

/* How many folders K000001 .. K000100 fall into (FNV-1a puts them in 81). */
static int
spread(void)
{
	char path[CANON_PATH_MAX], id[16];
	int seen[256] = { 0 }, n = 0, i;
	unsigned long x;
	char *end;
	struct err e;

	for (i = 1; i <= 100; i++) {
		(void)snprintf(id, sizeof id, "K%06d", i);
		if (canon_card_path(path, "cards", id, &e) == -1 || strncmp(path, "cards/", 6) != 0)
			return -1;
		x = strtoul(path + 6, &end, 16);
		if (end != path + 8 || *end != '/' || x > 255)
			return -1;
		if (!seen[x]++)
			n++;
	}
	return n;
}

int
main(void)
{
	struct arena a = ARENA_INIT;
	struct canon_rec *r = NULL;
	struct err e;
	char path[CANON_PATH_MAX];
	size_t n = 0;
	int64_t v = 0;
	static const char file[] =
	    "# booking\tid\tdate\n"
	    "booking\t10025\t2021-11-15\t2021-10\tKOR\t\t-12.00\t0.00\tKorekta\\nza \\\\ pa\\tzd\n"
	    "\n"
	    "person\tO1\tKowalska\t\tul. X\t26-200\tKońskie\t\n";
	static const char bad_tag[] = "bogus\t1\n";
	static const char bad_count[] = "person\tO1\tKowalska\n";
	static const char v2[] =
	    "reading\tR-1\tB07/1/3\tZW-1\tZW\t2021-09-30\t298.000\tO\t\t\n"
	    "reading_warning\tR-1\tdecrease\t300.000\t298.000\n"
	    "document\tSTATUT\t2020-06-20\tOGL\tpublic\t\tStatut\tdokumenty/s.pdf\t512\t"
	    "0000000000000000000000000000000000000000000000000000000000000000\n";
	const struct canon_schema *rs = canon_schema_find("reading");

	tap_plan(27);
	ok(canon_parse(&r, &n, &a, file, sizeof file - 1, "t", &e) == 0, "a file parses");
	is_int(n, 2, "two records, comment and blank line skipped");
	ok(strcmp(r[0].schema->tag, "booking") == 0 && r[0].line == 2, "tag and line number");
	ok(r[0].fields[4] == NULL, "an empty field is NULL");
	ok(strcmp(r[0].fields[7], "Korekta\nza \\ pa\tzd") == 0, "escapes are undone");
	ok(r[1].fields[2] == NULL && r[1].fields[6] == NULL, "empty middle and last fields");
	ok(strcmp(r[1].fields[5], "Końskie") == 0, "UTF-8 passes through");
	ok(canon_parse(&r, &n, &a, bad_tag, sizeof bad_tag - 1, "t", &e) == -1 &&
	    e.kind == ERR_DATA && strcmp(e.msg, "t:1: unknown record bogus") == 0,
	    "an unknown tag is a data error naming the line");
	ok(canon_parse(&r, &n, &a, bad_count, sizeof bad_count - 1, "t", &e) == -1 &&
	    strstr(e.msg, "expected 7 fields") != NULL, "a short line is a data error");

	ok(rs != NULL && rs->nkey == 1 && rs->nfields == 9 && strcmp(rs->fields[0], "id") == 0 &&
	    strcmp(rs->fields[4], "date") == 0, "reading: keyed by id, its date named (closed periods)");
	ok(canon_parse(&r, &n, &a, v2, sizeof v2 - 1, "t", &e) == 0 && n == 3,
	    "format 2 lines parse: reading, reading_warning, document");
	ok(r[0].fields[7] == NULL && r[0].fields[8] == NULL && strcmp(r[0].fields[5], "298.000") == 0,
	    "a reading without usage: empty fields");
	ok(r[1].schema->nkey == 2 && r[2].fields[4] == NULL && strcmp(r[2].fields[8],
	    "0000000000000000000000000000000000000000000000000000000000000000") == 0,
	    "a warning is keyed by reading and kind; a public document has no owner");

	ok(canon_money_parse(&v, "-1234.56") == 0 && v == -123456, "money -1234.56");
	ok(canon_money_parse(&v, "0.07") == 0 && v == 7, "money 0.07");
	ok(canon_money_parse(&v, "12.3") == -1, "one decimal is refused");
	ok(canon_money_parse(&v, "12") == -1, "no decimals is refused");
	ok(canon_money_parse(&v, ".50") == -1, "no integer part is refused");
	ok(canon_money_parse(&v, "99999999999999999999.00") == -1, "overflow is refused");

	ok(canon_card_path(path, "cards", "K000451", &e) == 0 &&
	    strlen(path) == strlen("cards/xx/K000451.txt") &&
	    strncmp(path, "cards/", 6) == 0 && strcmp(path + 8, "/K000451.txt") == 0,
	    "cards/XX/ID.txt");
	ok(canon_card_path(path, "charges", "A/1 b", &e) == 0 &&
	    strcmp(path + 10, "/A%2F1%20b.txt") == 0, "unsafe bytes become %XX");
	ok(canon_card_path(path, "cards", ".x", &e) == 0 && strstr(path, "/%2Ex.txt") != NULL,
	    "a leading dot is escaped");
	ok(canon_card_path(path, "cards", "", &e) == -1 && e.kind == ERR_DATA,
	    "an empty id names no file");
	/* XX is the low byte of the 32-bit FNV-1a hash (canon.h): checked
	 * against the published vectors, not only the path's shape */
	ok(canon_card_path(path, "cards", "a", &e) == 0 && strcmp(path, "cards/2c/a.txt") == 0,
	    "fan-out of \"a\": FNV-1a 0xe40c292c, folder 2c");
	ok(canon_card_path(path, "cards", "foobar", &e) == 0 &&
	    strcmp(path, "cards/68/foobar.txt") == 0, "fan-out of \"foobar\": 0xbf9cf968, folder 68");
	ok(canon_card_path(path, "charges", "K000451", &e) == 0 &&
	    strcmp(path, "charges/40/K000451.txt") == 0, "fan-out of K000451: folder 40");
	ok(spread() > 64, "100 card ids spread over more than 64 of the 256 folders");
	arena_free(&a);
	return tap_done();
}
