#include "render_statement.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "docseal.h"
#include "decimal.h"
#include "html.h"
#include "nrb.h"
#include "qr.h"

/*
 * The writer below keeps a sticky failure flag so that the page reads
 * top to bottom; render_statement() checks it once at the end.
 */
struct out {
	struct buf *b;
	struct buf tmp;         /* scratch for formatted values */
	int failed;
	struct err *e;          /* first error other than memory */
	enum render_export_date dates;
	const char *export_date;  /* "2021-12-28" or "" */
	int due_day;              /* a month's charge is due by this day */
};

static void
o_check(struct out *o, int r)
{
	if (r == -1)
		o->failed = 1;
}

static void o_open(struct out *o, const char *tag, ...) __attribute__((sentinel));

static void
o_open(struct out *o, const char *tag, ...)
{
	va_list ap;

	va_start(ap, tag);
	o_check(o, html_openv(o->b, tag, ap));
	va_end(ap);
}

static void
o_close(struct out *o, const char *tag)
{
	o_check(o, html_close(o->b, tag));
}

static void
o_text(struct out *o, const char *s)
{
	o_check(o, html_text(o->b, s));
}

static void
o_elem(struct out *o, const char *tag, const char *text)
{
	o_check(o, html_elem(o->b, tag, text));
}

static void
o_money(struct out *o, int64_t gr)
{
	o_check(o, html_money(o->b, gr));
}

/* A scratch string for attribute values: printf into o->tmp. */
static const char *o_fmt(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *
o_fmt(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	buf_reset(&o->tmp);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_grow(&o->tmp, (size_t)n) == -1) {
		o->failed = 1;
		return "";
	}
	va_start(ap, fmt);
	(void)vsnprintf(o->tmp.data, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->tmp.len = (size_t)n;
	return o->tmp.data;
}

/* ---- words ------------------------------------------------------------ */

struct word {
	const char *code, *words;
};

static const char *
lookup(const struct word *w, const char *code)
{
	for (; w->code != NULL; w++)
		if (code != NULL && strcmp(w->code, code) == 0)
			return w->words;
	return code;
}

const char *
words_doc_type(const char *code)
{
	static const struct word w[] = {
		{ "BO", "Bilans otwarcia" }, { "NAL", "Naliczenie" }, { "WPL", "Wpłata" },
		{ "KOR", "Korekta" }, { "ODS", "Odsetki" }, { "ROZ", "Rozliczenie" },
		{ "ZWR", "Zwrot nadpłaty" }, { NULL, NULL },
	};
	return lookup(w, code);
}

const char *
words_premises_kind(const char *code)
{
	static const struct word w[] = {
		{ "M", "lokal mieszkalny" }, { "U", "lokal użytkowy" }, { "G", "garaż" },
		{ "P", "komórka lokatorska" }, { NULL, NULL },
	};
	return lookup(w, code);
}

const char *
words_legal_title(const char *code)
{
	static const struct word w[] = {
		{ "SWP", "spółdzielcze własnościowe prawo do lokalu" },
		{ "SLP", "spółdzielcze lokatorskie prawo do lokalu" },
		{ "WO", "odrębna własność lokalu" }, { "NAJ", "najem" }, { NULL, NULL },
	};
	return lookup(w, code);
}

const char *
words_card_kind(const char *code)
{
	static const struct word w[] = {
		{ "C", "Opłaty za lokal" }, { "T", "Telewizja kablowa" }, { "I", "Internet" },
		{ "R", "Rozliczenia (woda, ciepło)" }, { NULL, NULL },
	};
	return lookup(w, code);
}

const char *
words_basis(const char *code)
{
	static const struct word w[] = {
		{ "m2", "m²" }, { "osoba", "osoba" }, { "lokal", "lokal" }, { "m3", "m³" },
		{ "GJ", "GJ" }, { "szt", "szt." }, { NULL, NULL },
	};
	return lookup(w, code);
}

/* What a component is charged by, its quantity's unit and its rate's
 * unit ("od powierzchni", "m²", "zł/m²"); the code itself when unknown. */
struct basis_words {
	const char *code, *by, *unit, *rate_unit;
};

static const struct basis_words *
basis_words(const char *code)
{
	static const struct basis_words w[] = {
		{ "m2", "powierzchnia", "m²", "zł/m²" },
		{ "osoba", "liczba osób", "os.", "zł/osobę" },
		{ "lokal", "lokal", "lokal", "zł/lokal" },
		{ "m3", "zużycie wody", "m³", "zł/m³" },
		{ "GJ", "zużycie ciepła", "GJ", "zł/GJ" },
		{ "szt", "liczba sztuk", "szt.", "zł/szt." },
	};
	size_t i;

	for (i = 0; i < sizeof w / sizeof w[0]; i++)
		if (code != NULL && strcmp(w[i].code, code) == 0)
			return &w[i];
	return NULL;
}

int
words_period(struct buf *out, const char *period)
{
	static const char *const months[] = {
		"styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec",
		"sierpień", "wrzesień", "październik", "listopad", "grudzień",
	};
	int m;

	if (strlen(period) != PERIOD_ISO_LEN)
		return buf_adds(out, period);
	m = (period[5] - '0') * 10 + (period[6] - '0');
	if (m < 1 || m > 12)
		return buf_adds(out, period);
	if (buf_adds(out, months[m - 1]) == -1 || buf_addc(out, ' ') == -1)
		return -1;
	return buf_add(out, period, 4);
}

int
render_as_of(struct buf *out, const char *ts)
{
	char pl[DATE_ISO_LEN + 1];

	if (ts == NULL || strlen(ts) < 16)
		return buf_adds(out, "Dane według stanu na —");
	date_iso_to_pl(pl, ts);
	return buf_printf(out, "Dane według stanu na %s, %.5s", pl, ts + 11);
}

/* "11.2021" for "2021-11". */
static const char *
period_pl(struct out *o, const char *period)
{
	if (strlen(period) != PERIOD_ISO_LEN)
		return period;
	buf_reset(&o->tmp);
	if (buf_add(&o->tmp, period + 5, 2) == -1 || buf_addc(&o->tmp, '.') == -1 ||
	    buf_add(&o->tmp, period, 4) == -1) {
		o->failed = 1;
		return "";
	}
	return o->tmp.data;
}

static const char *
date_pl(struct out *o, const char *iso)
{
	if (iso == NULL || strlen(iso) != DATE_ISO_LEN)
		return iso ? iso : "";
	buf_reset(&o->tmp);
	if (buf_grow(&o->tmp, DATE_ISO_LEN) == -1) {
		o->failed = 1;
		return "";
	}
	date_iso_to_pl(o->tmp.data, iso);
	o->tmp.len = DATE_ISO_LEN;
	return o->tmp.data;
}

/* A scaled decimal with a comma, at least min_decimals; min_decimals -1:
 * whole numbers without decimals, else at least two ("3", "48,30",
 * "12,125", "0,0512"). */
static const char *
decimal_pl(struct out *o, int64_t v, int scale, int min_decimals)
{
	int64_t unit = 1;
	size_t i;
	int k;

	for (k = 0; k < scale; k++)
		unit *= 10;
	buf_reset(&o->tmp);
	if (decimal_format(&o->tmp, v, scale,
	    min_decimals >= 0 ? min_decimals : v % unit == 0 ? 0 : 2) == -1) {
		o->failed = 1;
		return "";
	}
	for (i = 0; i < o->tmp.len; i++)
		if (o->tmp.data[i] == '.')
			o->tmp.data[i] = ',';
	/* decimal_format writes '-' for negatives; keep it (rare) */
	return o->tmp.data;
}

/* ---- sections --------------------------------------------------------- */

static void
dl_item(struct out *o, const char *term, const char *value)
{
	o_elem(o, "dt", term);
	o_elem(o, "dd", value);
}

/* A garage or a storage room (komórka lokatorska). */
static int
is_outbuilding(const struct st_premises *p)
{
	return p->kind != NULL && (strcmp(p->kind, "G") == 0 || strcmp(p->kind, "P") == 0);
}

static void
render_premises(struct out *o, const struct statement *s, const struct st_account *a,
    int card)
{
	const struct st_premises *p = a->premises;

	o_open(o, "section", "class", "premises", "aria-labelledby",
	    o_fmt(o, "k%d-lokal", card), NULL);
	if (p == NULL) {
		o_open(o, "h3", "id", o_fmt(o, "k%d-lokal", card), NULL);
		o_text(o, "Adres abonenta");
		o_close(o, "h3");
		o_open(o, "p", "class", "address", NULL);
		o_text(o, s->street);
		o_text(o, ", ");
		o_text(o, s->postcode);
		o_text(o, " ");
		o_text(o, s->town);
		o_close(o, "p");
		o_close(o, "section");
		return;
	}
	o_open(o, "h3", "id", o_fmt(o, "k%d-lokal", card), NULL);
	o_text(o, "Dane lokalu");
	o_close(o, "h3");
	o_open(o, "dl", NULL);
	o_elem(o, "dt", "Adres");
	o_open(o, "dd", NULL);
	o_text(o, p->street);
	o_text(o, ", ");
	o_text(o, p->postcode);
	o_text(o, " ");
	o_text(o, p->town);
	o_close(o, "dd");
	dl_item(o, "Numer lokalu", p->number);
	dl_item(o, "Rodzaj", words_premises_kind(p->kind));
	dl_item(o, "Tytuł prawny", words_legal_title(p->legal_title));
	o_elem(o, "dt", "Powierzchnia użytkowa");
	o_open(o, "dd", NULL);
	o_text(o, decimal_pl(o, p->area_e2, 2, 2));
	o_text(o, "\xC2\xA0m²");
	o_close(o, "dd");
	/* people, rooms and floor mean something for flats and premises,
	 * not for a garage or a storage room */
	if (!is_outbuilding(p)) {
		dl_item(o, "Liczba osób", o_fmt(o, "%lld", (long long)p->persons));
		if (p->rooms >= 0)
			dl_item(o, "Liczba izb", o_fmt(o, "%lld", (long long)p->rooms));
		if (p->floor != NULL)
			dl_item(o, "Piętro", p->floor);
	}
	if (p->held_since != NULL)
		dl_item(o, "W posiadaniu od", date_pl(o, p->held_since));
	o_close(o, "dl");
	o_close(o, "section");
}

static void
render_qr(struct out *o, const struct statement *s, const struct st_account *a)
{
	struct buf payload = BUF_INIT, title = BUF_INIT, svg = BUF_INIT, label = BUF_INIT;
	struct err qe;

	err_clear(&qe);
	if (buf_printf(&title, "Opłaty, kartoteka %s", a->id) == -1) {
		o->failed = 1;
		goto out;
	}
	if (qr_payment_payload(&payload, s->coop_nip, a->bank_account, a->ksm_balance_gr,
	    s->coop_name, title.data, &qe) == -1) {
		if (qe.kind == ERR_SYSTEM) {
			o->failed = 1;
			goto out;
		}
		/* beyond the standard (amount too large): say so, no code */
		o_open(o, "p", "class", "qr-none", NULL);
		o_text(o, "Kwoty tej nie można zapisać w kodzie QR; prosimy o przelew "
		    "na powyższy rachunek.");
		o_close(o, "p");
		goto out;
	}
	if (buf_adds(&label, "Kod QR do zapłaty ") == -1 ||
	    money_format_pl(&label, a->ksm_balance_gr, 1) == -1 ||
	    qr_svg(&svg, payload.data, label.data, &qe) == -1) {
		if (qe.kind != ERR_NONE && qe.kind != ERR_SYSTEM && o->e->kind == ERR_NONE)
			*o->e = qe;
		o->failed = 1;
		goto out;
	}
	o_open(o, "figure", "class", "qr-pay", "data-qr-payload", payload.data, NULL);
	o_check(o, html_raw_trusted(o->b, svg.data, svg.len));  /* built by qr_svg via html.h */
	o_open(o, "figcaption", NULL);
	o_text(o, "Zeskanuj kod w aplikacji banku, aby zapłacić ");
	o_money(o, a->ksm_balance_gr);
	o_text(o, ".");
	o_close(o, "figcaption");
	o_close(o, "figure");
out:
	buf_free(&payload);
	buf_free(&title);
	buf_free(&svg);
	buf_free(&label);
}

/* The number written by the n digits at s, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

void
render_due_context(char out[RENDER_DUE_CONTEXT_BYTES], const char *export_date, int due_day)
{
	int y, m, d;

	if (export_date == NULL || strlen(export_date) < DATE_ISO_LEN ||
	    (y = digits(export_date, 4)) < 0 || (m = digits(export_date + 5, 2)) < 0 ||
	    (d = digits(export_date + 8, 2)) < 0) {
		(void)snprintf(out, RENDER_DUE_CONTEXT_BYTES, "%d:-", due_day);
		return;
	}
	if (d <= due_day) {     /* this month's due day has not passed yet */
		m--;
		if (m == 0) {
			m = 12;
			y--;
		}
	}
	(void)snprintf(out, RENDER_DUE_CONTEXT_BYTES, "%d:%04d-%02d", due_day % 100,
	    (y % 10000 + 10000) % 10000, (m % 100 + 100) % 100);
}

/* "2021-12-10": the day the charge for period "2021-12" is due. */
static void
due_date(char out[DATE_ISO_LEN + 1], const char *period, int due_day)
{
	(void)snprintf(out, DATE_ISO_LEN + 1, "%.7s-%02d", period, due_day);
}

/*
 * What of a positive balance b is past its due date on the export's day:
 * the charges (NAL) for months whose due day has not come yet are owed
 * but not late; payments are taken to settle the oldest debt first.
 */
static int64_t
overdue_gr(const struct out *o, const struct st_account *a, int64_t b)
{
	char due[DATE_ISO_LEN + 1];
	int64_t not_due = 0;
	size_t i;

	if (b <= 0 || o->export_date[0] == '\0')
		return b > 0 ? b : 0;
	for (i = 0; i < a->nentries; i++) {
		const struct st_entry *en = &a->entries[i];

		if (strcmp(en->doc_type, "NAL") != 0 || en->period == NULL ||
		    strlen(en->period) != PERIOD_ISO_LEN)
			continue;
		due_date(due, en->period, o->due_day);
		if (strcmp(due, o->export_date) >= 0 &&
		    __builtin_add_overflow(not_due, en->debit_gr, &not_due))
			return 0;       /* beyond any real ledger: claim nothing is late */
	}
	if (not_due <= 0)
		return b;
	return b > not_due ? b - not_due : 0;
}

/* "Opłata miesięczna od 01.2022: 612,40 zł, płatna do 10. dnia miesiąca."
 * from the newest month's charge and the first month it has been the same. */
static void
render_monthly(struct out *o, const struct st_account *a)
{
	size_t i;

	if (a->ncharges == 0)
		return;
	for (i = a->ncharges - 1; i > 0 && a->charges[i - 1].total_gr == a->charges[i].total_gr;
	    i--)
		;
	o_open(o, "p", "class", "monthly", NULL);
	o_text(o, "Opłata miesięczna od ");
	o_text(o, period_pl(o, a->charges[i].period));
	o_text(o, ": ");
	o_open(o, "strong", NULL);
	o_money(o, a->charges[a->ncharges - 1].total_gr);
	o_close(o, "strong");
	o_text(o, o_fmt(o, ", płatna do %d. dnia miesiąca.", o->due_day));
	o_close(o, "p");
}

static void
copy_button(struct out *o, const char *what, const char *value)
{
	o_open(o, "button", "type", "button", "class", "copy", "data-copy", value, "hidden", "",
	    NULL);
	o_text(o, what);
	o_close(o, "button");
}

/* The balance in words, what is late, the monthly charge, the account,
 * and when something is owed the QR code and copy buttons. */
static void
render_summary(struct out *o, const struct statement *s, const struct st_account *a,
    int card)
{
	char nrb[33], title[64];
	int64_t b = a->ksm_balance_gr, late;
	struct buf amount = BUF_INIT;

	o_open(o, "section", "class", "balance summary", "aria-labelledby",
	    o_fmt(o, "k%d-saldo", card), NULL);
	o_open(o, "h3", "id", o_fmt(o, "k%d-saldo", card), NULL);
	o_text(o, "Podsumowanie");
	o_close(o, "h3");
	o_open(o, "p", "class", b > 0 ? "saldo saldo-owes" : b < 0 ? "saldo saldo-over" : "saldo",
	    NULL);
	o_open(o, "strong", NULL);
	if (b > 0) {
		o_text(o, "Do zapłaty: ");
		o_money(o, b);
	} else if (b < 0) {
		o_text(o, "Nadpłata: ");
		o_money(o, (int64_t)0 - b);   /* b > INT64_MIN: a ledger sum */
	} else {
		o_text(o, "Rozliczone");
	}
	o_close(o, "strong");
	o_text(o, " (stan na dzień ");
	if (o->dates == RENDER_EXPORT_DATE_BY_PAGE && a->balance_date != NULL &&
	    strcmp(a->balance_date, o->export_date) == 0) {
		o_open(o, "span", "class", "export-date", NULL);  /* filled by app.js */
		o_close(o, "span");
	} else {
		o_text(o, date_pl(o, a->balance_date));
	}
	o_text(o, ")");
	o_close(o, "p");
	late = overdue_gr(o, a, b);
	if (b > 0) {
		o_open(o, "p", "class", late > 0 ? "overdue" : "not-overdue", NULL);
		if (late > 0) {
			o_text(o, "w tym po terminie: ");
			o_money(o, late);
		} else {
			o_text(o, "Nic nie jest po terminie: to opłata bieżąca, płatna do ");
			o_text(o, o_fmt(o, "%d. dnia miesiąca.", o->due_day));
		}
		o_close(o, "p");
	} else if (b < 0) {
		o_elem(o, "p", "Nadpłata zostanie zaliczona na poczet kolejnych opłat.");
	} else {
		o_elem(o, "p", "Nie ma nic do zapłaty ani nadpłaty.");
	}
	render_monthly(o, a);
	if (strlen(a->bank_account) == NRB_DIGITS) {
		nrb_format(nrb, a->bank_account);
		o_open(o, "p", "class", "account", NULL);
		o_text(o, "Numer rachunku do wpłat: ");
		o_open(o, "span", "class", "nrb", NULL);
		o_text(o, nrb);
		o_close(o, "span");
		o_close(o, "p");
	}
	if (b > 0) {
		render_qr(o, s, a);
		(void)snprintf(title, sizeof title, "Opłaty, kartoteka %s", a->id);
		/* for pasting into a bank's form: no spaces, decimal comma */
		if (buf_printf(&amount, "%lld,%02lld", (long long)(b / 100),
		    (long long)(b % 100)) == -1)
			o->failed = 1;
		o_open(o, "p", "class", "copy-buttons", NULL);
		if (strlen(a->bank_account) == NRB_DIGITS)
			copy_button(o, "Kopiuj numer rachunku", a->bank_account);
		copy_button(o, "Kopiuj kwotę", amount.data != NULL ? amount.data : "");
		copy_button(o, "Kopiuj tytuł przelewu", title);
		o_close(o, "p");
	}
	o_close(o, "section");
	buf_free(&amount);
}

/* The running balance in words: "141,34 zł nadpłaty", "93,10 zł do
 * zapłaty", "0,00 zł". */
static void
balance_cell(struct out *o, int64_t gr)
{
	o_open(o, "td", "class", gr > 0 ? "owes" : gr < 0 ? "over" : NULL, NULL);
	o_money(o, gr < 0 ? (int64_t)0 - gr : gr);
	if (gr > 0)
		o_text(o, " do zapłaty");
	else if (gr < 0)
		o_text(o, " nadpłaty");
	o_close(o, "td");
}

/* An amount in a column that already says what it is; a negative one (a
 * correction) in words instead of with a minus. */
static void
amount_cell(struct out *o, int64_t gr, int blank_zero)
{
	o_open(o, "td", NULL);
	if (gr < 0) {
		o_text(o, "korekta w dół: ");
		o_money(o, (int64_t)0 - gr);
	} else if (!(blank_zero && gr == 0)) {
		o_money(o, gr);
	}
	o_close(o, "td");
}

static void
money_cell(struct out *o, int64_t gr, int blank_zero)
{
	o_open(o, "td", NULL);
	if (!(blank_zero && gr == 0))
		o_money(o, gr);
	o_close(o, "td");
}

static void
th_col(struct out *o, const char *text, const char *cls)
{
	o_open(o, "th", "scope", "col", "class", cls, NULL);
	o_text(o, text);
	o_close(o, "th");
}

/* A scrollable, labelled table; cls names its kind for the style sheet,
 * which aligns the numeric columns (no class per cell). */
static void
table_open(struct out *o, const char *label, const char *cls)
{
	o_open(o, "div", "class", "table-wrap", "role", "region", "aria-label", label,
	    "tabindex", "0", NULL);
	o_open(o, "table", "class", cls, NULL);
	o_elem(o, "caption", label);
}

static void
table_close(struct out *o)
{
	o_close(o, "table");
	o_close(o, "div");
}

static void
render_ledger(struct out *o, const struct st_account *a, int card)
{
	int64_t *running = NULL, bal = 0, debit, credit;
	char year[5], label[64];
	size_t i, j, end;

	o_open(o, "section", "class", "ledger", "aria-labelledby", o_fmt(o, "k%d-obroty", card),
	    NULL);
	o_open(o, "h3", "id", o_fmt(o, "k%d-obroty", card), NULL);
	o_text(o, "Obroty");
	o_close(o, "h3");
	if (a->nentries == 0) {
		o_elem(o, "p", "Brak operacji na tej kartotece.");
		o_close(o, "section");
		return;
	}
	running = calloc(a->nentries, sizeof *running);
	if (running == NULL) {
		o->failed = 1;
		return;
	}
	for (i = 0; i < a->nentries; i++) {
		/* the ledger sum fits (statement_load checked it) */
		bal += a->entries[i].debit_gr - a->entries[i].credit_gr;
		running[i] = bal;
	}
	/* Year picker: hidden until app.js shows it (without script every
	 * year is visible). */
	o_open(o, "p", "class", "picker", "hidden", "", NULL);
	o_open(o, "label", "for", o_fmt(o, "k%d-rok", card), NULL);
	o_text(o, "Pokaż rok: ");
	o_close(o, "label");
	o_open(o, "select", "id", o_fmt(o, "k%d-rok", card), "class", "year-picker", NULL);
	for (i = a->nentries; i > 0; i = j) {
		memcpy(year, a->entries[i - 1].date, 4);
		year[4] = '\0';
		o_open(o, "option", "value", year, NULL);
		o_text(o, year);
		o_close(o, "option");
		for (j = i; j > 0 && memcmp(a->entries[j - 1].date, year, 4) == 0; j--)
			;
	}
	o_open(o, "option", "value", "all", NULL);
	o_text(o, "wszystkie lata");
	o_close(o, "option");
	o_close(o, "select");
	o_close(o, "p");
	/* CSV and print of the chosen year (or all): app.js shows and runs them */
	o_open(o, "p", "class", "export-buttons", NULL);
	o_open(o, "button", "type", "button", "class", "csv-button", "hidden", "", NULL);
	o_text(o, "Pobierz obroty (CSV)");
	o_close(o, "button");
	o_open(o, "button", "type", "button", "class", "print-card-button", "hidden", "", NULL);
	o_text(o, "Drukuj / zapisz PDF");
	o_close(o, "button");
	o_close(o, "p");
	o_open(o, "p", "class", "legend", NULL);
	o_text(o, "Jak czytać tabelę: „Naliczono” to opłaty i inne należności "
	    "Spółdzielni (w księgowości: Winien), „Wpłacono” to wpłaty i uznania na Twoją "
	    "korzyść (Ma). „Saldo po operacji” mówi, ile po danej operacji było do zapłaty "
	    "albo ile wynosiła nadpłata.");
	o_close(o, "p");

	/* Newest first, one table per year. */
	for (end = a->nentries; end > 0; end = j) {
		memcpy(year, a->entries[end - 1].date, 4);
		year[4] = '\0';
		debit = credit = 0;
		for (j = end; j > 0 && memcmp(a->entries[j - 1].date, year, 4) == 0; j--) {
			debit += a->entries[j - 1].debit_gr;
			credit += a->entries[j - 1].credit_gr;
		}
		o_open(o, "section", "class", "ledger-year", "data-year", year, NULL);
		(void)snprintf(label, sizeof label, "Obroty w roku %s", year);
		table_open(o, label, "ledger-table");
		o_open(o, "thead", NULL);
		o_open(o, "tr", NULL);
		th_col(o, "Data", NULL);
		th_col(o, "Za miesiąc", NULL);
		th_col(o, "Operacja", NULL);
		th_col(o, "Numer dokumentu", NULL);
		th_col(o, "Opis", NULL);
		th_col(o, "Naliczono", "num");
		th_col(o, "Wpłacono", "num");
		th_col(o, "Saldo po operacji", "num");
		o_close(o, "tr");
		o_close(o, "thead");
		o_open(o, "tbody", NULL);
		for (i = end; i > j; i--) {
			const struct st_entry *en = &a->entries[i - 1];
			char dgr[24], cgr[24], bgr[24];

			/* the amounts in grosze for the CSV download (app.js) */
			(void)snprintf(dgr, sizeof dgr, "%lld", (long long)en->debit_gr);
			(void)snprintf(cgr, sizeof cgr, "%lld", (long long)en->credit_gr);
			(void)snprintf(bgr, sizeof bgr, "%lld", (long long)running[i - 1]);
			o_open(o, "tr", "data-debit", dgr, "data-credit", cgr, "data-balance", bgr, NULL);
			o_open(o, "th", "scope", "row", NULL);
			o_text(o, date_pl(o, en->date));
			o_close(o, "th");
			o_elem(o, "td", period_pl(o, en->period));
			o_elem(o, "td", words_doc_type(en->doc_type));
			o_elem(o, "td", en->doc_no);
			o_elem(o, "td", en->description);
			amount_cell(o, en->debit_gr, 1);
			amount_cell(o, en->credit_gr, 1);
			balance_cell(o, running[i - 1]);
			o_close(o, "tr");
		}
		o_close(o, "tbody");
		o_open(o, "tfoot", NULL);
		o_open(o, "tr", NULL);
		o_open(o, "th", "scope", "row", "colspan", "5", NULL);
		o_text(o, "Razem w roku ");
		o_text(o, year);
		o_close(o, "th");
		amount_cell(o, debit, 0);
		amount_cell(o, credit, 0);
		o_open(o, "td", NULL);
		o_close(o, "td");
		o_close(o, "tr");
		o_close(o, "tfoot");
		table_close(o);
		o_close(o, "section");
	}
	o_close(o, "section");
	free(running);
}

static const struct st_component *
find_component(const struct st_charge *ch, const char *code)
{
	size_t k;

	if (ch == NULL)
		return NULL;
	for (k = 0; k < ch->ncomponents; k++)
		if (strcmp(ch->components[k].code, code) == 0)
			return &ch->components[k];
	return NULL;
}

static void
render_change(struct out *o, const struct st_component *c, const struct st_charge *prev)
{
	const struct st_component *p = find_component(prev, c->code);
	const struct basis_words *bw = p != NULL ? basis_words(p->basis) : NULL;
	int any = 0;

	o_open(o, "td", NULL);
	if (prev == NULL) {
		o_close(o, "td");
		return;
	}
	if (p == NULL) {
		o_text(o, "nowy składnik");
		o_close(o, "td");
		return;
	}
	if (p->rate_e4 != c->rate_e4) {
		o_text(o, "nowa stawka, poprzednio ");
		o_text(o, decimal_pl(o, p->rate_e4, 4, 2));
		o_text(o, "\xC2\xA0");
		o_text(o, bw != NULL ? bw->rate_unit : "zł");
		any = 1;
	}
	if (p->quantity_e4 != c->quantity_e4) {
		if (any)
			o_text(o, "; ");
		o_text(o, "nowa ilość, poprzednio ");
		o_text(o, decimal_pl(o, p->quantity_e4, 4, -1));
		o_text(o, "\xC2\xA0");
		o_text(o, bw != NULL ? bw->unit : p->basis);
	}
	o_close(o, "td");
}

/* Same components, quantities, rates and amounts, in the same order. */
static int
same_components(const struct st_charge *a, const struct st_charge *b)
{
	size_t k;

	if (a->ncomponents != b->ncomponents || a->total_gr != b->total_gr)
		return 0;
	for (k = 0; k < a->ncomponents; k++) {
		const struct st_component *x = &a->components[k], *y = &b->components[k];

		if (x->quantity_e4 != y->quantity_e4 || x->rate_e4 != y->rate_e4 ||
		    x->amount_gr != y->amount_gr || strcmp(x->code, y->code) != 0 ||
		    strcmp(x->name, y->name) != 0 || strcmp(x->basis, y->basis) != 0)
			return 0;
	}
	return 1;
}

/* Whether period b ("2021-12") is the month right after a. */
static int
next_month(const char *a, const char *b)
{
	int ya, ma, yb, mb;

	if (strlen(a) != PERIOD_ISO_LEN || strlen(b) != PERIOD_ISO_LEN)
		return 0;
	ya = (a[0] - '0') * 1000 + (a[1] - '0') * 100 + (a[2] - '0') * 10 + (a[3] - '0');
	ma = (a[5] - '0') * 10 + (a[6] - '0');
	yb = (b[0] - '0') * 1000 + (b[1] - '0') * 100 + (b[2] - '0') * 10 + (b[3] - '0');
	mb = (b[5] - '0') * 10 + (b[6] - '0');
	return ma == 12 ? yb == ya + 1 && mb == 1 : yb == ya && mb == ma + 1;
}

/*
 * The months first..last (consecutive, their components all the same:
 * one table says it once); prev is the month before first, for what
 * changed.  The section carries data-period (first) and data-until
 * (last): app.js shows it for any month picked between the two.
 */
static void
render_months(struct out *o, const struct st_charge *first, const struct st_charge *last,
    const struct st_charge *prev)
{
	const struct st_charge *ch = first;
	struct buf name = BUF_INIT, label = BUF_INIT, until = BUF_INIT;
	size_t k;

	if (words_period(&name, first->period) == -1 ||
	    (last != first && words_period(&until, last->period) == -1) ||
	    buf_adds(&label, "Składniki opłat — ") == -1 ||
	    buf_add(&label, name.data, name.len) == -1 ||
	    (last != first && (buf_adds(&label, " – ") == -1 ||
	    buf_add(&label, until.data, until.len) == -1))) {
		o->failed = 1;
		goto out;
	}
	o_open(o, "section", "class", "month", "data-period", first->period,
	    "data-until", last->period, NULL);
	table_open(o, label.data, "components-table");
	o_open(o, "thead", NULL);
	o_open(o, "tr", NULL);
	th_col(o, "Składnik", NULL);
	th_col(o, "Naliczany od", NULL);
	th_col(o, "Ilość", "num");
	th_col(o, "Stawka", "num");
	th_col(o, "Kwota", "num");
	th_col(o, "Zmiana", NULL);
	o_close(o, "tr");
	o_close(o, "thead");
	o_open(o, "tbody", NULL);
	for (k = 0; k < ch->ncomponents; k++) {
		const struct st_component *c = &ch->components[k];
		const struct st_component *p = find_component(prev, c->code);
		int changed = prev != NULL && (p == NULL || p->rate_e4 != c->rate_e4 ||
		    p->quantity_e4 != c->quantity_e4);
		const struct basis_words *bw;

		o_open(o, "tr", "class", changed ? "changed" : NULL, NULL);
		o_open(o, "th", "scope", "row", NULL);
		o_text(o, c->name);
		o_close(o, "th");
		bw = basis_words(c->basis);
		o_elem(o, "td", bw != NULL ? bw->by : c->basis);
		o_open(o, "td", NULL);
		o_text(o, decimal_pl(o, c->quantity_e4, 4, -1));
		o_text(o, "\xC2\xA0");
		o_text(o, bw != NULL ? bw->unit : c->basis);
		o_close(o, "td");
		o_open(o, "td", NULL);
		o_text(o, decimal_pl(o, c->rate_e4, 4, 2));
		o_text(o, "\xC2\xA0");
		o_text(o, bw != NULL ? bw->rate_unit : "zł");
		o_close(o, "td");
		money_cell(o, c->amount_gr, 0);
		render_change(o, c, prev);
		o_close(o, "tr");
	}
	o_close(o, "tbody");
	o_open(o, "tfoot", NULL);
	o_open(o, "tr", NULL);
	o_open(o, "th", "scope", "row", "colspan", "4", NULL);
	if (last == first) {
		o_text(o, "Razem za ");
		o_text(o, name.data);
	} else {
		o_text(o, "Razem za każdy miesiąc");
	}
	o_close(o, "th");
	money_cell(o, ch->total_gr, 0);
	o_open(o, "td", NULL);
	o_close(o, "td");
	o_close(o, "tr");
	o_close(o, "tfoot");
	table_close(o);
	/* components that were charged the month before and are not any more */
	if (prev != NULL) {
		int none = 1;

		for (k = 0; k < prev->ncomponents; k++) {
			if (find_component(ch, prev->components[k].code) != NULL)
				continue;
			if (none)
				o_open(o, "p", "class", "removed", NULL);
			o_text(o, none ? "Nie naliczono już: " : ", ");
			o_text(o, prev->components[k].name);
			none = 0;
		}
		if (!none) {
			o_text(o, ".");
			o_close(o, "p");
		}
	}
	o_close(o, "section");
out:
	buf_free(&name);
	buf_free(&label);
	buf_free(&until);
}

/*
 * Every month can be picked; months in a row whose components did not
 * change share one table (ten years of monthly tables would be most of
 * the page, and the same table a hundred times over).
 */
static void
render_components(struct out *o, const struct st_account *a, int card)
{
	struct buf name = BUF_INIT;
	size_t i, first;

	if (a->ncharges == 0)
		return;
	o_open(o, "section", "class", "components", "aria-labelledby",
	    o_fmt(o, "k%d-skladniki", card), NULL);
	o_open(o, "h3", "id", o_fmt(o, "k%d-skladniki", card), NULL);
	o_text(o, "Składniki opłat");
	o_close(o, "h3");
	o_open(o, "p", "class", "picker", "hidden", "", NULL);
	o_open(o, "label", "for", o_fmt(o, "k%d-miesiac", card), NULL);
	o_text(o, "Pokaż miesiąc: ");
	o_close(o, "label");
	o_open(o, "select", "id", o_fmt(o, "k%d-miesiac", card), "class", "month-picker", NULL);
	for (i = a->ncharges; i > 0; i--) {
		buf_reset(&name);
		o_check(o, words_period(&name, a->charges[i - 1].period));
		o_open(o, "option", "value", a->charges[i - 1].period, NULL);
		o_text(o, name.data);
		o_close(o, "option");
	}
	o_close(o, "select");
	o_close(o, "p");
	/* newest first: the run of equal months ending at i - 1 */
	for (i = a->ncharges; i > 0; i = first) {
		first = i - 1;
		while (first > 0 && next_month(a->charges[first - 1].period, a->charges[first].period) &&
		    same_components(&a->charges[first - 1], &a->charges[first]))
			first--;
		render_months(o, &a->charges[first], &a->charges[i - 1],
		    first > 0 ? &a->charges[first - 1] : NULL);
	}
	o_close(o, "section");
	buf_free(&name);
}

/* "2021-12" plus k months (k may be negative) into out[8]. */
static void
period_add(char out[PERIOD_ISO_LEN + 1], const char *period, int k)
{
	int y = (period[0] - '0') * 1000 + (period[1] - '0') * 100 + (period[2] - '0') * 10 +
	    (period[3] - '0');
	int m = (period[5] - '0') * 10 + (period[6] - '0') - 1 + k;

	y += m >= 0 ? m / 12 : -((11 - m) / 12);
	char tmp[32];

	m = ((m % 12) + 12) % 12;
	(void)snprintf(tmp, sizeof tmp, "%04d-%02d", ((y % 10000) + 10000) % 10000, m + 1);
	memcpy(out, tmp, PERIOD_ISO_LEN);
	out[PERIOD_ISO_LEN] = '\0';
}

/*
 * The balance at the end of each of the last CHART_MONTHS months (up to
 * the export's month, from the card's first booking): an inline SVG bar
 * chart (up: to pay, down: overpaid) and the same numbers as a table.
 */
#define CHART_MONTHS 24
#define CHART_BAR_W 20
#define CHART_HALF_H 70         /* the tallest bar, above or below the axis */

static void
render_chart(struct out *o, const struct st_account *a, int card)
{
	char months[CHART_MONTHS][PERIOD_ISO_LEN + 1], first[PERIOD_ISO_LEN + 1];
	char num[4][24];
	int64_t bal[CHART_MONTHS], b = 0, maxabs = 0, unit;
	size_t i = 0;
	int k, n = 0;
	struct buf label = BUF_INIT;

	if (a->nentries == 0 || strlen(o->export_date) != DATE_ISO_LEN ||
	    strlen(a->entries[0].date) != DATE_ISO_LEN)
		return;
	/* from the first booking's month, at most CHART_MONTHS back */
	period_add(first, o->export_date, 1 - CHART_MONTHS);
	if (strncmp(a->entries[0].date, first, PERIOD_ISO_LEN) > 0)
		memcpy(first, a->entries[0].date, PERIOD_ISO_LEN);
	for (k = 0; k < CHART_MONTHS; k++) {
		period_add(months[n], first, k);
		if (strncmp(months[n], o->export_date, PERIOD_ISO_LEN) > 0)
			break;
		/* every booking dated in this month or before */
		for (; i < a->nentries && strncmp(a->entries[i].date, months[n], PERIOD_ISO_LEN) <= 0;
		    i++)
			if (__builtin_add_overflow(b, a->entries[i].debit_gr, &b) ||
			    __builtin_sub_overflow(b, a->entries[i].credit_gr, &b) || b == INT64_MIN)
				return;         /* no chart for a ledger beyond 64 bits */
		bal[n] = b;
		if ((b < 0 ? -b : b) > maxabs)
			maxabs = b < 0 ? -b : b;
		n++;
	}
	if (n == 0)
		return;
	unit = maxabs / CHART_HALF_H + 1;       /* grosze per unit of height */
	o_open(o, "section", "class", "balance-chart", "aria-labelledby",
	    o_fmt(o, "k%d-wykres", card), NULL);
	o_open(o, "h3", "id", o_fmt(o, "k%d-wykres", card), NULL);
	o_text(o, "Saldo na koniec miesiąca");
	o_close(o, "h3");
	if (buf_adds(&label, "Wykres salda na koniec każdego miesiąca, od ") == -1 ||
	    buf_adds(&label, period_pl(o, months[0])) == -1 || buf_adds(&label, " do ") == -1 ||
	    buf_adds(&label, period_pl(o, months[n - 1])) == -1 ||
	    buf_adds(&label, "; słupek w górę: do zapłaty, w dół: nadpłata. Liczby podaje "
	    "tabela poniżej.") == -1)
		o->failed = 1;
	(void)snprintf(num[0], sizeof num[0], "0 0 %d %d", n * CHART_BAR_W, 2 * CHART_HALF_H + 4);
	o_open(o, "svg", "xmlns", "http://www.w3.org/2000/svg", "viewbox", num[0], "class", "chart",
	    "role", "img", "aria-label", label.data != NULL ? label.data : "", NULL);
	(void)snprintf(num[0], sizeof num[0], "%d", n * CHART_BAR_W);
	(void)snprintf(num[1], sizeof num[1], "%d", CHART_HALF_H + 2);
	o_open(o, "line", "x1", "0", "y1", num[1], "x2", num[0], "y2", num[1], "stroke", "#595959",
	    "stroke-width", "1", NULL);
	o_close(o, "line");
	for (k = 0; k < n; k++) {
		int64_t h = (bal[k] < 0 ? -bal[k] : bal[k]) / unit;

		if (h == 0)
			continue;
		(void)snprintf(num[0], sizeof num[0], "%d", k * CHART_BAR_W + 3);
		(void)snprintf(num[1], sizeof num[1], "%lld",
		    (long long)(bal[k] > 0 ? CHART_HALF_H + 2 - h : CHART_HALF_H + 2));
		(void)snprintf(num[2], sizeof num[2], "%d", CHART_BAR_W - 6);
		(void)snprintf(num[3], sizeof num[3], "%lld", (long long)h);
		o_open(o, "rect", "x", num[0], "y", num[1], "width", num[2], "height", num[3], "fill",
		    bal[k] > 0 ? "#a4001d" : "#1d6130", NULL);
		o_close(o, "rect");
	}
	o_close(o, "svg");
	/* the same numbers, for reading and for screen readers */
	o_open(o, "details", "class", "chart-table", NULL);
	o_open(o, "summary", NULL);
	o_text(o, "Saldo na koniec każdego miesiąca — tabela");
	o_close(o, "summary");
	table_open(o, "Saldo na koniec miesiąca", "months-table");
	o_open(o, "thead", NULL);
	o_open(o, "tr", NULL);
	th_col(o, "Miesiąc", NULL);
	th_col(o, "Saldo na koniec miesiąca", "num");
	o_close(o, "tr");
	o_close(o, "thead");
	o_open(o, "tbody", NULL);
	for (k = n; k > 0; k--) {
		o_open(o, "tr", NULL);
		o_open(o, "th", "scope", "row", NULL);
		o_text(o, period_pl(o, months[k - 1]));
		o_close(o, "th");
		balance_cell(o, bal[k - 1]);
		o_close(o, "tr");
	}
	o_close(o, "tbody");
	table_close(o);
	o_close(o, "details");
	o_close(o, "section");
	buf_free(&label);
}

/* ---- meter readings (export format v2) ------------------------------- */

/* A premises as a heading names it: "Mieszkanie nr " and its number. */
static const struct word premises_names[] = {
	{ "M", "Mieszkanie nr " }, { "U", "Lokal użytkowy nr " }, { "G", "Garaż nr " },
	{ "P", "Komórka lokatorska nr " }, { NULL, NULL },
};

/* What a meter measures, with its unit: "Woda zimna, m³". */
static const struct word media[] = {
	{ "ZW", "Woda zimna" }, { "CW", "Woda ciepła" }, { "CO", "Ciepło" },
	{ "PO", "Podzielnik kosztów ogrzewania" }, { "GAZ", "Gaz" },
	{ "EE", "Energia elektryczna" }, { NULL, NULL },
};
static const struct word units[] = {
	{ "ZW", "m³" }, { "CW", "m³" }, { "CO", "GJ" }, { "PO", "jedn." },
	{ "GAZ", "m³" }, { "EE", "kWh" }, { NULL, NULL },
};

const char *
words_medium(const char *code)
{
	return lookup(media, code);
}

const char *
words_medium_unit(const char *code)
{
	const char *u = lookup(units, code);

	return u == code ? "" : u;
}

/* What kind of reading a row is, in words. */
static const char *
reading_kind_words(char kind)
{
	switch (kind) {
	case 'S':
		return "szacowany (bez odczytu licznika)";
	case 'Z':
		return "podany przez mieszkańca";
	case 'M':
		return "wymiana licznika — stan początkowy nowego licznika";
	case 'O':
		return "odczyt";
	default:
		return "";
	}
}

/* "12,34 m³" (v thousandths) into the current element. */
static void
quantity(struct out *o, int64_t v_e3, const char *unit)
{
	o_text(o, decimal_pl(o, v_e3, 3, -1));
	if (unit[0] != '\0') {
		o_text(o, "\xC2\xA0");
		o_text(o, unit);
	}
}

/* A row KSM read lower than the one before it, without a replaced meter
 * between (the importer's 'decrease' warning: no consumption computed). */
static int
is_decrease(const struct st_reading *r, const struct st_reading *prev)
{
	return prev != NULL && r->kind != 'M' && !r->has_usage && r->state_e3 < prev->state_e3;
}

/* The consumption of a reading's period; a decrease in words, never with
 * a bare minus. */
static void
usage_cell(struct out *o, const struct st_reading *r, const struct st_reading *prev,
    const char *unit)
{
	o_open(o, "td", NULL);
	if (is_decrease(r, prev)) {
		o_text(o, "stan niższy o ");
		quantity(o, prev->state_e3 - r->state_e3, unit);
	} else if (r->kind == 'M' || !r->has_usage || r->usage_e3 < 0) {
		o_text(o, "—");
	} else {
		quantity(o, r->usage_e3, unit);
	}
	o_close(o, "td");
}

/* The premises a meter is on, as the card heading names it ("Mieszkanie
 * nr 45, ul. Polna 1"), or its id when no card of the person is on it. */
static void
meter_premises(struct out *o, const struct statement *s, const char *premises_id)
{
	size_t i;

	for (i = 0; i < s->naccounts; i++) {
		const struct st_premises *p = s->accounts[i].premises;

		if (p == NULL || p->id == NULL || strcmp(p->id, premises_id) != 0)
			continue;
		o_text(o, lookup(premises_names, p->kind) != p->kind ?
		    lookup(premises_names, p->kind) : "Lokal nr ");
		o_text(o, p->number);
		o_text(o, ", ");
		o_text(o, p->street);
		return;
	}
	o_text(o, "Lokal ");
	o_text(o, premises_id);
}

/*
 * Consumption per period between readings over the last READINGS_MONTHS
 * months (from the export's month back): an inline SVG bar chart and the
 * same numbers as a table.  Periods of 'M' rows (a new meter's first
 * state) and decreases have no bar.
 */
#define READINGS_MONTHS 36
#define READINGS_BAR_W 20
#define READINGS_H 100

/* Whether readings[i] is a period of the chart: with a consumption or a
 * decrease, dated in [from's month, export_date]. */
static int
in_chart(const struct out *o, const struct st_meter *m, size_t i, const char *from)
{
	const struct st_reading *r = &m->readings[i];

	return r->date != NULL && (r->has_usage || is_decrease(r, i > 0 ? r - 1 : NULL)) &&
	    r->kind != 'M' && strncmp(r->date, from, PERIOD_ISO_LEN) >= 0 &&
	    strncmp(r->date, o->export_date, DATE_ISO_LEN) <= 0;
}

static void
render_usage_chart(struct out *o, const struct st_meter *m, const char *unit)
{
	char from[PERIOD_ISO_LEN + 1], num[4][64];
	size_t i, first = m->nreadings, n = 0, k;
	int64_t maxv = 0, per;
	struct buf label = BUF_INIT;

	if (strlen(o->export_date) != DATE_ISO_LEN)
		return;
	period_add(from, o->export_date, 1 - READINGS_MONTHS);
	for (i = 0; i < m->nreadings; i++) {
		if (!in_chart(o, m, i, from))
			continue;
		if (first == m->nreadings)
			first = i;
		n++;
		if (m->readings[i].has_usage && m->readings[i].usage_e3 > maxv)
			maxv = m->readings[i].usage_e3;
	}
	if (n == 0)
		return;
	per = maxv / READINGS_H + 1;
	o_open(o, "figure", "class", "usage-chart", NULL);
	if (buf_adds(&label, "Wykres zużycia w okresach między odczytami z ostatnich trzech lat, "
	    "od odczytu ") == -1 ||
	    buf_adds(&label, date_pl(o, m->readings[first].date)) == -1 ||
	    buf_adds(&label, "; im wyższy słupek, tym większe zużycie. Liczby podaje tabela "
	    "poniżej.") == -1)
		o->failed = 1;
	(void)snprintf(num[0], sizeof num[0], "0 0 %zu %d", n * READINGS_BAR_W, READINGS_H + 2);
	o_open(o, "svg", "xmlns", "http://www.w3.org/2000/svg", "viewbox", num[0], "class", "chart",
	    "role", "img", "aria-label", label.data != NULL ? label.data : "", NULL);
	(void)snprintf(num[0], sizeof num[0], "%zu", n * READINGS_BAR_W);
	(void)snprintf(num[1], sizeof num[1], "%d", READINGS_H + 1);
	o_open(o, "line", "x1", "0", "y1", num[1], "x2", num[0], "y2", num[1], "stroke", "#595959",
	    "stroke-width", "1", NULL);
	o_close(o, "line");
	for (i = first, k = 0; i < m->nreadings && k < n; i++) {
		const struct st_reading *r = &m->readings[i];
		int64_t h;

		if (!in_chart(o, m, i, from))
			continue;
		h = r->has_usage && r->usage_e3 > 0 ? r->usage_e3 / per : 0;
		if (h > 0) {
			(void)snprintf(num[0], sizeof num[0], "%zu", k * READINGS_BAR_W + 3);
			(void)snprintf(num[1], sizeof num[1], "%lld", (long long)(READINGS_H + 1 - h));
			(void)snprintf(num[2], sizeof num[2], "%d", READINGS_BAR_W - 6);
			(void)snprintf(num[3], sizeof num[3], "%lld", (long long)h);
			o_open(o, "rect", "x", num[0], "y", num[1], "width", num[2], "height", num[3],
			    "fill", r->kind == 'S' ? "#6b6b6b" : "#1f4e8c", NULL);
			o_close(o, "rect");
		}
		k++;
	}
	o_close(o, "svg");
	o_open(o, "figcaption", NULL);
	o_text(o, "Zużycie w okresach między odczytami (ostatnie trzy lata). Szare słupki: "
	    "odczyty szacowane.");
	o_close(o, "figcaption");
	o_close(o, "figure");
	/* the same numbers, for reading and for screen readers */
	o_open(o, "details", "class", "chart-table", NULL);
	o_open(o, "summary", NULL);
	o_text(o, "Zużycie w okresach — tabela");
	o_close(o, "summary");
	table_open(o, o_fmt(o, "Zużycie w okresach, licznik %s", m->serial), "usage-table");
	o_open(o, "thead", NULL);
	o_open(o, "tr", NULL);
	th_col(o, "Okres (do dnia odczytu)", NULL);
	th_col(o, o_fmt(o, "Zużycie (%s)", unit), "num");
	o_close(o, "tr");
	o_close(o, "thead");
	o_open(o, "tbody", NULL);
	for (i = m->nreadings; i > first; i--) {
		const struct st_reading *r = &m->readings[i - 1];

		if (!in_chart(o, m, i - 1, from))
			continue;
		o_open(o, "tr", NULL);
		o_open(o, "th", "scope", "row", NULL);
		o_text(o, date_pl(o, r->date));
		o_close(o, "th");
		usage_cell(o, r, i >= 2 ? r - 1 : NULL, unit);
		o_close(o, "tr");
	}
	o_close(o, "tbody");
	table_close(o);
	o_close(o, "details");
	buf_free(&label);
}

/* One meter: heading, chart, and every reading newest first. */
static void
render_meter(struct out *o, const struct statement *s, const struct st_meter *m, size_t meter,
    int show_premises)
{
	const char *unit = words_medium_unit(m->medium);
	char hid[32];
	size_t i;

	(void)snprintf(hid, sizeof hid, "l%zu-h", meter);
	o_open(o, "section", "class", "meter", "aria-labelledby", hid, NULL);
	o_open(o, "h3", "id", hid, NULL);
	o_text(o, words_medium(m->medium));
	if (unit[0] != '\0') {
		o_text(o, ", ");
		o_text(o, unit);
	}
	o_text(o, " — licznik nr ");
	o_text(o, m->serial);
	o_close(o, "h3");
	if (show_premises) {
		o_open(o, "p", "class", "meter-premises", NULL);
		meter_premises(o, s, m->premises_id);
		o_close(o, "p");
	}
	render_usage_chart(o, m, unit);
	table_open(o, o_fmt(o, "Odczyty licznika nr %s, od najnowszego", m->serial),
	    "readings-table");
	o_open(o, "thead", NULL);
	o_open(o, "tr", NULL);
	th_col(o, "Data odczytu", NULL);
	th_col(o, o_fmt(o, "Stan licznika (%s)", unit), "num");
	th_col(o, "Zużycie od poprzedniego odczytu", "num");
	th_col(o, "Rodzaj odczytu, uwagi", NULL);
	o_close(o, "tr");
	o_close(o, "thead");
	o_open(o, "tbody", NULL);
	for (i = m->nreadings; i > 0; i--) {
		const struct st_reading *r = &m->readings[i - 1];
		const struct st_reading *prev = i >= 2 ? r - 1 : NULL;
		const char *w = reading_kind_words(r->kind);

		o_open(o, "tr", "class", r->warning ? "warning" : NULL, NULL);
		o_open(o, "th", "scope", "row", NULL);
		o_text(o, date_pl(o, r->date));
		o_close(o, "th");
		o_open(o, "td", NULL);
		quantity(o, r->state_e3, unit);
		o_close(o, "td");
		usage_cell(o, r, prev, unit);
		o_open(o, "td", NULL);
		o_text(o, w);
		if (r->warning) {
			if (w[0] != '\0')
				o_text(o, ". ");
			o_elem(o, "strong", "Uwaga:");
			o_text(o, is_decrease(r, prev) ?
			    " licznik pokazuje mniej niż przy poprzednim odczycie, choć go nie "
			    "wymieniono. Spółdzielnia sprawdza ten odczyt; w razie pytań prosimy o "
			    "kontakt z biurem." :
			    " zużycie podane przez spółdzielnię różni się od różnicy stanów licznika. "
			    "Spółdzielnia sprawdza ten odczyt; w razie pytań prosimy o kontakt z "
			    "biurem.");
		}
		o_close(o, "td");
		o_close(o, "tr");
	}
	o_close(o, "tbody");
	table_close(o);
	o_close(o, "section");
}

static void
render_readings(struct out *o, const struct statement *s)
{
	size_t i;
	int many = 0;

	if (s->nmeters == 0)
		return;
	for (i = 1; i < s->nmeters; i++)
		if (strcmp(s->meters[i].premises_id, s->meters[0].premises_id) != 0)
			many = 1;
	o_open(o, "section", "class", "readings", "id", "odczyty", "aria-labelledby", "odczyty-h",
	    NULL);
	o_open(o, "h2", "id", "odczyty-h", NULL);
	o_text(o, "Odczyty liczników");
	o_close(o, "h2");
	o_open(o, "p", NULL);
	o_text(o, "Zużycie to różnica między stanem licznika przy tym odczycie a przy "
	    "poprzednim. Po wymianie licznika liczenie zaczyna się od stanu początkowego "
	    "nowego licznika.");
	o_close(o, "p");
	for (i = 0; i < s->nmeters; i++)
		render_meter(o, s, &s->meters[i], i + 1, many);
	o_close(o, "section");
}

/* ---- documents (export format v2) ------------------------------------ */

const char *
words_document_kind(const char *code)
{
	static const struct word w[] = {
		{ "ZAW", "zawiadomienie o zmianie opłat" },
		{ "ROZ", "rozliczenie (woda, ogrzewanie)" },
		{ "UPO", "upomnienie o zaległości" },
		{ "INF", "pismo do mieszkańca" },
		{ "OGL", "dokument spółdzielni" },
		{ NULL, NULL },
	};
	return lookup(w, code);
}

int
words_size(struct buf *out, int64_t bytes)
{
	int64_t kb, tenths;

	if (bytes < 0)
		bytes = 0;
	if (bytes < 1024 * 1024) {
		kb = (bytes + 1023) / 1024;
		return buf_printf(out, "%lld\xC2\xA0KB", (long long)(kb > 0 ? kb : 1));
	}
	/* megabytes to one decimal, rounded half up, with a comma */
	tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
	return buf_printf(out, "%lld,%lld\xC2\xA0MB", (long long)(tenths / 10),
	    (long long)(tenths % 10));
}

int
document_file_name(struct buf *out, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t i, start = out->len, n;

	base = base != NULL ? base + 1 : path;
	n = strlen(base);
	if (n == 0 && buf_adds(out, "dokument") == -1)
		return -1;
	for (i = 0; i < n; i++) {
		char c = base[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || (c == '.' && i > 0)))
			c = '_';
		if (buf_addc(out, c) == -1)
			return -1;
	}
	n = out->len - start;
	if ((n < 4 || strcmp(out->data + out->len - 4, ".pdf") != 0) && buf_adds(out, ".pdf") == -1)
		return -1;
	return 0;
}

/* The resident's own documents, newest first; on the sealed site each
 * with a button that fetches, decrypts and offers it (login.js). */
static void
render_documents(struct out *o, const struct statement *s)
{
	struct buf size = BUF_INIT, name = BUF_INIT;
	char token[DOCSEAL_TOKEN_LEN + 1];
	struct err why;
	size_t i;
	int sealed = o->dates == RENDER_EXPORT_DATE_BY_PAGE;

	if (s->ndocuments == 0)
		return;
	o_open(o, "section", "class", "documents", "id", "dokumenty", "aria-labelledby",
	    "dokumenty-h", NULL);
	o_open(o, "h2", "id", "dokumenty-h", NULL);
	o_text(o, "Dokumenty");
	o_close(o, "h2");
	if (sealed) {
		o_open(o, "p", NULL);
		o_text(o, "Pisma spółdzielni do Ciebie, od najnowszego. Dokument pobiera się "
		    "dopiero po naciśnięciu „Otwórz” i odszyfrowuje na tym urządzeniu.");
		o_close(o, "p");
	}
	table_open(o, "Dokumenty, od najnowszego", "documents-table");
	o_open(o, "thead", NULL);
	o_open(o, "tr", NULL);
	th_col(o, "Dokument", NULL);
	th_col(o, "Rodzaj", NULL);
	th_col(o, "Data", NULL);
	th_col(o, "Wielkość pliku", "num");
	if (sealed)
		th_col(o, "Otwórz", NULL);
	o_close(o, "tr");
	o_close(o, "thead");
	o_open(o, "tbody", NULL);
	for (i = 0; i < s->ndocuments; i++) {
		const struct st_document *d = &s->documents[i];

		o_open(o, "tr", NULL);
		o_open(o, "th", "scope", "row", NULL);
		o_text(o, d->title);
		o_close(o, "th");
		o_elem(o, "td", words_document_kind(d->kind));
		o_elem(o, "td", date_pl(o, d->date));
		buf_reset(&size);
		if (words_size(&size, d->bytes) == -1)
			o->failed = 1;
		o_elem(o, "td", size.data != NULL ? size.data : "");
		if (sealed) {
			err_clear(&why);
			buf_reset(&name);
			if (docseal_token(token, d->id, d->sha256, &why) == -1 ||
			    document_file_name(&name, d->path) == -1) {
				o->failed = 1;
				if (why.kind != ERR_NONE && o->e->kind == ERR_NONE)
					*o->e = why;
				break;
			}
			o_open(o, "td", "class", "doc-actions", NULL);
			o_open(o, "button", "type", "button", "class", "doc-open", "data-doc", token,
			    "data-doc-name", name.data, "aria-label",
			    o_fmt(o, "Otwórz dokument: %s", d->title), NULL);
			o_text(o, "Otwórz");
			o_close(o, "button");
			o_close(o, "td");
		}
		o_close(o, "tr");
	}
	o_close(o, "tbody");
	table_close(o);
	if (sealed) {
		o_open(o, "p", "class", "doc-status", "role", "status", NULL);
		o_close(o, "p");
	}
	o_close(o, "section");
	buf_free(&size);
	buf_free(&name);
}

/* What the card is for: "Mieszkanie nr 45 — opłaty", "Garaż nr 7 —
 * opłaty", "Telewizja kablowa". */
static void
card_name(struct out *o, const struct st_account *a)
{
	const char *w;

	if (a->premises != NULL && a->kind != NULL && strcmp(a->kind, "C") == 0 &&
	    (w = lookup(premises_names, a->premises->kind)) != a->premises->kind) {
		o_text(o, w);
		o_text(o, a->premises->number);
		o_text(o, " — opłaty");
		return;
	}
	o_text(o, words_card_kind(a->kind));
}

static void
render_card(struct out *o, const struct statement *s, const struct st_account *a, int card)
{
	char id[32], hid[32];

	(void)snprintf(id, sizeof id, "k%d", card);
	(void)snprintf(hid, sizeof hid, "k%d-h", card);
	o_open(o, "section", "class", "card", "id", id, "aria-labelledby", hid, NULL);
	o_open(o, "h2", "id", hid, NULL);
	card_name(o, a);
	o_close(o, "h2");
	o_open(o, "p", "class", "card-id", NULL);
	o_text(o, "Kartoteka ");
	o_text(o, a->id);
	o_close(o, "p");
	render_summary(o, s, a, card);
	render_chart(o, a, card);
	render_premises(o, s, a, card);
	render_ledger(o, a, card);
	render_components(o, a, card);
	o_close(o, "section");
}

int
render_statement(struct buf *out, const struct statement *s, enum render_export_date dates,
    int due_day, struct err *e)
{
	char export_date[DATE_ISO_LEN + 1] = "";
	struct out o = { out, BUF_INIT, 0, e, dates, export_date, due_day };
	size_t i;

	if (s->data_as_of != NULL && strlen(s->data_as_of) >= DATE_ISO_LEN)
		memcpy(export_date, s->data_as_of, DATE_ISO_LEN);

	o_open(&o, "div", "class", "statement", NULL);
	o_open(&o, "p", "class", "holder", NULL);
	o_text(&o, s->first_name);
	if (s->first_name != NULL)
		o_text(&o, " ");
	o_text(&o, s->surname);
	o_close(&o, "p");
	/* No "Dane według stanu na": the page around the fragment says it
	 * (index.html, the footer), so a new night's export changes only the
	 * fragments of residents whose data changed (statement.h,
	 * statement_digest). */
	if (s->naccounts > 1 || s->nmeters > 0 || s->ndocuments > 0) {
		o_open(&o, "nav", "class", "cards", "aria-label", "Kartoteki", NULL);
		o_open(&o, "ul", NULL);
		for (i = 0; i < s->naccounts; i++) {
			o_open(&o, "li", NULL);
			o_open(&o, "a", "href", o_fmt(&o, "#k%zu", i + 1), NULL);
			card_name(&o, &s->accounts[i]);
			o_close(&o, "a");
			o_close(&o, "li");
		}
		if (s->nmeters > 0) {
			o_open(&o, "li", NULL);
			o_open(&o, "a", "href", "#odczyty", NULL);
			o_text(&o, "Odczyty liczników");
			o_close(&o, "a");
			o_close(&o, "li");
		}
		if (s->ndocuments > 0) {
			o_open(&o, "li", NULL);
			o_open(&o, "a", "href", "#dokumenty", NULL);
			o_text(&o, "Dokumenty");
			o_close(&o, "a");
			o_close(&o, "li");
		}
		o_close(&o, "ul");
		o_close(&o, "nav");
	}
	for (i = 0; i < s->naccounts; i++)
		render_card(&o, s, &s->accounts[i], (int)i + 1);
	render_readings(&o, s);
	render_documents(&o, s);
	o_close(&o, "div");
	buf_free(&o.tmp);
	if (o.failed) {
		if (e->kind == ERR_NONE)
			err_set(e, ERR_SYSTEM, "out of memory rendering %s", s->person_id);
		return -1;
	}
	return 0;
}
