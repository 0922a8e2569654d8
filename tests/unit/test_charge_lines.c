/* test_charge_lines.c — the reader of charge.lines (lib/charge_lines.h):
 * every value and the order, the empty list, and malformed texts, which
 * fail and keep failing. */
#include <stdint.h>
#include <stdio.h>

#include "charge_lines.h"
#include "tap.h"

/* Counts the lines of text; -1 when it is malformed. */
static int
count(const char *text)
{
	struct charge_lines it;
	struct charge_line l;
	int n = 0, r;

	charge_lines_begin(&it, text);
	while ((r = charge_lines_next(&it, &l)) == 1)
		n++;
	return r == 0 ? n : -1;
}

int
main(void)
{
	struct charge_lines it;
	struct charge_line l;
	static const char *const bad[] = {
		"", "[", "[[1,2,3,4]", "[[1,2,3,4]]x", "[[1,2,3]]", "[[1,2,3,4,5]]",
		"[[0,2,3,4]]", "[[-1,2,3,4]]", "[[1,2,3,4],]", "[[1,2,3,4][1,2,3,4]]",
		"[[1, 2,3,4]]", "[[1,2,3,9223372036854775808]]", "[[1,2,3,4]],", "[]x",
		"[[1,2,3,--4]]", "[[1,2,3,4]",
	};
	size_t i;
	int r;

	tap_plan(12 + (int)(sizeof bad / sizeof bad[0]));
	charge_lines_begin(&it, "[[3,483000,19500,9419],[12,30000,-325000,-97500]]");
	r = charge_lines_next(&it, &l);
	ok(r == 1 && l.kind == 3 && l.quantity_e4 == 483000 && l.rate_e4 == 19500 &&
	    l.amount_gr == 9419, "the first line, every value");
	r = charge_lines_next(&it, &l);
	ok(r == 1 && l.kind == 12 && l.quantity_e4 == 30000 && l.rate_e4 == -325000 &&
	    l.amount_gr == -97500, "the second line, negative values");
	ok(charge_lines_next(&it, &l) == 0, "then the end");
	ok(charge_lines_next(&it, &l) == 0, "... and the end again");
	ok(count("[]") == 0, "an empty list: no lines, not an error");
	ok(count("[[1,0,0,0]]") == 1, "one line");
	ok(count("[[1,2,3,4],[1,2,3,4],[1,2,3,4]]") == 3, "three lines");
	charge_lines_begin(&it, "[[1,2,3,9223372036854775807]]");
	ok(charge_lines_next(&it, &l) == 1 && l.amount_gr == INT64_MAX, "INT64_MAX fits");
	charge_lines_begin(&it, "[[1,2,3,-9223372036854775807]]");
	ok(charge_lines_next(&it, &l) == 1 && l.amount_gr == -INT64_MAX, "-INT64_MAX fits");
	charge_lines_begin(&it, "[[1,2,3,4],[1,x,3,4]]");
	ok(charge_lines_next(&it, &l) == 1, "a good line before a bad one is read");
	ok(charge_lines_next(&it, &l) == -1, "... then the bad one fails");
	ok(charge_lines_next(&it, &l) == -1, "... and every later call fails too");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char name[80];

		(void)snprintf(name, sizeof name, "malformed: \"%s\"", bad[i]);
		ok(count(bad[i]) == -1, name);
	}
	return tap_done();
}
