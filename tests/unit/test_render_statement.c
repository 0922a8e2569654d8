/* test_render_statement.c — the statement's summary in words: what is
 * past due against the due day, overpayment and running balance without
 * a minus, rates with their unit, garages without flat-only fields. */
#include <string.h>

#include "render_statement.h"
#include "tap.h"

#define NB "\xC2\xA0"

static struct st_entry owes_tv[] = {
	{ "1", "2021-11-01", "2021-11", "NAL", NULL, NULL, 6550, 0 },
	{ "2", "2021-11-10", "2021-11", "WPL", NULL, NULL, 0, 6550 },
	{ "3", "2021-12-01", "2021-12", "NAL", NULL, NULL, 6550, 0 },
};

static struct st_entry owes_two[] = {
	{ "1", "2021-11-01", "2021-11", "NAL", NULL, NULL, 46547, 0 },
	{ "2", "2021-12-01", "2021-12", "NAL", NULL, NULL, 46935, 0 },
};

static struct st_entry overpaid[] = {
	{ "1", "2021-12-01", "2021-12", "NAL", NULL, NULL, 10000, 0 },
	{ "2", "2021-12-03", "2021-12", "WPL", NULL, NULL, 0, 24134 },
	{ "3", "2021-12-04", "2021-12", "KOR", NULL, NULL, -2222, 0 },
};

static struct st_entry long_ago[] = {
	{ "1", "2019-01-15", "2019-01", "NAL", NULL, NULL, 10000, 0 },
	{ "2", "2021-06-10", "2021-06", "WPL", NULL, NULL, 0, 25000 },
};

static struct st_component nov[] = { { "TVK", "Telewizja", "szt", 10000, 490000, 4900 } };
static struct st_component dec[] = { { "TVK", "Telewizja", "szt", 10000, 520000, 5200 } };
static struct st_charge charges[] = {
	{ "2021-11", 4900, 1, nov }, { "2021-12", 5200, 1, dec },
};

static struct st_premises garage = {
	"G01/0/5", "G01", "ul. Łąkowa 2", "G5", "26-200", "Końskie", "G", "SWP",
	1800, 0, -1, "-1", NULL,
};

/* Renders one card and returns the fragment (static buffer). */
static const char *
render(struct st_account *a, const char *as_of, int due_day)
{
	static struct buf out = BUF_INIT;
	struct statement s;
	struct err e;

	memset(&s, 0, sizeof s);
	s.person_id = "O1";
	s.surname = "Nowak";
	s.street = "ul. Polna 1";
	s.postcode = "26-200";
	s.town = "Końskie";
	s.coop_name = "Spółdzielnia";
	s.coop_nip = "6581234569";
	s.data_as_of = as_of;
	s.naccounts = 1;
	s.accounts = a;
	err_clear(&e);
	buf_reset(&out);
	if (render_statement(&out, &s, RENDER_EXPORT_DATE_LITERAL, due_day, &e) == -1)
		return "";
	return out.data;
}

static struct st_account
card(const char *kind, struct st_entry *en, size_t n, int64_t balance)
{
	struct st_account a;

	memset(&a, 0, sizeof a);
	a.id = "K1";
	a.kind = kind;
	a.bank_account = "59124013720000000000000451";
	a.balance_date = "2021-12-05";
	a.ksm_balance_gr = a.ledger_balance_gr = balance;
	a.entries = en;
	a.nentries = n;
	return a;
}

int
main(void)
{
	struct st_account a;
	const char *h;
	char ctx[RENDER_DUE_CONTEXT_BYTES];

	tap_plan(27);

	/* only this month's charge, before its due day: owed, not late */
	a = card("T", owes_tv, 3, 6550);
	h = render(&a, "2021-12-05T02:00:00", 10);
	ok(strstr(h, "<strong>Do zapłaty: 65,50" NB "zł</strong>") != NULL, "owed in words");
	ok(strstr(h, "w tym po terminie") == NULL, "before the due day nothing is late");
	ok(strstr(h, "Nic nie jest po terminie") != NULL, "... and it says so");
	h = render(&a, "2021-12-10T02:00:00", 10);
	ok(strstr(h, "w tym po terminie") == NULL, "on the due day itself nothing is late");
	h = render(&a, "2021-12-11T02:00:00", 10);
	ok(strstr(h, "w tym po terminie: 65,50" NB "zł") != NULL, "the day after, it is");
	h = render(&a, "2021-12-05T02:00:00", 4);
	ok(strstr(h, "w tym po terminie: 65,50" NB "zł") != NULL, "the due day is the one configured");
	h = render(&a, "2021-12-05T02:00:00", 28);
	ok(strstr(h, "opłata bieżąca, płatna do 28. dnia miesiąca.") != NULL,
	    "... and the page says which");

	/* last month late, this month not yet due */
	a = card("C", owes_two, 2, 93482);
	h = render(&a, "2021-12-05T02:00:00", 10);
	ok(strstr(h, "w tym po terminie: 465,47" NB "zł") != NULL, "only the earlier month is late");
	ok(strstr(h, "data-copy=\"934,82\"") != NULL, "the amount to copy has no spaces");
	ok(strstr(h, "data-copy=\"59124013720000000000000451\"") != NULL, "... nor the account");

	/* overpaid: no minus anywhere */
	a = card("C", overpaid, 3, -16356);
	h = render(&a, "2021-12-05T02:00:00", 10);
	ok(strstr(h, "<strong>Nadpłata: 163,56" NB "zł</strong>") != NULL, "overpayment in words");
	ok(strstr(h, "141,34" NB "zł nadpłaty</td>") != NULL, "running balance says nadpłaty");
	ok(strstr(h, "korekta w dół: 22,22" NB "zł") != NULL, "a negative correction in words");
	ok(strstr(h, "\xE2\x88\x92") == NULL && strstr(h, ">-") == NULL, "no minus sign anywhere");
	ok(strstr(h, "qr-pay") == NULL, "no QR code when nothing is owed");

	/* settled, with components: rate with unit and the previous rate */
	a = card("C", NULL, 0, 0);
	a.premises = &garage;
	a.charges = charges;
	a.ncharges = 2;
	h = render(&a, "2021-12-05T02:00:00", 10);
	ok(strstr(h, "<strong>Rozliczone</strong>") != NULL, "settled in words");
	ok(strstr(h, "<td>52,00" NB "zł/szt.</td><td>52,00" NB "zł</td>"
	    "<td>nowa stawka, poprzednio 49,00" NB "zł/szt.</td>") != NULL,
	    "rate with its unit, and the previous one");
	ok(strstr(h, "<h2 id=\"k1-h\">Garaż nr G5 — opłaty</h2>") != NULL &&
	    strstr(h, "Liczba osób") == NULL && strstr(h, "Piętro") == NULL,
	    "a garage named as such, without persons or floor");
	ok(strstr(h, "Opłata miesięczna od 12.2021: <strong>52,00" NB "zł</strong>, płatna do "
	    "10. dnia miesiąca.") != NULL, "the monthly charge and since when");

	/* the month-end balance chart and its table */
	a = card("C", owes_two, 2, 93482);
	h = render(&a, "2021-12-05T02:00:00", 10);
	ok(strstr(h, "<tbody><tr><th scope=\"row\">12.2021</th><td class=\"owes\">934,82" NB
	    "zł do zapłaty</td></tr><tr><th scope=\"row\">11.2021</th><td class=\"owes\">"
	    "465,47" NB "zł do zapłaty</td></tr></tbody>") != NULL,
	    "month-end balances from the first booking's month, newest first");
	ok(strstr(h, "viewbox=\"0 0 40 144\"") != NULL && strstr(h, "od 11.2021 do 12.2021") != NULL,
	    "two bars, named in the chart's label");
	a = card("C", long_ago, 2, -15000);
	h = render(&a, "2021-12-28T02:00:00", 10);
	ok(strstr(h, "viewbox=\"0 0 480 144\"") != NULL, "at most 24 months");
	ok(strstr(h, "<th scope=\"row\">01.2020</th><td class=\"owes\">100,00" NB "zł do zapłaty") != NULL &&
	    strstr(h, "<th scope=\"row\">12.2019</th>") == NULL, "the first month carries what came before");
	ok(strstr(h, "<th scope=\"row\">06.2021</th><td class=\"over\">150,00" NB "zł nadpłaty") != NULL,
	    "an overpaid month in words");

	render_due_context(ctx, "2021-12-05", 10);
	is_str(ctx, "10:2021-11", "due context before the due day");
	render_due_context(ctx, "2021-12-11", 10);
	is_str(ctx, "10:2021-12", "due context after the due day");
	render_due_context(ctx, "2022-01-10", 10);
	is_str(ctx, "10:2021-12", "due context on the due day, across the year");
	return tap_done();
}
