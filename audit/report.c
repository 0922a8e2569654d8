/* report.c — the auditors' report, HTML and JSON (see report.h). */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "decimal.h"
#include "html.h"
#include "json.h"

/* ---- gathering ---- */

static int
read_export(struct report_export *x, struct snapshot_repo *repo,
    const struct snapshot_info *s, struct err *e)
{
	struct arena a = ARENA_INIT;
	struct canon_rec *recs = NULL;
	char *data = NULL;
	size_t n = 0, nrec = 0, i;
	int rc = -1;

	memset(x, 0, sizeof *x);
	x->snap = *s;
	if (snapshot_read(repo, s, "export.txt", &data, &n, e) == -1)
		goto out;
	if (data == NULL) {
		err_set(e, ERR_DATA, "snapshot %s has no export.txt", s->commit);
		goto out;
	}
	if (canon_parse(&recs, &nrec, &a, data, n, "export.txt", e) == -1)
		goto out;
	for (i = 0; i < nrec; i++) {
		if (strcmp(recs[i].schema->tag, "export") != 0)
			continue;
		(void)snprintf(x->system, sizeof x->system, "%s", recs[i].fields[0] ? recs[i].fields[0] : "");
		(void)snprintf(x->version, sizeof x->version, "%s", recs[i].fields[1] ? recs[i].fields[1] : "");
		(void)snprintf(x->manifest_sha256, sizeof x->manifest_sha256, "%s",
		    recs[i].fields[3] ? recs[i].fields[3] : "");
	}
	rc = 0;
out:
	free(data);
	arena_free(&a);
	return rc;
}

static struct report_month *
month_at(struct audit_report *r, const char *period)
{
	size_t i;

	for (i = r->nmonths; i > 0; i--)
		if (strcmp(r->months[i - 1].period, period) == 0)
			return &r->months[i - 1];
	if (r->nmonths == r->mcap) {
		size_t cap = r->mcap == 0 ? 64 : r->mcap * 2;
		struct report_month *grown = realloc(r->months, cap * sizeof *grown);

		if (grown == NULL)
			return NULL;
		r->months = grown;
		r->mcap = cap;
	}
	memset(&r->months[r->nmonths], 0, sizeof r->months[0]);
	(void)snprintf(r->months[r->nmonths].period, sizeof r->months[0].period, "%s", period);
	return &r->months[r->nmonths++];
}

static int
add_money(int64_t *sum, const char *s, const char *path, size_t line, struct err *e)
{
	int64_t v;

	if (canon_money_parse(&v, s) == -1)
		return err_set(e, ERR_DATA, "%s:%zu: not an amount", path, line);
	if (money_add(sum, v) == -1)
		return err_set(e, ERR_DATA, "%s:%zu: totals overflow", path, line);
	return 0;
}

static int
month_card(void *ctx, const char *path, struct snapshot_blob file, struct err *e)
{
	struct audit_report *r = ctx;
	struct arena a = ARENA_INIT;
	struct canon_rec *recs = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (canon_parse(&recs, &n, &a, file.data, file.len, path, e) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		struct report_month *m;

		if (strcmp(recs[i].schema->tag, "booking") != 0 || recs[i].fields[2] == NULL)
			continue;
		if ((m = month_at(r, recs[i].fields[2])) == NULL) {
			err_set(e, ERR_SYSTEM, "audit report: out of memory");
			goto out;
		}
		if (add_money(&m->charges_gr, recs[i].fields[5], path, recs[i].line, e) == -1 ||
		    add_money(&m->payments_gr, recs[i].fields[6], path, recs[i].line, e) == -1)
			goto out;
	}
	rc = 0;
out:
	arena_free(&a);
	return rc;
}

static int
month_cmp(const void *a, const void *b)
{
	return strcmp(((const struct report_month *)a)->period,
	    ((const struct report_month *)b)->period);
}

int
audit_report_run(struct audit_report *r, struct snapshot_repo *repo,
    const struct snapshot_info *from, const struct snapshot_info *to,
    const char *closed_before, struct err *e)
{
	struct snapshot_info cur;
	int64_t running = 0;
	size_t i;

	memset(r, 0, sizeof *r);
	if (read_export(&r->from, repo, from, e) == -1 || read_export(&r->to, repo, to, e) == -1 ||
	    audit_diff_run(&r->diff, repo, from, to, closed_before, e) == -1 ||
	    audit_verify_run(&r->verify, repo, to, e) == -1 ||
	    snapshot_foreach_file(repo, to, "cards", month_card, r, e) == -1)
		return -1;
	if (r->nmonths > 0)
		qsort(r->months, r->nmonths, sizeof *r->months, month_cmp);
	for (i = 0; i < r->nmonths; i++) {
		if (money_add(&running, r->months[i].charges_gr) == -1 ||
		    money_add(&running, -r->months[i].payments_gr) == -1)
			return err_set(e, ERR_DATA, "audit report: totals overflow");
		r->months[i].balance_gr = running;
	}
	/* The snapshots from TO back along first parents to FROM. */
	if ((r->snaps = calloc(REPORT_SNAPSHOTS_MAX, sizeof *r->snaps)) == NULL)
		return err_set(e, ERR_SYSTEM, "audit report: out of memory");
	cur = *to;
	for (;;) {
		if (r->nsnaps == REPORT_SNAPSHOTS_MAX) {
			r->snaps_truncated = 1;
			break;
		}
		r->snaps[r->nsnaps++] = cur;
		if (strcmp(cur.commit, from->commit) == 0 || !cur.has_parent)
			break;
		if (snapshot_parent(repo, &cur, &cur, e) == -1)
			return -1;
	}
	return 0;
}

void
audit_report_free(struct audit_report *r)
{
	audit_diff_free(&r->diff);
	audit_verify_free(&r->verify);
	free(r->months);
	free(r->snaps);
	memset(r, 0, sizeof *r);
}

/* ---- HTML ---- */

static const char style[] =
    "body{font:16px/1.5 system-ui,sans-serif;color:#111;background:#fff;margin:0 auto;"
    "max-width:60em;padding:1em}"
    "h1{font-size:1.6em}h2{font-size:1.3em;margin-top:2em;border-bottom:2px solid #333}"
    "table{border-collapse:collapse;width:100%;margin:.5em 0 1em}"
    "caption{text-align:left;font-weight:bold;padding:.3em 0}"
    "th,td{border:1px solid #555;padding:.2em .4em;text-align:left;vertical-align:top}"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "code{font-size:.9em;word-break:break-all}"
    ".closed{border-left:6px solid #8b0000;padding-left:.8em}"
    ".flag{font-weight:bold;color:#8b0000}"
    "svg{max-width:100%;height:auto}"
    "figure{margin:1em 0}figcaption{font-weight:bold}"
    "@page{size:A4;margin:15mm}"
    "@media print{body{max-width:none;padding:0;font-size:10pt}"
    "h2{break-after:avoid}tr,figure{break-inside:avoid}thead{display:table-header-group}}";

static const char *
entity_pl(const char *tag)
{
	static const char *const names[][2] = {
		{ "booking", "operacja" }, { "component", "składnik naliczenia" },
		{ "person", "osoba" }, { "premises", "lokal" }, { "card", "kartoteka" },
		{ "announcement", "komunikat" }, { "block", "blok komunikatu" },
		{ "warning", "ostrzeżenie KSM" }, { "cooperative", "spółdzielnia" },
		{ "reading", "odczyt licznika" }, { "reading_warning", "ostrzeżenie o odczycie" },
		{ "document", "dokument" },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i][0], tag) == 0)
			return names[i][1];
	return tag;
}

static const char *const kind_pl[] = { "dodano", "usunięto", "zmieniono" };

/* A document's owner_kind in words ("public": everyone). */
static const char *
owner_pl(const char *kind)
{
	static const char *const names[][2] = {
		{ "card", "kartoteka" }, { "premises", "lokal" }, { "person", "osoba" },
		{ "public", "wszyscy (publiczny)" },
	};
	size_t i;

	for (i = 0; kind != NULL && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i][0], kind) == 0)
			return names[i][1];
	return kind != NULL ? kind : "";
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

static int
cell(struct buf *b, const char *cls, const char *text)
{
	return html_open(b, "td", "class", cls, NULL) || html_text(b, text) || html_close(b, "td");
}

static int
th(struct buf *b, const char *cls, const char *text)
{
	return html_open(b, "th", "scope", "col", "class", cls, NULL) || html_text(b, text) ||
	    html_close(b, "th");
}

static int
money_cell(struct buf *b, int64_t gr)
{
	return html_open(b, "td", "class", "num", NULL) || html_money(b, gr) || html_close(b, "td");
}

/* "name=value, ..." of a record's non-key fields. */
static int
record_text(struct buf *b, const struct canon_rec *rec)
{
	const char *sep = "";
	size_t i;
	int rc = 0;

	if (rec == NULL)
		return 0;
	for (i = rec->schema->nkey; i < rec->schema->nfields; i++) {
		if (rec->fields[i] == NULL)
			continue;
		rc |= html_text(b, sep) || html_text(b, rec->schema->fields[i]) || html_text(b, "=") ||
		    html_text(b, rec->fields[i]);
		sep = ", ";
	}
	return rc;
}

static int
change_rows(struct buf *b, const struct audit_diff *d, int closed)
{
	size_t i, k;
	int rc = 0;

	for (i = 0; i < d->nchanges; i++) {
		const struct change *c = &d->changes[i];
		const struct canon_rec *rec = c->new_rec != NULL ? c->new_rec : c->old_rec;
		struct buf key = BUF_INIT;
		const char *period = NULL, *whose = NULL, *whose_id = NULL;
		size_t f, rows = c->kind == CHANGE_CHANGED ? c->nfields : 1;
		/* Readings and documents: their date in the period column, whose
		 * they are in the card column. */
		int dated = strcmp(c->schema->tag, "reading") == 0 ||
		    strcmp(c->schema->tag, "document") == 0;

		if (c->closed != closed)
			continue;
		for (f = 0; f < rec->schema->nfields; f++) {
			const char *name = rec->schema->fields[f];

			if (strcmp(name, "period") == 0 || (dated && strcmp(name, "date") == 0))
				period = rec->fields[f];
			else if (dated && strcmp(name, "premises") == 0) {
				whose = "lokal";
				whose_id = rec->fields[f];
			} else if (dated && strcmp(name, "owner_kind") == 0)
				whose = owner_pl(rec->fields[f]);
			else if (dated && strcmp(name, "owner") == 0)
				whose_id = rec->fields[f];
		}
		for (f = 0; f < rec->schema->nkey; f++) {
			if (rec->fields[f] == period && period != NULL)
				continue;
			rc |= buf_printf(&key, "%s%s", key.len > 0 ? " " : "", nz(rec->fields[f]));
		}
		for (k = 0; k < rows; k++) {
			rc |= html_open(b, "tr", NULL);
			rc |= cell(b, NULL, kind_pl[c->kind]);
			rc |= cell(b, NULL, entity_pl(c->schema->tag));
			rc |= cell(b, NULL, key.data != NULL ? key.data : "");
			if (whose != NULL)
				rc |= html_open(b, "td", NULL, NULL) || html_text(b, whose) ||
				    (whose_id != NULL && (html_text(b, " ") || html_text(b, whose_id))) ||
				    html_close(b, "td");
			else
				rc |= cell(b, NULL, nz(c->card));
			rc |= cell(b, NULL, nz(period));
			if (c->kind == CHANGE_CHANGED) {
				rc |= cell(b, NULL, c->fields[k].field);
				rc |= cell(b, NULL, c->fields[k].old_value != NULL ?
				    c->fields[k].old_value : "(puste)");
				rc |= cell(b, NULL, c->fields[k].new_value != NULL ?
				    c->fields[k].new_value : "(puste)");
			} else {
				rc |= cell(b, NULL, "cały rekord");
				rc |= html_open(b, "td", NULL, NULL);
				if (c->kind == CHANGE_DELETED)
					rc |= record_text(b, c->old_rec);
				else
					rc |= html_text(b, "(nie było)");
				rc |= html_close(b, "td") || html_open(b, "td", NULL, NULL);
				if (c->kind == CHANGE_ADDED)
					rc |= record_text(b, c->new_rec);
				else
					rc |= html_text(b, "(nie ma)");
				rc |= html_close(b, "td");
			}
			rc |= html_close(b, "tr");
		}
		buf_free(&key);
	}
	return rc;
}

static int
change_table(struct buf *b, const struct audit_diff *d, int closed, const char *caption)
{
	int rc = html_open(b, "table", NULL) || html_elem(b, "caption", caption) ||
	    html_open(b, "thead", NULL) || html_open(b, "tr", NULL);

	rc |= th(b, NULL, "Zmiana") || th(b, NULL, "Rekord") || th(b, NULL, "Klucz") ||
	    th(b, NULL, "Kartoteka, lokal lub osoba") || th(b, NULL, "Okres lub data") ||
	    th(b, NULL, "Pole") ||
	    th(b, NULL, "Było") || th(b, NULL, "Jest");
	rc |= html_close(b, "tr") || html_close(b, "thead") || html_open(b, "tbody", NULL);
	rc |= change_rows(b, d, closed);
	return rc || html_close(b, "tbody") || html_close(b, "table");
}

static int
export_table(struct buf *b, const struct audit_report *r)
{
	const struct report_export *x[2] = { &r->from, &r->to };
	static const char *const label[2] = { "Wcześniejszy (FROM)", "Późniejszy (TO)" };
	int i, rc = html_open(b, "table", NULL) ||
	    html_elem(b, "caption", "Porównywane eksporty KSM i ich manifesty") ||
	    html_open(b, "thead", NULL) || html_open(b, "tr", NULL);

	rc |= th(b, NULL, "Eksport") || th(b, NULL, "Znacznik git") || th(b, NULL, "Wygenerowano (UTC)") ||
	    th(b, NULL, "System i wersja") || th(b, NULL, "SHA-256 manifestu") ||
	    th(b, NULL, "Commit i drzewo git") || th(b, NULL, "Zawartość");
	rc |= html_close(b, "tr") || html_close(b, "thead") || html_open(b, "tbody", NULL);
	for (i = 0; i < 2; i++) {
		rc |= html_open(b, "tr", NULL);
		rc |= html_open(b, "th", "scope", "row", NULL) || html_text(b, label[i]) ||
		    html_close(b, "th");
		rc |= cell(b, NULL, x[i]->snap.tag[0] != '\0' ? x[i]->snap.tag : "(bez znacznika)");
		rc |= cell(b, NULL, x[i]->snap.generated_at);
		rc |= html_open(b, "td", NULL, NULL) || html_text(b, x[i]->system) || html_text(b, " ") ||
		    html_text(b, x[i]->version) || html_close(b, "td");
		rc |= html_open(b, "td", NULL, NULL) || html_elem(b, "code", x[i]->manifest_sha256) ||
		    html_close(b, "td");
		rc |= html_open(b, "td", NULL, NULL) || html_text(b, "commit ") ||
		    html_elem(b, "code", x[i]->snap.commit) || html_text(b, ", drzewo ") ||
		    html_elem(b, "code", x[i]->snap.tree) || html_close(b, "td");
		rc |= cell(b, NULL, x[i]->snap.summary);
		rc |= html_close(b, "tr");
	}
	return rc || html_close(b, "tbody") || html_close(b, "table");
}

static int
counts_table(struct buf *b, const struct audit_report *r)
{
	const struct audit_diff *d = &r->diff;
	const char *seen[16];
	size_t nseen = 0, i, j;
	int rc = html_open(b, "table", NULL) || html_elem(b, "caption", "Liczba zmian") ||
	    html_open(b, "thead", NULL) || html_open(b, "tr", NULL);

	rc |= th(b, NULL, "Rekord") || th(b, "num", "Dodano") || th(b, "num", "Usunięto") ||
	    th(b, "num", "Zmieniono") || th(b, "num", "W okresach zamkniętych");
	rc |= html_close(b, "tr") || html_close(b, "thead") || html_open(b, "tbody", NULL);
	for (i = 0; i < d->nchanges; i++) {
		const char *tag = d->changes[i].schema->tag;
		size_t n[3] = { 0, 0, 0 }, closed = 0;

		for (j = 0; j < nseen && strcmp(seen[j], tag) != 0; j++)
			;
		if (j < nseen || nseen == sizeof seen / sizeof seen[0])
			continue;
		seen[nseen++] = tag;
		for (j = i; j < d->nchanges; j++)
			if (strcmp(d->changes[j].schema->tag, tag) == 0) {
				n[d->changes[j].kind]++;
				closed += (size_t)d->changes[j].closed;
			}
		rc |= html_open(b, "tr", NULL) || html_open(b, "th", "scope", "row", NULL) ||
		    html_text(b, entity_pl(tag)) || html_close(b, "th");
		for (j = 0; j < 3; j++)
			rc |= html_open(b, "td", "class", "num", NULL) ||
			    buf_printf(b, "%zu", n[j]) || html_close(b, "td");
		rc |= html_open(b, "td", "class", "num", NULL) || buf_printf(b, "%zu", closed) ||
		    html_close(b, "td") || html_close(b, "tr");
	}
	rc |= html_open(b, "tr", NULL) || html_open(b, "th", "scope", "row", NULL) ||
	    html_text(b, "saldo kartoteki (KSM)") || html_close(b, "th") ||
	    html_open(b, "td", "class", "num", "colspan", "3", NULL) ||
	    buf_printf(b, "%zu zmienionych", d->nbalances) || html_close(b, "td") ||
	    cell(b, "num", "—") || html_close(b, "tr");
	rc |= html_open(b, "tr", NULL) || html_open(b, "th", "scope", "row", NULL) ||
	    html_text(b, "data salda") || html_close(b, "th") ||
	    html_open(b, "td", "class", "num", "colspan", "3", NULL) ||
	    buf_printf(b, "%zu zmienionych", d->balance_dates) || html_close(b, "td") ||
	    cell(b, "num", "—") || html_close(b, "tr");
	return rc || html_close(b, "tbody") || html_close(b, "table");
}

static int
balance_table(struct buf *b, const struct audit_diff *d)
{
	size_t i;
	int rc = html_open(b, "table", NULL) ||
	    html_elem(b, "caption", "Zmiany sald kartotek (saldo KSM: dodatnie = należność od mieszkańca)") ||
	    html_open(b, "thead", NULL) || html_open(b, "tr", NULL);

	rc |= th(b, NULL, "Kartoteka") || th(b, "num", "Było") || th(b, "num", "Jest") ||
	    th(b, "num", "Różnica");
	rc |= html_close(b, "tr") || html_close(b, "thead") || html_open(b, "tbody", NULL);
	for (i = 0; i < d->nbalances; i++) {
		rc |= html_open(b, "tr", NULL) || cell(b, NULL, d->balances[i].card) ||
		    money_cell(b, d->balances[i].old_gr) || money_cell(b, d->balances[i].new_gr) ||
		    money_cell(b, d->balances[i].new_gr - d->balances[i].old_gr) || html_close(b, "tr");
	}
	return rc || html_close(b, "tbody") || html_close(b, "table");
}

static int
verify_table(struct buf *b, const struct audit_verify *v)
{
	size_t i;
	int rc = html_open(b, "table", NULL) ||
	    html_elem(b, "caption", "Niezgodności liczb KSM z rekordami (eksport TO)") ||
	    html_open(b, "thead", NULL) || html_open(b, "tr", NULL);

	rc |= th(b, NULL, "Kartoteka") || th(b, NULL, "Co sprawdzono") || th(b, "num", "Według KSM") ||
	    th(b, "num", "Z rekordów") || th(b, "num", "Różnica");
	rc |= html_close(b, "tr") || html_close(b, "thead") || html_open(b, "tbody", NULL);
	for (i = 0; i < v->nfindings; i++) {
		const struct verify_finding *f = &v->findings[i];
		struct buf what = BUF_INIT;

		rc |= f->period == NULL ? buf_adds(&what, "saldo wobec sumy operacji") :
		    buf_printf(&what, "naliczenie (NAL) %s wobec sumy składników", f->period);
		rc |= html_open(b, "tr", NULL) || cell(b, NULL, f->card) ||
		    cell(b, NULL, what.data != NULL ? what.data : "") || money_cell(b, f->ksm_gr) ||
		    money_cell(b, f->computed_gr) || money_cell(b, f->ksm_gr - f->computed_gr) ||
		    html_close(b, "tr");
		buf_free(&what);
	}
	return rc || html_close(b, "tbody") || html_close(b, "table");
}

#define CHART_W 640
#define CHART_H 220
#define CHART_TOP 20
#define CHART_BOTTOM 30
#define CHART_LEFT 10

/* The y pixel of v between lo and hi (integers only: money stays exact). */
static long long
chart_y(int64_t v, int64_t lo, int64_t hi)
{
	int64_t span = hi - lo, plot = CHART_H - CHART_TOP - CHART_BOTTOM, scale;

	if (span <= 0)
		return CHART_H - CHART_BOTTOM;
	/* (v - lo) * plot must fit: scale both down for sums near INT64_MAX. */
	scale = span / (INT64_MAX / plot) + 1;
	return CHART_H - CHART_BOTTOM - ((v - lo) / scale) * plot / (span / scale);
}

/* One bar chart of field (0 charges, 1 payments, 2 balance) by month. */
static int
chart(struct buf *b, const struct audit_report *r, int field, const char *id, const char *title)
{
	int64_t lo = 0, hi = 0, v;
	size_t i, n = r->nmonths;
	long long bw = n > 0 ? (CHART_W - CHART_LEFT) / (long long)n : 1, y0, y;
	char tid[32], did[32];
	int rc = 0;

	(void)snprintf(tid, sizeof tid, "%s-t", id);
	(void)snprintf(did, sizeof did, "%s-d", id);
	for (i = 0; i < n; i++) {
		v = field == 0 ? r->months[i].charges_gr : field == 1 ? r->months[i].payments_gr :
		    r->months[i].balance_gr;
		if (v < lo)
			lo = v;
		if (v > hi)
			hi = v;
	}
	if (bw < 1)
		bw = 1;
	rc |= html_open(b, "figure", NULL) || html_elem(b, "figcaption", title);
	rc |= buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" role=\"img\" aria-labelledby=\"%s %s\">",
	    CHART_W, CHART_H, CHART_W, CHART_H, tid, did);
	rc |= html_open(b, "title", "id", tid, NULL) || html_text(b, title) || html_close(b, "title");
	rc |= html_open(b, "desc", "id", did, NULL);
	rc |= buf_printf(b, "%zu miesięcy, od ", n) ||
	    html_text(b, n > 0 ? r->months[0].period : "-") || html_text(b, " do ") ||
	    html_text(b, n > 0 ? r->months[n - 1].period : "-") ||
	    html_text(b, "; najmniej ") || html_money(b, lo) || html_text(b, ", najwięcej ") ||
	    html_money(b, hi) || html_text(b, ". Te same liczby są w tabeli poniżej.");
	rc |= html_close(b, "desc");
	y0 = chart_y(0, lo, hi);
	for (i = 0; i < n; i++) {
		v = field == 0 ? r->months[i].charges_gr : field == 1 ? r->months[i].payments_gr :
		    r->months[i].balance_gr;
		y = chart_y(v, lo, hi);
		rc |= buf_printf(b, "<rect x=\"%lld\" y=\"%lld\" width=\"%lld\" height=\"%lld\" "
		    "fill=\"%s\"></rect>", CHART_LEFT + (long long)i * bw, y < y0 ? y : y0,
		    bw > 2 ? bw - 1 : bw, y < y0 ? y0 - y : y - y0,
		    field == 0 ? "#1f4e79" : field == 1 ? "#2e6b30" : "#6b2e5f");
	}
	rc |= buf_printf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%lld\" y2=\"%lld\" stroke=\"#111\">"
	    "</line>", CHART_LEFT, CHART_W, y0, y0);
	if (n > 0) {
		rc |= buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"14\" fill=\"#111\">",
		    CHART_LEFT, CHART_H - 8) || html_text(b, r->months[0].period) || html_close(b, "text");
		rc |= buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"14\" fill=\"#111\" "
		    "text-anchor=\"end\">", CHART_W, CHART_H - 8) ||
		    html_text(b, r->months[n - 1].period) || html_close(b, "text");
		rc |= buf_printf(b, "<text x=\"%d\" y=\"14\" font-size=\"14\" fill=\"#111\">",
		    CHART_LEFT) || html_text(b, "najwięcej ") || html_money(b, hi) ||
		    html_close(b, "text");
	}
	rc |= buf_adds(b, "</svg>") || html_close(b, "figure");
	return rc;
}

static int
month_table(struct buf *b, const struct audit_report *r)
{
	size_t i;
	int rc = html_open(b, "table", NULL) ||
	    html_elem(b, "caption", "Sumy miesięczne wszystkich kartotek (dane wykresów)") ||
	    html_open(b, "thead", NULL) || html_open(b, "tr", NULL);

	rc |= th(b, NULL, "Okres") || th(b, "num", "Obciążenia (Wn)") ||
	    th(b, "num", "Wpłaty i uznania (Ma)") || th(b, "num", "Saldo na koniec okresu");
	rc |= html_close(b, "tr") || html_close(b, "thead") || html_open(b, "tbody", NULL);
	for (i = 0; i < r->nmonths; i++) {
		rc |= html_open(b, "tr", NULL) || html_open(b, "th", "scope", "row", NULL) ||
		    html_text(b, r->months[i].period) || html_close(b, "th") ||
		    money_cell(b, r->months[i].charges_gr) || money_cell(b, r->months[i].payments_gr) ||
		    money_cell(b, r->months[i].balance_gr) || html_close(b, "tr");
	}
	return rc || html_close(b, "tbody") || html_close(b, "table");
}

static int
snapshot_table(struct buf *b, const struct audit_report *r)
{
	size_t i;
	int rc = html_open(b, "table", NULL) ||
	    html_elem(b, "caption", "Migawki od TO wstecz do FROM (najnowsza pierwsza)") ||
	    html_open(b, "thead", NULL) || html_open(b, "tr", NULL);

	rc |= th(b, NULL, "Znacznik") || th(b, NULL, "Wygenerowano (UTC)") || th(b, NULL, "Commit") ||
	    th(b, NULL, "Opis");
	rc |= html_close(b, "tr") || html_close(b, "thead") || html_open(b, "tbody", NULL);
	for (i = 0; i < r->nsnaps; i++) {
		rc |= html_open(b, "tr", NULL) ||
		    cell(b, NULL, r->snaps[i].tag[0] != '\0' ? r->snaps[i].tag : "(bez znacznika)") ||
		    cell(b, NULL, r->snaps[i].generated_at) || html_open(b, "td", NULL, NULL) ||
		    html_elem(b, "code", r->snaps[i].commit) || html_close(b, "td") ||
		    cell(b, NULL, r->snaps[i].summary) || html_close(b, "tr");
	}
	rc |= html_close(b, "tbody") || html_close(b, "table");
	if (r->snaps_truncated)
		rc |= html_elem(b, "p", "Lista skrócona: w zakresie jest więcej migawek.");
	return rc;
}

int
audit_report_html(struct buf *b, const struct audit_report *r)
{
	const struct audit_diff *d = &r->diff;
	struct buf t = BUF_INIT;
	int rc = 0;

	rc |= buf_adds(b, "<!DOCTYPE html>\n") || html_open(b, "html", "lang", "pl", NULL) ||
	    html_open(b, "head", NULL) || html_void(b, "meta", "charset", "utf-8", NULL) ||
	    html_void(b, "meta", "name", "viewport", "content", "width=device-width, initial-scale=1",
	    NULL);
	rc |= buf_printf(&t, "Raport audytora KSM: %s → %s",
	    r->from.snap.tag[0] != '\0' ? r->from.snap.tag : r->from.snap.commit,
	    r->to.snap.tag[0] != '\0' ? r->to.snap.tag : r->to.snap.commit);
	rc |= html_elem(b, "title", t.data != NULL ? t.data : "");
	rc |= html_open(b, "style", NULL) || html_raw_trusted(b, style, sizeof style - 1) ||
	    html_close(b, "style") || html_close(b, "head") || html_open(b, "body", NULL);
	rc |= html_open(b, "header", NULL) || html_elem(b, "h1", t.data != NULL ? t.data : "") ||
	    html_open(b, "p", NULL) ||
	    html_text(b, "Co zmieniło się w danych KSM między dwoma nocnymi eksportami, "
	    "zapisanymi jako migawki git (czynsze audit). Okresy rozliczeniowe przed ") ||
	    html_elem(b, "strong", d->closed_before) ||
	    html_text(b, " są zamknięte: zmiana w nich (także zmieniony lub usunięty odczyt licznika "
	    "z datą w takim okresie) zmienia przeszłość i jest pokazana najpierw.") ||
	    html_close(b, "p") || html_close(b, "header") || html_open(b, "main", NULL);

	rc |= html_open(b, "section", "class", "closed", "aria-labelledby", "closed-h", NULL) ||
	    html_open(b, "h2", "id", "closed-h", NULL);
	if (d->closed > 0)
		rc |= html_open(b, "span", "class", "flag", NULL) ||
		    buf_printf(b, "Uwaga: %zu zmian(y) w okresach zamkniętych", d->closed) ||
		    html_close(b, "span");
	else
		rc |= html_text(b, "Brak zmian w okresach zamkniętych");
	rc |= html_close(b, "h2");
	if (d->closed > 0)
		rc |= change_table(b, d, 1, "Zmiany w okresach zamkniętych (było → jest)");
	rc |= html_close(b, "section");

	rc |= html_open(b, "section", "aria-labelledby", "exports-h", NULL) ||
	    html_open(b, "h2", "id", "exports-h", NULL) || html_text(b, "Eksporty i manifesty") ||
	    html_close(b, "h2") || export_table(b, r) || html_close(b, "section");
	rc |= html_open(b, "section", "aria-labelledby", "counts-h", NULL) ||
	    html_open(b, "h2", "id", "counts-h", NULL) || html_text(b, "Ile się zmieniło") ||
	    html_close(b, "h2") || counts_table(b, r) || html_close(b, "section");
	rc |= html_open(b, "section", "aria-labelledby", "other-h", NULL) ||
	    html_open(b, "h2", "id", "other-h", NULL) ||
	    html_text(b, "Pozostałe zmiany (okresy otwarte, osoby, lokale, kartoteki, odczyty, "
	    "dokumenty)") ||
	    html_close(b, "h2");
	if (d->nchanges > d->closed)
		rc |= change_table(b, d, 0, "Pozostałe zmiany (było → jest)");
	else
		rc |= html_elem(b, "p", "Brak.");
	rc |= html_close(b, "section");
	rc |= html_open(b, "section", "aria-labelledby", "bal-h", NULL) ||
	    html_open(b, "h2", "id", "bal-h", NULL) || html_text(b, "Salda kartotek") ||
	    html_close(b, "h2");
	rc |= d->nbalances > 0 ? balance_table(b, d) : html_elem(b, "p", "Żadne saldo się nie zmieniło.");
	rc |= html_close(b, "section");
	rc |= html_open(b, "section", "aria-labelledby", "ver-h", NULL) ||
	    html_open(b, "h2", "id", "ver-h", NULL) ||
	    html_text(b, "Niezgodności sald i naliczeń (audit verify)") || html_close(b, "h2") ||
	    html_open(b, "p", NULL) ||
	    buf_printf(b, "Sprawdzono %zu kartotek i %zu miesięcy z naliczeniem; niezgodności: %zu.",
	    r->verify.cards, r->verify.months, r->verify.nfindings) || html_close(b, "p");
	if (r->verify.nfindings > 0)
		rc |= verify_table(b, &r->verify);
	rc |= html_close(b, "section");
	rc |= html_open(b, "section", "aria-labelledby", "months-h", NULL) ||
	    html_open(b, "h2", "id", "months-h", NULL) ||
	    html_text(b, "Sumy miesięczne (eksport TO)") || html_close(b, "h2") ||
	    html_elem(b, "p", "Obciążenia to suma strony Wn wszystkich operacji okresu, wpłaty "
	    "suma strony Ma, saldo to Wn minus Ma narastająco do końca okresu (dodatnie = "
	    "należność mieszkańców wobec spółdzielni).");
	rc |= chart(b, r, 0, "ch-charges", "Obciążenia (Wn) w miesiącu") ||
	    chart(b, r, 1, "ch-payments", "Wpłaty i uznania (Ma) w miesiącu") ||
	    chart(b, r, 2, "ch-balance", "Saldo wszystkich kartotek na koniec miesiąca") ||
	    month_table(b, r) || html_close(b, "section");
	rc |= html_open(b, "section", "aria-labelledby", "snaps-h", NULL) ||
	    html_open(b, "h2", "id", "snaps-h", NULL) || html_text(b, "Migawki w zakresie") ||
	    html_close(b, "h2") || snapshot_table(b, r) || html_close(b, "section");
	rc |= html_close(b, "main") || html_close(b, "body") || html_close(b, "html") ||
	    buf_addc(b, '\n');
	buf_free(&t);
	return rc != 0 ? -1 : 0;
}

/* ---- JSON ---- */

/* "entities": per kind of record, in the diff's order (changes are sorted
 * by kind, so each kind is one run): added, deleted, changed, and how
 * many of them touch a closed period. */
static void
json_entities(struct json *j, const struct audit_diff *d)
{
	size_t i = 0, k;

	json_key(j, "entities");
	json_array_begin(j);
	while (i < d->nchanges) {
		const struct canon_schema *s = d->changes[i].schema;
		int64_t n[3] = { 0, 0, 0 }, closed = 0;

		for (k = i; k < d->nchanges && d->changes[k].schema == s; k++) {
			n[d->changes[k].kind]++;
			closed += d->changes[k].closed;
		}
		json_object_begin(j);
		json_kv_string(j, "entity", s->tag);
		json_kv_int(j, "added", n[CHANGE_ADDED]);
		json_kv_int(j, "deleted", n[CHANGE_DELETED]);
		json_kv_int(j, "changed", n[CHANGE_CHANGED]);
		json_kv_int(j, "closed_period", closed);
		json_object_end(j);
		i = k;
	}
	json_array_end(j);
}

static void
json_export(struct json *j, const char *key, const struct report_export *x)
{
	json_key(j, key);
	json_object_begin(j);
	json_kv_string(j, "tag", x->snap.tag[0] != '\0' ? x->snap.tag : NULL);
	json_kv_string(j, "commit", x->snap.commit);
	json_kv_string(j, "tree", x->snap.tree);
	json_kv_string(j, "generated_at", x->snap.generated_at);
	json_kv_string(j, "system", x->system);
	json_kv_string(j, "version", x->version);
	json_kv_string(j, "manifest_sha256", x->manifest_sha256);
	json_kv_string(j, "summary", x->snap.summary);
	json_object_end(j);
}

int
audit_report_json(struct buf *b, const struct audit_report *r)
{
	struct buf part = BUF_INIT;
	struct json j;
	size_t i;
	int rc = 0;

	rc |= buf_adds(b, "{\n\"report\": ");
	json_init(&j, &part, 1);
	json_object_begin(&j);
	json_export(&j, "from", &r->from);
	json_export(&j, "to", &r->to);
	json_key(&j, "counts");
	json_object_begin(&j);
	json_kv_int(&j, "changes", (int64_t)r->diff.nchanges);
	json_kv_int(&j, "closed_period_changes", (int64_t)r->diff.closed);
	json_kv_int(&j, "balance_changes", (int64_t)r->diff.nbalances);
	json_kv_int(&j, "balance_date_changes", (int64_t)r->diff.balance_dates);
	json_kv_int(&j, "verify_findings", (int64_t)r->verify.nfindings);
	json_object_end(&j);
	json_entities(&j, &r->diff);
	json_key(&j, "months");
	json_array_begin(&j);
	for (i = 0; i < r->nmonths; i++) {
		json_object_begin(&j);
		json_kv_string(&j, "period", r->months[i].period);
		json_kv_int(&j, "charges_gr", r->months[i].charges_gr);
		json_kv_int(&j, "payments_gr", r->months[i].payments_gr);
		json_kv_int(&j, "balance_gr", r->months[i].balance_gr);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "snapshots");
	json_array_begin(&j);
	for (i = 0; i < r->nsnaps; i++) {
		json_object_begin(&j);
		json_kv_string(&j, "tag", r->snaps[i].tag[0] != '\0' ? r->snaps[i].tag : NULL);
		json_kv_string(&j, "commit", r->snaps[i].commit);
		json_kv_string(&j, "generated_at", r->snaps[i].generated_at);
		json_kv_string(&j, "summary", r->snaps[i].summary);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	if (json_finish(&j) == -1)
		rc = -1;
	/* Each part is a whole JSON value: the document is their object. */
	rc |= buf_add(b, part.data, part.len) || buf_adds(b, ",\n\"diff\": ");
	buf_reset(&part);
	rc |= audit_diff_json(&part, &r->diff) || buf_add(b, part.data, part.len) ||
	    buf_adds(b, ",\n\"verify\": ");
	buf_reset(&part);
	rc |= audit_verify_json(&part, &r->verify) || buf_add(b, part.data, part.len) ||
	    buf_adds(b, "}\n");
	buf_free(&part);
	return rc != 0 ? -1 : 0;
}
