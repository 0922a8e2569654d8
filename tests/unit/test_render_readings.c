/* test_render_readings.c — "Odczyty liczników" in the statement: meters
 * named with medium and unit, readings newest first, kinds and warnings in
 * words, consumption never with a bare minus, the chart limited to the
 * last three years and its table alternative. */
#include <string.h>

#include "render_statement.h"
#include "tap.h"

#define NB "\xC2\xA0"

static struct st_premises flat = {
	"B01/1/45", "B01", "ul. Polna 1", "45", "26-200", "Końskie", "M", "SWL",
	4830, 2, 2, "1", NULL,
};

/* The old meter: first reading and one more before the three-year window,
 * then a read one and an estimated one that went down (a 'decrease'
 * warning: the importer computes no consumption for it). */
static struct st_reading old_readings[] = {
	{ "R1", "2018-06-30", 100000, 'O', 0, 0, 0 },
	{ "R2", "2018-12-31", 110500, 'O', 1, 10500, 0 },
	{ "R3", "2020-12-31", 130000, 'O', 1, 19500, 0 },
	{ "R4", "2021-06-30", 128500, 'S', 0, 0, 1 },
};
/* Its replacement: the new meter's initial state, then one given by the
 * resident whose usage KSM computed otherwise (a warning). */
static struct st_reading new_readings[] = {
	{ "R5", "2021-07-01", 0, 'M', 0, 0, 0 },
	{ "R6", "2021-12-31", 12345, 'Z', 1, 12345, 1 },
};
static struct st_reading heat_readings[] = {
	{ "R7", "2021-12-31", 3250, 'O', 0, 0, 0 },
};

static struct st_meter meters[] = {
	{ "B01/1/45", "WM-OLD", "ZW", 4, old_readings },
	{ "B01/1/45", "WM-NEW", "ZW", 2, new_readings },
	{ "B02/0/7", "C-7", "CO", 1, heat_readings },
};

static const char *
render(size_t nmeters)
{
	static struct buf out = BUF_INIT;
	static struct st_account a;
	struct statement s;
	struct err e;

	memset(&a, 0, sizeof a);
	a.id = "K1";
	a.kind = "C";
	a.bank_account = "59124013720000000000000451";
	a.balance_date = "2021-12-31";
	a.premises = &flat;
	memset(&s, 0, sizeof s);
	s.person_id = "O1";
	s.surname = "Nowak";
	s.street = "ul. Polna 1";
	s.postcode = "26-200";
	s.town = "Końskie";
	s.coop_name = "Spółdzielnia";
	s.coop_nip = "6581234569";
	s.data_as_of = "2021-12-31T02:00:00";
	s.naccounts = 1;
	s.accounts = &a;
	s.nmeters = nmeters;
	s.meters = meters;
	err_clear(&e);
	buf_reset(&out);
	if (render_statement(&out, &s, RENDER_EXPORT_DATE_LITERAL, 10, &e) == -1)
		return "";
	return out.data;
}

static int
count(const char *h, const char *needle)
{
	int n = 0;

	while ((h = strstr(h, needle)) != NULL) {
		n++;
		h += strlen(needle);
	}
	return n;
}

int
main(void)
{
	const char *h, *r, *a, *b;

	tap_plan(19);

	h = render(0);
	ok(h[0] != '\0' && strstr(h, "Odczyty") == NULL && strstr(h, "<nav") == NULL,
	    "a v1 statement (no meters) has no readings and no menu");

	h = render(2);
	r = strstr(h, "<section class=\"readings\" id=\"odczyty\"");
	ok(r != NULL && strstr(h, "<a href=\"#odczyty\">Odczyty liczników</a>") != NULL,
	    "the readings section, linked from the menu");
	ok(strstr(h, "<h3 id=\"l1-h\">Woda zimna, m³ — licznik nr WM-OLD</h3>") != NULL &&
	    strstr(h, "<h3 id=\"l2-h\">Woda zimna, m³ — licznik nr WM-NEW</h3>") != NULL,
	    "each meter named by medium, unit and serial");
	a = strstr(h, "<th scope=\"row\">30.06.2021</th><td>128,50" NB "m³</td>");
	b = strstr(h, "<th scope=\"row\">31.12.2020</th><td>130" NB "m³</td><td>19,50" NB "m³</td>");
	ok(a != NULL && b != NULL && a < b, "readings newest first, state and consumption with unit");
	ok(strstr(h, "<td>stan niższy o 1,50" NB "m³</td>") != NULL,
	    "a decrease said in words");
	ok(r != NULL && strstr(r, "\xE2\x88\x92") == NULL && strstr(r, ">-") == NULL &&
	    strstr(r, " -") == NULL, "no minus sign in the readings");
	ok(strstr(h, "<td>szacowany (bez odczytu licznika). <strong>Uwaga:</strong> licznik "
	    "pokazuje mniej niż przy poprzednim odczycie") != NULL,
	    "an estimated reading that went down: kind and warning in words");
	ok(strstr(h, "<tr class=\"warning\"><th scope=\"row\">30.06.2021</th>") != NULL,
	    "the warning row is marked");
	ok(strstr(h, "<td>—</td><td>wymiana licznika — stan początkowy nowego licznika</td>") != NULL,
	    "a replaced meter's first state, without consumption");
	ok(strstr(h, "podany przez mieszkańca. <strong>Uwaga:</strong> zużycie podane przez "
	    "spółdzielnię różni się") != NULL, "a resident's reading with a usage warning");
	ok(count(h, "<th scope=\"row\">31.12.2018</th>") == 1 &&
	    count(h, "<th scope=\"row\">31.12.2020</th>") == 2,
	    "the chart's table holds the last three years only; the readings table all");
	ok(strstr(h, "viewbox=\"0 0 40 102\"") != NULL && strstr(h, "viewbox=\"0 0 20 102\"") != NULL,
	    "one bar per period in the window (two, then one)");
	ok(r != NULL && count(r, "<rect ") == 2 && strstr(r, "height=\"99\"") != NULL,
	    "no bar for a decrease; the largest period fills the chart");
	ok(r != NULL && strstr(r, "role=\"img\" aria-label=\"Wykres zużycia") != NULL &&
	    strstr(r, "<summary>Zużycie w okresach — tabela</summary>") != NULL,
	    "the chart is labelled and has a table alternative");
	ok(strstr(h, "meter-premises") == NULL, "one premises: not named again");

	h = render(3);
	ok(strstr(h, "<h3 id=\"l3-h\">Ciepło, GJ — licznik nr C-7</h3><p class=\"meter-premises\">"
	    "Lokal B02/0/7</p>") != NULL &&
	    strstr(h, "<p class=\"meter-premises\">Mieszkanie nr 45, ul. Polna 1</p>") != NULL,
	    "meters on two premises say which premises");

	/* the documents' words: sizes and file names */
	{
		static struct buf w = BUF_INIT;
		const char *got;

		buf_reset(&w);
		got = words_size(&w, 48213) == 0 && words_size(&w, 1) == 0 &&
		    words_size(&w, 1572864) == 0 && words_size(&w, 20971520) == 0 ? w.data : "";
		is_str(got, "48" NB "KB1" NB "KB1,5" NB "MB20,0" NB "MB",
		    "sizes: whole KB rounded up, MB with one decimal and a comma");
		buf_reset(&w);
		got = document_file_name(&w, "dokumenty/2021/ZAW-2021-000451.pdf") == 0 ? w.data : "";
		is_str(got, "ZAW-2021-000451.pdf", "a file name: the path's last part");
		buf_reset(&w);
		got = document_file_name(&w, "dokumenty/ogólne/.uchwała 7") == 0 ? w.data : "";
		is_str(got, "_uchwa__a_7.pdf", "... anything else as '_', no leading dot, .pdf added");
		buf_free(&w);
	}
	return tap_done();
}
