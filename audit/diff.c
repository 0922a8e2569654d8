/* diff.c — semantic comparison of two snapshots (see diff.h). */
#include "diff.h"

#include <assert.h>

#include <stdlib.h>
#include <string.h>

#include "json.h"

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

static int
field_index(const struct canon_schema *s, const char *name)
{
	size_t i;

	assert(s != NULL);
	for (i = 0; i < s->nfields; i++)
		if (strcmp(s->fields[i], name) == 0)
			return (int)i;
	return -1;
}

static int
key_cmp(const struct canon_rec *a, const struct canon_rec *b)
{
	size_t i;
	int c;

	if (a->schema != b->schema)
		return a->schema < b->schema ? -1 : 1;
	for (i = 0; i < a->schema->nkey; i++)
		if ((c = strcmp(nz(a->fields[i]), nz(b->fields[i]))) != 0)
			return c;
	return 0;
}

static int
rec_cmp(const void *a, const void *b)
{
	return key_cmp(a, b);
}

static int
hex2(const char *s, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 2; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return 0;
	}
	*out = v;
	return 1;
}

/* "cards/XX/K%2F1.txt" -> "K/1" (the inverse of canon_card_path). */
static const char *
card_of_path(struct arena *a, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n, i, k = 0;
	char *out;

	base = base != NULL ? base + 1 : path;
	n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".txt") == 0)
		n -= 4;
	if ((out = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned v;

		if (base[i] == '%' && i + 2 < n && hex2(base + i + 1, &v)) {
			out[k++] = (char)v;
			i += 2;
		} else {
			out[k++] = base[i];
		}
	}
	out[k] = '\0';
	return out;
}

static int
push_change(struct audit_diff *d, const struct change *c, struct err *e)
{
	if (d->nchanges == d->cap) {
		size_t cap = d->cap == 0 ? 64 : d->cap * 2;
		struct change *grown = realloc(d->changes, cap * sizeof *grown);

		if (grown == NULL)
			return err_set(e, ERR_SYSTEM, "audit diff: out of memory");
		d->changes = grown;
		d->cap = cap;
	}
	d->changes[d->nchanges++] = *c;
	if (c->closed)
		d->closed++;
	return 0;
}

static int
push_balance(struct audit_diff *d, const char *card, const char *o, const char *n,
    struct err *e)
{
	struct balance_change *b;

	if (d->nbalances == d->bcap) {
		size_t cap = d->bcap == 0 ? 64 : d->bcap * 2;
		struct balance_change *grown = realloc(d->balances, cap * sizeof *grown);

		if (grown == NULL)
			return err_set(e, ERR_SYSTEM, "audit diff: out of memory");
		d->balances = grown;
		d->bcap = cap;
	}
	b = &d->balances[d->nbalances];
	b->card = card;
	b->old_value = o;
	b->new_value = n;
	if (canon_money_parse(&b->old_gr, o) == -1 || canon_money_parse(&b->new_gr, n) == -1)
		return err_set(e, ERR_DATA, "card %s: balance is not an amount", card);
	d->nbalances++;
	return 0;
}

static int
is_closed(const struct audit_diff *d, const struct canon_rec *r)
{
	int i;

	if (r == NULL || (i = field_index(r->schema, "period")) < 0 || r->fields[i] == NULL)
		return 0;
	if (strcmp(r->schema->tag, "booking") != 0 && strcmp(r->schema->tag, "component") != 0)
		return 0;
	return strcmp(r->fields[i], d->closed_before) < 0;
}

/* A reading dated in a month before closed_before. */
static int
reading_closed(const struct audit_diff *d, const struct canon_rec *r)
{
	int i = field_index(r->schema, "date");

	return i >= 0 && r->fields[i] != NULL && strncmp(r->fields[i], d->closed_before, 7) < 0;
}

/*
 * The change for one record present in old, new or both (then with
 * different fields): 1 with *out filled, 0 when there is nothing to list
 * (only counted, or a balance), -1 with e set.
 */
static int
make_change(struct change *out, struct audit_diff *d, const char *card,
    const struct canon_rec *o, const struct canon_rec *n, struct err *e)
{
	const struct canon_rec *any = o != NULL ? o : n;
	const struct canon_schema *s;
	struct change c;
	size_t i;

	assert(any != NULL); /* callers pass at least one side */
	s = any->schema;

	memset(&c, 0, sizeof c);
	c.schema = s;
	c.old_rec = o;
	c.new_rec = n;
	c.kind = o == NULL ? CHANGE_ADDED : n == NULL ? CHANGE_DELETED : CHANGE_CHANGED;
	if (strcmp(s->tag, "booking") == 0 || strcmp(s->tag, "component") == 0)
		c.card = card;
	if (strcmp(s->tag, "export") == 0)
		return 0;   /* shown as the two snapshots' headers */
	if (strcmp(s->tag, "balance_date") == 0) {
		/* New on every card every night: counted, not listed. */
		if (c.kind == CHANGE_CHANGED)
			d->balance_dates++;
		return 0;
	}
	if (c.kind == CHANGE_CHANGED) {
		int is_card = strcmp(s->tag, "card") == 0;

		if ((c.fields = arena_alloc(&d->arena, s->nfields * sizeof *c.fields)) == NULL)
			return err_set(e, ERR_SYSTEM, "audit diff: out of memory");
		for (i = 0; i < s->nfields; i++) {
			if (strcmp(nz(o->fields[i]), nz(n->fields[i])) == 0)
				continue;
			if (is_card && strcmp(s->fields[i], "balance") == 0) {
				if (push_balance(d, n->fields[0], o->fields[i], n->fields[i], e) == -1)
					return -1;
				continue;
			}
			c.fields[c.nfields].field = s->fields[i];
			c.fields[c.nfields].old_value = o->fields[i];
			c.fields[c.nfields].new_value = n->fields[i];
			c.nfields++;
		}
		if (c.nfields == 0)
			return 0;
	}
	if (strcmp(s->tag, "reading") == 0)
		/* diff.h: a reading that was there and is changed or gone. */
		c.closed = o != NULL && (reading_closed(d, o) || (n != NULL && reading_closed(d, n)));
	else
		c.closed = is_closed(d, o) || is_closed(d, n);
	*out = c;
	return 1;
}

static int
compare_rec(struct audit_diff *d, const char *card, const struct canon_rec *o,
    const struct canon_rec *n, struct err *e)
{
	struct change c;
	int r = make_change(&c, d, card, o, n, e);

	return r == 1 ? push_change(d, &c, e) : r;
}

static int
records_equal(const struct canon_rec *a, const struct canon_rec *b)
{
	size_t i;

	for (i = 0; i < a->schema->nfields; i++)
		if (strcmp(nz(a->fields[i]), nz(b->fields[i])) != 0)
			return 0;
	return 1;
}

static int
on_file(void *ctx, const char *path, struct snapshot_blob old_file,
    struct snapshot_blob new_file, struct err *e)
{
	struct audit_diff *d = ctx;
	struct canon_rec *ro = NULL, *rn = NULL;
	size_t no = 0, nn = 0, i = 0, j = 0;
	const char *card = NULL;

	if (strcmp(path, "README") == 0)
		return 0;   /* documentation, not data */
	if ((old_file.data != NULL && canon_parse(&ro, &no, &d->arena, old_file.data,
	    old_file.len, path, e) == -1) ||
	    (new_file.data != NULL && canon_parse(&rn, &nn, &d->arena, new_file.data,
	    new_file.len, path, e) == -1))
		return -1;
	if (strncmp(path, "cards/", 6) == 0 || strncmp(path, "charges/", 8) == 0) {
		if ((card = card_of_path(&d->arena, path)) == NULL)
			return err_set(e, ERR_SYSTEM, "audit diff: out of memory");
	}
	if (no > 0)
		qsort(ro, no, sizeof *ro, rec_cmp);
	if (nn > 0)
		qsort(rn, nn, sizeof *rn, rec_cmp);
	while (i < no || j < nn) {
		int c = i == no ? 1 : j == nn ? -1 : key_cmp(&ro[i], &rn[j]);
		int r;

		if (c < 0)
			r = compare_rec(d, card, &ro[i++], NULL, e);
		else if (c > 0)
			r = compare_rec(d, card, NULL, &rn[j++], e);
		else if (records_equal(&ro[i], &rn[j])) {
			i++;
			j++;
			r = 0;
		} else {
			r = compare_rec(d, card, &ro[i], &rn[j], e);
			i++;
			j++;
		}
		if (r == -1)
			return -1;
	}
	return 0;
}

static const struct canon_rec *
any_rec(const struct change *c)
{
	return c->new_rec != NULL ? c->new_rec : c->old_rec;
}

static int
change_cmp(const void *pa, const void *pb)
{
	const struct change *a = pa, *b = pb;
	int c;

	if (a->schema != b->schema)
		return a->schema < b->schema ? -1 : 1;
	if ((c = strcmp(nz(a->card), nz(b->card))) != 0)
		return c;
	if ((c = key_cmp(any_rec(a), any_rec(b))) != 0)
		return c;
	return (int)a->kind - (int)b->kind;
}

static int
balance_cmp(const void *a, const void *b)
{
	return strcmp(((const struct balance_change *)a)->card,
	    ((const struct balance_change *)b)->card);
}

/*
 * A reading whose premises changed, or a document whose month changed,
 * moved to another file: the deletion there and the addition here (next
 * to each other once sorted, added first) become one change.
 */
static int
join_moves(struct audit_diff *d, struct err *e)
{
	struct change *ch = d->changes;   /* make_change() never moves it */
	size_t i, k = 0;

	if (ch == NULL)
		return 0;   /* no changes at all */
	for (i = 0; i < d->nchanges; i++) {
		const struct change *a = &ch[i];
		const struct change *b = i + 1 < d->nchanges ? &ch[i + 1] : NULL;
		struct change c;
		int r;

		if (b != NULL && a->kind == CHANGE_ADDED && b->kind == CHANGE_DELETED &&
		    a->new_rec != NULL && b->old_rec != NULL &&
		    a->schema == b->schema && (strcmp(a->schema->tag, "reading") == 0 ||
		    strcmp(a->schema->tag, "document") == 0) &&
		    key_cmp(a->new_rec, b->old_rec) == 0) {
			if ((r = make_change(&c, d, NULL, b->old_rec, a->new_rec, e)) == -1)
				return -1;
			if (r == 1)
				ch[k++] = c;
			i++;
			continue;
		}
		ch[k++] = *a;
	}
	d->nchanges = k;
	d->closed = 0;
	for (i = 0; i < d->nchanges; i++)
		d->closed += (size_t)ch[i].closed;
	return 0;
}

static int
valid_period(const char *s)
{
	return strlen(s) == 7 && s[4] == '-' && strspn(s, "0123456789-") == 7 &&
	    ((s[5] == '0' && s[6] >= '1' && s[6] <= '9') ||
	    (s[5] == '1' && s[6] >= '0' && s[6] <= '2'));
}

int
audit_diff_run(struct audit_diff *d, struct snapshot_repo *repo,
    const struct snapshot_info *from, const struct snapshot_info *to,
    const char *closed_before, struct err *e)
{
	memset(d, 0, sizeof *d);
	d->from = *from;
	d->to = *to;
	if (closed_before != NULL) {
		if (!valid_period(closed_before))
			return err_set(e, ERR_USAGE, "--closed-before %s: not a month YYYY-MM",
			    closed_before);
		memcpy(d->closed_before, closed_before, 8);
	} else {
		memcpy(d->closed_before, to->generated_at, 7);
		d->closed_before[7] = '\0';
	}
	if (snapshot_diff_files(repo, from, to, on_file, d, e) == -1)
		return -1;
	/* qsort(3) wants a valid pointer even for no elements. */
	if (d->nchanges > 0)
		qsort(d->changes, d->nchanges, sizeof *d->changes, change_cmp);
	if (join_moves(d, e) == -1)
		return -1;
	if (d->nbalances > 0)
		qsort(d->balances, d->nbalances, sizeof *d->balances, balance_cmp);
	return 0;
}

void
audit_diff_free(struct audit_diff *d)
{
	free(d->changes);
	free(d->balances);
	arena_free(&d->arena);
	memset(d, 0, sizeof *d);
}

/* ---- the report ---- */

static const char *const kind_names[] = { "added", "deleted", "changed" };

/* A value on one line: control characters as in the snapshot files. */
static int
text_value(struct buf *b, const char *s)
{
	int rc = 0;

	if (s == NULL)
		return buf_adds(b, "(empty)");
	for (; rc == 0 && *s != '\0'; s++) {
		switch (*s) {
		case '\n': rc = buf_adds(b, "\\n"); break;
		case '\r': rc = buf_adds(b, "\\r"); break;
		case '\t': rc = buf_adds(b, "\\t"); break;
		default: rc = buf_addc(b, *s); break;
		}
	}
	return rc;
}

/* "booking 10005 (card K000403, period 2021-10)" */
static int
text_subject(struct buf *b, const struct change *c)
{
	const struct canon_rec *r = any_rec(c);
	int p;

	assert(c->schema != NULL);
	p = field_index(c->schema, "period");
	size_t i;
	int rc = buf_adds(b, c->schema->tag);

	for (i = 0; rc == 0 && i < c->schema->nkey; i++)
		if ((int)i != p)
			rc = buf_printf(b, " %s", nz(r->fields[i]));
	if (rc == 0 && c->card != NULL)
		rc = buf_printf(b, " (card %s", c->card);
	if (rc == 0 && p >= 0)
		rc = buf_printf(b, "%speriod %s", c->card != NULL ? ", " : " (", nz(r->fields[p]));
	if (rc == 0 && (c->card != NULL || p >= 0))
		rc = buf_addc(b, ')');
	if (rc == 0 && strcmp(c->schema->tag, "reading") == 0)
		rc = buf_printf(b, " (premises %s, meter %s, date %s)", nz(r->fields[1]),
		    nz(r->fields[2]), nz(r->fields[4]));
	return rc;
}

static int
text_record(struct buf *b, const struct canon_rec *r)
{
	const char *sep = "";
	size_t i;

	for (i = r->schema->nkey; i < r->schema->nfields; i++) {
		if (r->fields[i] == NULL || strcmp(r->schema->fields[i], "period") == 0)
			continue;
		if (buf_printf(b, "%s%s=", sep, r->schema->fields[i]) == -1 ||
		    text_value(b, r->fields[i]) == -1)
			return -1;
		sep = ", ";
	}
	return 0;
}

static int
text_change(struct buf *b, const struct change *c)
{
	size_t i;

	if (buf_adds(b, c->closed ? "  !! CLOSED PERIOD !! " : "  ") == -1 ||
	    buf_printf(b, "%s ", c->kind == CHANGE_ADDED ? "+" :
	    c->kind == CHANGE_DELETED ? "-" : "~") == -1 || text_subject(b, c) == -1)
		return -1;
	if (c->kind == CHANGE_CHANGED) {
		for (i = 0; i < c->nfields; i++)
			if (buf_printf(b, "%s %s: ", i == 0 ? ":" : ";", c->fields[i].field) == -1 ||
			    text_value(b, c->fields[i].old_value) == -1 || buf_adds(b, " -> ") == -1 ||
			    text_value(b, c->fields[i].new_value) == -1)
				return -1;
	} else if (buf_printf(b, " %s: ", kind_names[c->kind]) == -1 ||
	    text_record(b, any_rec(c)) == -1) {
		return -1;
	}
	return buf_addc(b, '\n');
}

static int
text_money(struct buf *b, int64_t gr)
{
	uint64_t m = gr < 0 ? (uint64_t)0 - (uint64_t)gr : (uint64_t)gr;

	return buf_printf(b, "%s%llu.%02llu", gr < 0 ? "-" : "+",
	    (unsigned long long)(m / 100), (unsigned long long)(m % 100));
}

int
audit_diff_text(struct buf *b, const struct audit_diff *d)
{
	const struct canon_schema *section = NULL;
	size_t i;

	if (buf_printf(b, "Audit diff (zmiany w eksporcie KSM)\n"
	    "  from %s  export of %s  commit %.12s\n"
	    "  to   %s  export of %s  commit %.12s\n"
	    "  closed periods: billing periods before %s\n\n",
	    d->from.tag[0] != '\0' ? d->from.tag : "(untagged)", d->from.generated_at,
	    d->from.commit, d->to.tag[0] != '\0' ? d->to.tag : "(untagged)",
	    d->to.generated_at, d->to.commit, d->closed_before) == -1)
		return -1;
	if (d->closed > 0) {
		if (buf_printf(b, "!! %zu CHANGE(S) IN CLOSED PERIODS (ZMIANY W OKRESACH "
		    "ZAMKNIĘTYCH) !!\n", d->closed) == -1)
			return -1;
		for (i = 0; i < d->nchanges; i++)
			if (d->changes[i].closed && text_change(b, &d->changes[i]) == -1)
				return -1;
		if (buf_addc(b, '\n') == -1)
			return -1;
	} else if (buf_adds(b, "No changes in closed periods.\n\n") == -1) {
		return -1;
	}
	for (i = 0; i < d->nchanges; i++) {
		if (d->changes[i].schema != section) {
			section = d->changes[i].schema;
			if (buf_printf(b, "%s%s changes:\n", i > 0 ? "\n" : "", section->tag) == -1)
				return -1;
		}
		if (text_change(b, &d->changes[i]) == -1)
			return -1;
	}
	if (d->nbalances > 0 && buf_adds(b, "\nbalance changes (saldo, KSM):\n") == -1)
		return -1;
	for (i = 0; i < d->nbalances; i++) {
		const struct balance_change *bc = &d->balances[i];

		if (buf_printf(b, "  card %s: %s -> %s (", bc->card, bc->old_value,
		    bc->new_value) == -1 || text_money(b, bc->new_gr - bc->old_gr) == -1 ||
		    buf_adds(b, ")\n") == -1)
			return -1;
	}
	if (d->balance_dates > 0 &&
	    buf_printf(b, "\nbalance date changed on %zu card(s)\n", d->balance_dates) == -1)
		return -1;
	if (d->nchanges == 0 && d->nbalances == 0 && buf_adds(b, "No changes.\n") == -1)
		return -1;
	return 0;
}

static void
json_snapshot(struct json *j, const char *key, const struct snapshot_info *s)
{
	json_key(j, key);
	json_object_begin(j);
	json_kv_string(j, "tag", s->tag[0] != '\0' ? s->tag : NULL);
	json_kv_string(j, "commit", s->commit);
	json_kv_string(j, "tree", s->tree);
	json_kv_string(j, "generated_at", s->generated_at);
	json_object_end(j);
}

static void
json_record(struct json *j, const char *key, const struct canon_rec *r)
{
	size_t i;

	json_key(j, key);
	if (r == NULL) {
		json_null(j);
		return;
	}
	json_object_begin(j);
	for (i = 0; i < r->schema->nfields; i++)
		json_kv_string(j, r->schema->fields[i], r->fields[i]);
	json_object_end(j);
}

int
audit_diff_json(struct buf *b, const struct audit_diff *d)
{
	struct json j;
	size_t i, k;

	json_init(&j, b, 1);
	json_object_begin(&j);
	json_snapshot(&j, "from", &d->from);
	json_snapshot(&j, "to", &d->to);
	json_kv_string(&j, "closed_before", d->closed_before);
	json_kv_int(&j, "closed_period_changes", (int64_t)d->closed);
	json_key(&j, "changes");
	json_array_begin(&j);
	for (i = 0; i < d->nchanges; i++) {
		const struct change *c = &d->changes[i];
		const struct canon_rec *r = any_rec(c);

		json_object_begin(&j);
		json_kv_string(&j, "entity", c->schema->tag);
		json_kv_string(&j, "change", kind_names[c->kind]);
		json_key(&j, "key");
		json_array_begin(&j);
		for (k = 0; k < c->schema->nkey; k++)
			json_string(&j, r->fields[k]);
		json_array_end(&j);
		json_kv_string(&j, "card", c->card);
		json_key(&j, "closed_period");
		json_int(&j, c->closed);
		json_key(&j, "fields");
		json_array_begin(&j);
		for (k = 0; k < c->nfields; k++) {
			json_object_begin(&j);
			json_kv_string(&j, "field", c->fields[k].field);
			json_kv_string(&j, "old", c->fields[k].old_value);
			json_kv_string(&j, "new", c->fields[k].new_value);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_record(&j, "old", c->old_rec);
		json_record(&j, "new", c->new_rec);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "balances");
	json_array_begin(&j);
	for (i = 0; i < d->nbalances; i++) {
		json_object_begin(&j);
		json_kv_string(&j, "card", d->balances[i].card);
		json_kv_int(&j, "old_gr", d->balances[i].old_gr);
		json_kv_int(&j, "new_gr", d->balances[i].new_gr);
		json_kv_int(&j, "delta_gr", d->balances[i].new_gr - d->balances[i].old_gr);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_kv_int(&j, "balance_date_changes", (int64_t)d->balance_dates);
	json_object_end(&j);
	if (json_finish(&j) == -1)
		return -1;
	return buf_addc(b, '\n');
}
