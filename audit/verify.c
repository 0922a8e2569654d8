/* verify.c — recomputing KSM's balances and charge totals (see verify.h). */
#include "verify.h"

#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "decimal.h"
#include "json.h"

/* Per-month sums of one card: NAL debit and components. */
struct month {
	const char *period;
	int64_t nal_gr, comp_gr;
	int has_components;
};

struct card_check {
	struct audit_verify *v;
	struct snapshot_repo *repo;
	const struct snapshot_info *s;
};

static int
add_finding(struct audit_verify *v, const char *card, const char *period, int64_t ksm,
    int64_t computed, struct err *e)
{
	struct verify_finding *f;

	if (v->nfindings == v->cap) {
		size_t cap = v->cap == 0 ? 16 : v->cap * 2;
		struct verify_finding *grown = realloc(v->findings, cap * sizeof *grown);

		if (grown == NULL)
			return err_set(e, ERR_SYSTEM, "audit verify: out of memory");
		v->findings = grown;
		v->cap = cap;
	}
	f = &v->findings[v->nfindings];
	f->card = arena_strdup(&v->arena, card);
	f->period = period != NULL ? arena_strdup(&v->arena, period) : NULL;
	if (f->card == NULL || (period != NULL && f->period == NULL))
		return err_set(e, ERR_SYSTEM, "audit verify: out of memory");
	f->ksm_gr = ksm;
	f->computed_gr = computed;
	v->nfindings++;
	return 0;
}

/* The month of period in months[0..*n), added when missing (cap given). */
static struct month *
month_of(struct month *months, size_t *n, const char *period)
{
	size_t i;

	for (i = *n; i > 0; i--)
		if (strcmp(months[i - 1].period, period) == 0)
			return &months[i - 1];
	months[*n].period = period;
	months[*n].nal_gr = months[*n].comp_gr = 0;
	months[*n].has_components = 0;
	return &months[(*n)++];
}

static int
money_field(int64_t *out, const struct canon_rec *r, size_t i, const char *path,
    struct err *e)
{
	if (canon_money_parse(out, r->fields[i]) == -1)
		return err_set(e, ERR_DATA, "%s:%zu: %s: not an amount", path, r->line,
		    r->schema->fields[i]);
	return 0;
}

static int
month_cmp(const void *a, const void *b)
{
	return strcmp(((const struct month *)a)->period, ((const struct month *)b)->period);
}

static int
check_card(void *ctx, const char *path, struct snapshot_blob file, struct err *e)
{
	struct card_check *cc = ctx;
	struct arena a = ARENA_INIT;
	struct canon_rec *recs = NULL, *comps = NULL;
	struct month *months = NULL;
	size_t n = 0, ncomp = 0, nmonths = 0, i;
	char charges[CANON_PATH_MAX], *cdata = NULL;
	size_t clen = 0;
	const char *card = NULL;
	int64_t balance = 0, sum = 0, v;
	int rc = -1;

	if (canon_parse(&recs, &n, &a, file.data, file.len, path, e) == -1)
		goto out;
	for (i = 0; i < n; i++)
		if (strcmp(recs[i].schema->tag, "card") == 0) {
			card = recs[i].fields[0];
			if (money_field(&balance, &recs[i], 5, path, e) == -1)
				goto out;
		}
	if (card == NULL) {
		err_set(e, ERR_DATA, "%s: no card line", path);
		goto out;
	}
	if (canon_card_path(charges, "charges", card, e) == -1 ||
	    snapshot_read(cc->repo, cc->s, charges, &cdata, &clen, e) == -1 ||
	    (cdata != NULL && canon_parse(&comps, &ncomp, &a, cdata, clen, charges, e) == -1))
		goto out;
	if ((months = arena_alloc(&a, (n + ncomp + 1) * sizeof *months)) == NULL) {
		err_set(e, ERR_SYSTEM, "audit verify: out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct canon_rec *r = &recs[i];
		int64_t debit, credit;

		if (strcmp(r->schema->tag, "booking") != 0)
			continue;
		if (money_field(&debit, r, 5, path, e) == -1 ||
		    money_field(&credit, r, 6, path, e) == -1)
			goto out;
		if (money_add(&sum, debit) == -1 || money_add(&sum, -credit) == -1) {
			err_set(e, ERR_DATA, "%s: bookings overflow", path);
			goto out;
		}
		if (r->fields[3] != NULL && strcmp(r->fields[3], "NAL") == 0 && r->fields[2] != NULL &&
		    money_add(&month_of(months, &nmonths, r->fields[2])->nal_gr, debit) == -1) {
			err_set(e, ERR_DATA, "%s: bookings overflow", path);
			goto out;
		}
	}
	for (i = 0; i < ncomp; i++) {
		struct month *m;

		if (strcmp(comps[i].schema->tag, "component") != 0 || comps[i].fields[0] == NULL)
			continue;
		if (money_field(&v, &comps[i], 7, charges, e) == -1)
			goto out;
		m = month_of(months, &nmonths, comps[i].fields[0]);
		m->has_components = 1;
		if (money_add(&m->comp_gr, v) == -1) {
			err_set(e, ERR_DATA, "%s: components overflow", charges);
			goto out;
		}
	}
	cc->v->cards++;
	if (balance != sum && add_finding(cc->v, card, NULL, balance, sum, e) == -1)
		goto out;
	qsort(months, nmonths, sizeof *months, month_cmp);
	for (i = 0; i < nmonths; i++) {
		if (!months[i].has_components)
			continue;
		cc->v->months++;
		if (months[i].nal_gr != months[i].comp_gr &&
		    add_finding(cc->v, card, months[i].period, months[i].nal_gr,
		    months[i].comp_gr, e) == -1)
			goto out;
	}
	rc = 0;
out:
	free(cdata);
	arena_free(&a);
	return rc;
}

static int
finding_cmp(const void *pa, const void *pb)
{
	const struct verify_finding *a = pa, *b = pb;
	int c = strcmp(a->card, b->card);

	if (c != 0)
		return c;
	if (a->period == NULL || b->period == NULL)
		return a->period == NULL ? (b->period == NULL ? 0 : -1) : 1;
	return strcmp(a->period, b->period);
}

int
audit_verify_run(struct audit_verify *v, struct snapshot_repo *repo,
    const struct snapshot_info *s, struct err *e)
{
	struct card_check cc = { v, repo, s };

	memset(v, 0, sizeof *v);
	v->snap = *s;
	if (snapshot_foreach_file(repo, s, "cards", check_card, &cc, e) == -1)
		return -1;
	if (v->nfindings > 0)
		qsort(v->findings, v->nfindings, sizeof *v->findings, finding_cmp);
	return 0;
}

void
audit_verify_free(struct audit_verify *v)
{
	free(v->findings);
	arena_free(&v->arena);
	memset(v, 0, sizeof *v);
}

int
audit_verify_text(struct buf *b, const struct audit_verify *v)
{
	size_t i;

	if (buf_printf(b, "Audit verify: %s, export of %s\n"
	    "checked %zu cards and %zu card-months: %zu disagreement(s)\n",
	    v->snap.tag[0] != '\0' ? v->snap.tag : v->snap.commit, v->snap.generated_at,
	    v->cards, v->months, v->nfindings) == -1)
		return -1;
	for (i = 0; i < v->nfindings; i++) {
		const struct verify_finding *f = &v->findings[i];

		if (buf_printf(b, "  card %s", f->card) == -1 ||
		    (f->period == NULL ? buf_adds(b, ": balance: KSM ") :
		    buf_printf(b, ", %s: charge: NAL ", f->period)) == -1 ||
		    decimal_format(b, f->ksm_gr, 2, 2) == -1 ||
		    buf_adds(b, f->period == NULL ? ", bookings sum to " : ", components sum to ") == -1 ||
		    decimal_format(b, f->computed_gr, 2, 2) == -1 ||
		    buf_adds(b, " (difference ") == -1 ||
		    decimal_format(b, f->ksm_gr - f->computed_gr, 2, 2) == -1 ||
		    buf_adds(b, ")\n") == -1)
			return -1;
	}
	return 0;
}

int
audit_verify_json(struct buf *b, const struct audit_verify *v)
{
	struct json j;
	size_t i;

	json_init(&j, b, 1);
	json_object_begin(&j);
	json_kv_string(&j, "tag", v->snap.tag[0] != '\0' ? v->snap.tag : NULL);
	json_kv_string(&j, "commit", v->snap.commit);
	json_kv_string(&j, "generated_at", v->snap.generated_at);
	json_kv_int(&j, "cards_checked", (int64_t)v->cards);
	json_kv_int(&j, "months_checked", (int64_t)v->months);
	json_key(&j, "findings");
	json_array_begin(&j);
	for (i = 0; i < v->nfindings; i++) {
		const struct verify_finding *f = &v->findings[i];

		json_object_begin(&j);
		json_kv_string(&j, "kind", f->period == NULL ? "balance" : "charge");
		json_kv_string(&j, "card", f->card);
		json_kv_string(&j, "period", f->period);
		json_kv_int(&j, "ksm_gr", f->ksm_gr);
		json_kv_int(&j, "computed_gr", f->computed_gr);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	if (json_finish(&j) == -1)
		return -1;
	return buf_addc(b, '\n');
}
