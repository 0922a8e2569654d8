/*
 * load_charges.c — naliczenia.xml into charge and charge_kind.
 *
 *   <naliczenia> <okres miesiac="MM.RRRR"> <kartoteka id="…">
 *       <skladnik kod nazwa podstawa ilosc stawka kwota/>…
 *
 * The components of one card and month are collected (at most
 * COMPONENTS_MAX) and written when </kartoteka> closes: one charge row
 * with their total and the components as JSON in charge.lines (see
 * schema/001-init.sql), their kinds once each in charge_kind.
 */
#include "load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "decimal.h"
#include "hash.h"
#include "text.h"
#include "xml_reader.h"

#define COMPONENTS_MAX 64
#define KINDS_MAX 4096            /* distinct (code, name, basis) */
#define KIND_SLOTS 8192           /* hash table size, > 2 * KINDS_MAX */

const char load_charges_schema[] =
	"CREATE TABLE charge ("
	" id INTEGER PRIMARY KEY,"
	" card_id TEXT NOT NULL,"
	" period TEXT NOT NULL,"
	" total_gr INTEGER NOT NULL,"
	" lines TEXT NOT NULL,"
	" UNIQUE (card_id, period));"
	"CREATE TABLE charge_kind ("
	" id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" basis TEXT NOT NULL CHECK (basis = 'm2' OR basis = 'osoba' OR basis = 'lokal' OR "
	"basis = 'm3' OR basis = 'GJ' OR basis = 'szt'),"
	" UNIQUE (code, name, basis));";

static const char *const bases[] = { "m2", "osoba", "lokal", "m3", "GJ", "szt", NULL };

struct component {
	size_t code, name;           /* offsets into text */
	size_t code_n, name_n;       /* their lengths */
	const char *basis;
	int64_t quantity_e4, rate_e4, amount_gr;
};

/* The kinds seen so far: open addressing on "code\x1fname\x1fbasis". */
struct kind_slot {
	char *key;                   /* owned; NULL = empty */
	int64_t id;
};

struct ctx {
	struct load *l;
	struct db_stmt *insert_charge, *insert_kind;
	struct kind_slot *kinds;     /* KIND_SLOTS */
	struct kind_slot *recent[COMPONENTS_MAX]; /* last kind at each position */
	int64_t nkinds;
	struct buf key;
	char period[PERIOD_ISO_LEN + 1];
	int in_root, in_period, in_card;
	long card_line;
	char card_id[ID_BYTES_MAX + 1];
	size_t ncomponents;
	struct component comp[COMPONENTS_MAX];
	struct buf text;             /* codes and names, NUL-separated */
	struct buf lines;            /* charge.lines being built */
	struct card_digest_field digest_fields[3 + 6 * COMPONENTS_MAX];
	int64_t charge_id;
};

/* Decodes attribute `name` (trimmed) into c->text, NUL-terminated; *off
 * gets its offset, *len its length. */
static int
attr_text(struct ctx *c, const struct xml_element *el, const char *name,
    size_t max_bytes, size_t *off, size_t *len, struct err *e)
{
	int i = xml_attr_find(el, name);
	const char *problem;
	unsigned bad;
	size_t start = c->text.len;

	if (i < 0) {
		char what[64];

		(void)snprintf(what, sizeof what, "attribute %s missing", name);
		return xml_element_error(e, el->file, el->line, el->name, what);
	}
	if (text_decode(&c->text, el->attr[i].value, el->attr[i].n, TEXT_UTF8, &problem, &bad) == -1)
		return xml_attr_error(e, el, i, problem);
	if (c->text.len == start)
		return xml_attr_error(e, el, i, "empty");
	if (c->text.len - start > max_bytes)
		return xml_attr_error(e, el, i, "too long");
	*len = c->text.len - start;
	if (buf_addc(&c->text, '\0') == -1)
		return err_set(e, ERR_SYSTEM, "out of memory");
	*off = start;
	return 0;
}

static int
attr_decimal(int64_t *out, const struct xml_element *el, const char *name, int scale,
    enum decimal_rule rule, struct err *e)
{
	int i = xml_attr_find(el, name);
	const char *problem, *s;
	size_t n;

	if (i < 0) {
		char what[64];

		(void)snprintf(what, sizeof what, "attribute %s missing", name);
		return xml_element_error(e, el->file, el->line, el->name, what);
	}
	s = el->attr[i].value;
	n = el->attr[i].n;
	while (n > 0 && s[0] == ' ') {
		s++;
		n--;
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0)
		return xml_attr_error(e, el, i, "empty");
	if (decimal_parse(out, s, n, scale, rule, &problem) == -1)
		return xml_attr_error(e, el, i, problem);
	return 0;
}

static int
start_component(struct ctx *c, const struct xml_element *el, struct err *e)
{
	struct component *k;
	int i;
	size_t b;

	if (c->ncomponents == COMPONENTS_MAX)
		return xml_element_error(e, el->file, el->line, el->name,
		    "more than 64 components for one card and month");
	k = &c->comp[c->ncomponents];
	if (attr_text(c, el, "kod", ID_BYTES_MAX, &k->code, &k->code_n, e) == -1 ||
	    attr_text(c, el, "nazwa", NAME_BYTES_MAX, &k->name, &k->name_n, e) == -1 ||
	    attr_decimal(&k->quantity_e4, el, "ilosc", 4, DECIMAL_UP_TO, e) == -1 ||
	    attr_decimal(&k->rate_e4, el, "stawka", 4, DECIMAL_UP_TO, e) == -1 ||
	    attr_decimal(&k->amount_gr, el, "kwota", 2, DECIMAL_EXACT, e) == -1)
		return -1;
	i = xml_attr_find(el, "podstawa");
	if (i < 0)
		return xml_element_error(e, el->file, el->line, el->name, "attribute podstawa missing");
	k->basis = NULL;
	for (b = 0; bases[b] != NULL; b++)
		if (strcmp(el->attr[i].value, bases[b]) == 0)
			k->basis = bases[b];
	if (k->basis == NULL)
		return xml_attr_error(e, el, i, "unknown basis");
	c->ncomponents++;
	return 0;
}

static int
start_card(struct ctx *c, const struct xml_element *el, struct err *e)
{
	size_t off = 0, len = 0;

	c->in_card = 1;
	c->card_line = el->line;
	c->ncomponents = 0;
	c->card_id[0] = '\0';
	buf_reset(&c->text);
	c->l->rows[FILE_NALICZENIA]++;
	if (attr_text(c, el, "id", ID_BYTES_MAX, &off, &len, e) == -1)
		return -1;
	memcpy(c->card_id, c->text.data + off, c->text.len - off);
	buf_reset(&c->text);
	return 0;
}

static int
on_start(void *vctx, const struct xml_element *el, struct err *e)
{
	struct ctx *c = vctx;
	int i;

	if (c->l->cancel != NULL && *c->l->cancel)
		return err_set(e, ERR_INTERNAL, "cancelled");
	if (el->depth == 1 && strcmp(el->name, "naliczenia") == 0) {
		c->in_root = 1;
		return 0;
	}
	if (el->depth == 2 && c->in_root && strcmp(el->name, "okres") == 0) {
		c->in_period = 1;
		c->period[0] = '\0';
		i = xml_attr_find(el, "miesiac");
		if (i < 0)
			return xml_element_error(e, el->file, el->line, el->name, "attribute miesiac missing");
		if (period_parse_pl(c->period, el->attr[i].value, el->attr[i].n) == -1)
			return xml_attr_error(e, el, i, "not a period MM.RRRR");
		return 0;
	}
	if (el->depth == 3 && c->in_period && strcmp(el->name, "kartoteka") == 0)
		return start_card(c, el, e);
	if (el->depth == 4 && c->in_card && strcmp(el->name, "skladnik") == 0)
		return start_component(c, el, e);
	return xml_element_error(e, el->file, el->line, el->name, "not expected here");
}

/* Whether key is "code\x1fname\x1fbasis" (no field holds a control
 * character: text_decode refuses them).  strncmp, not memcmp: key may be
 * shorter than code or name, and must not be read past its end. */
static int
key_is(const char *key, const char *code, const char *name, const char *basis)
{
	size_t n = strlen(code);

	if (strncmp(key, code, n) != 0 || key[n] != '\x1f')
		return 0;
	key += n + 1;
	n = strlen(name);
	if (strncmp(key, name, n) != 0 || key[n] != '\x1f')
		return 0;
	return strcmp(key + n + 1, basis) == 0;
}

/* The id of component kind k, the pos-th of its month, inserting it into
 * charge_kind when new.  Months repeat the same kinds in the same order,
 * so the kind last seen at pos is tried first. */
static int
kind_id(struct ctx *c, const struct component *k, size_t pos, int64_t *out, struct err *e)
{
	const char *code = c->text.data + k->code, *name = c->text.data + k->name;
	struct kind_slot *slot = c->recent[pos];
	size_t i;
	int rc = -1;

	if (slot != NULL && key_is(slot->key, code, name, k->basis)) {
		*out = slot->id;
		return 0;
	}
	buf_reset(&c->key);
	if (buf_adds(&c->key, code) == -1 || buf_addc(&c->key, '\x1f') == -1 ||
	    buf_adds(&c->key, name) == -1 || buf_addc(&c->key, '\x1f') == -1 ||
	    buf_adds(&c->key, k->basis) == -1)
		return err_set(e, ERR_SYSTEM, "out of memory");
	for (i = hash_bytes(c->key.data, c->key.len) % KIND_SLOTS;; i = (i + 1) % KIND_SLOTS) {
		slot = &c->kinds[i];
		if (slot->key == NULL)
			break;
		if (strcmp(slot->key, c->key.data) == 0) {
			c->recent[pos] = slot;
			*out = slot->id;
			return 0;
		}
	}
	if (c->nkinds == KINDS_MAX)
		return err_set(e, ERR_DATA, "%s: more than %d different charge components",
		    export_file_names[FILE_NALICZENIA], KINDS_MAX);
	slot->key = buf_detach(&c->key, NULL);
	slot->id = ++c->nkinds;
	c->recent[pos] = slot;
	if (db_bind_int64(c->insert_kind, 1, slot->id, e) == -1 ||
	    db_bind_text(c->insert_kind, 2, code, (size_t)-1, e) == -1 ||
	    db_bind_text(c->insert_kind, 3, name, (size_t)-1, e) == -1 ||
	    db_bind_text(c->insert_kind, 4, k->basis, (size_t)-1, e) == -1 ||
	    db_step(c->insert_kind, NULL, e) == -1)
		goto out;
	*out = slot->id;
	rc = 0;
out:
	db_reset(c->insert_kind);
	return rc;
}

/* Builds c->lines: [[kind_id, quantity_e4, rate_e4, amount_gr], ...]. */
static int
build_lines(struct ctx *c, struct err *e)
{
	size_t i;
	int64_t kind = 0;

	buf_reset(&c->lines);
	if (buf_addc(&c->lines, '[') == -1)
		return err_set(e, ERR_SYSTEM, "out of memory");
	for (i = 0; i < c->ncomponents; i++) {
		const struct component *k = &c->comp[i];

		if (kind_id(c, k, i, &kind, e) == -1)
			return -1;
		if (buf_add(&c->lines, i == 0 ? "[" : ",[", i == 0 ? 1 : 2) == -1 ||
		    buf_add_int64(&c->lines, kind) == -1 || buf_addc(&c->lines, ',') == -1 ||
		    buf_add_int64(&c->lines, k->quantity_e4) == -1 || buf_addc(&c->lines, ',') == -1 ||
		    buf_add_int64(&c->lines, k->rate_e4) == -1 || buf_addc(&c->lines, ',') == -1 ||
		    buf_add_int64(&c->lines, k->amount_gr) == -1 || buf_addc(&c->lines, ']') == -1)
			return err_set(e, ERR_SYSTEM, "out of memory");
	}
	if (buf_addc(&c->lines, ']') == -1)
		return err_set(e, ERR_SYSTEM, "out of memory");
	return 0;
}

/* The card's record 'C' of card_digest.h. */
static int
digest_card(struct ctx *c, size_t card, int64_t total, struct err *e)
{
	struct card_digest_field *f = c->digest_fields;
	size_t i, nf = 0;

	f[nf++] = CARD_DIGEST_TEXT(c->period, PERIOD_ISO_LEN);
	f[nf++] = CARD_DIGEST_INT(total);
	f[nf++] = CARD_DIGEST_INT((int64_t)c->ncomponents);
	for (i = 0; i < c->ncomponents; i++) {
		const struct component *k = &c->comp[i];

		f[nf++] = CARD_DIGEST_TEXT(c->text.data + k->code, k->code_n);
		f[nf++] = CARD_DIGEST_TEXT(c->text.data + k->name, k->name_n);
		f[nf++] = CARD_DIGEST_TEXT(k->basis, (size_t)-1);
		f[nf++] = CARD_DIGEST_INT(k->quantity_e4);
		f[nf++] = CARD_DIGEST_INT(k->rate_e4);
		f[nf++] = CARD_DIGEST_INT(k->amount_gr);
	}
	return card_digest_add(c->l->digest, card, 'C', f, nf, e);
}

static int
write_card(struct ctx *c, struct err *e)
{
	enum db_constraint con;
	int64_t total = 0;
	long card = -1;
	size_t i;
	int rc = -1;

	if (c->card_id[0] == '\0' || c->period[0] == '\0')
		return 0; /* its start already failed and was reported */
	for (i = 0; i < c->ncomponents; i++)
		if (money_add(&total, c->comp[i].amount_gr) == -1)
			return err_set(e, ERR_DATA, "%s:%ld: element kartoteka: total out of range",
			    export_file_names[FILE_NALICZENIA], c->card_line);
	if (c->l->cards != NULL &&
	    (card = card_set_find(c->l->cards, c->card_id, strlen(c->card_id))) < 0)
		return err_set(e, ERR_DATA, "%s:%ld: attribute id: unknown card (%s)",
		    export_file_names[FILE_NALICZENIA], c->card_line, c->card_id);
	if (build_lines(c, e) == -1)
		return -1;
	c->charge_id++;
	if (db_bind_int64(c->insert_charge, 1, c->charge_id, e) == -1 ||
	    db_bind_text(c->insert_charge, 2, c->card_id, (size_t)-1, e) == -1 ||
	    db_bind_text(c->insert_charge, 3, c->period, PERIOD_ISO_LEN, e) == -1 ||
	    db_bind_int64(c->insert_charge, 4, total, e) == -1 ||
	    db_bind_text(c->insert_charge, 5, c->lines.data, c->lines.len, e) == -1)
		goto out;
	if (db_step(c->insert_charge, &con, e) == -1) {
		if (con == DB_FOREIGN_KEY || con == DB_UNIQUE)
			err_set(e, ERR_DATA, "%s:%ld: attribute id: %s (%s)",
			    export_file_names[FILE_NALICZENIA], c->card_line,
			    con == DB_UNIQUE ? "card listed twice in one month" : "unknown card",
			    c->card_id);
		goto out;
	}
	c->l->components += c->ncomponents;
	if (c->l->digest != NULL && card >= 0 && digest_card(c, (size_t)card, total, e) == -1)
		goto out;
	rc = 0;
out:
	db_reset(c->insert_charge);
	return rc;
}

static int
on_end(void *vctx, const char *name, int depth, long line, struct err *e)
{
	struct ctx *c = vctx;

	if (depth == 3 && c->in_card) {
		c->in_card = 0;
		return write_card(c, e);
	}
	if (depth == 2)
		c->in_period = 0;
	return 0;
}

static int
on_text(void *vctx, const char *s, size_t n, long line, struct err *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return err_set(e, ERR_DATA, "%s:%ld: text not expected here",
			    export_file_names[FILE_NALICZENIA], line);
	return 0;
}

int
load_charges(struct load *l, struct err *e)
{
	static const struct xml_handlers handlers = { on_start, on_end, on_text };
	struct ctx c;
	size_t i;
	int rc = -1;

	memset(&c, 0, sizeof c);
	c.l = l;
	c.kinds = calloc(KIND_SLOTS, sizeof *c.kinds);
	if (c.kinds == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (db_prepare(&c.insert_kind, l->db, "INSERT INTO charge_kind (id, code, name, basis) "
	    "VALUES (?1, ?2, ?3, ?4)", e) == -1 ||
	    db_prepare(&c.insert_charge, l->db,
	    "INSERT INTO charge (id, card_id, period, total_gr, lines) "
	    "VALUES (?1, ?2, ?3, ?4, ?5)", e) == -1)
		goto out;
	if (xml_read(l->dir, export_file_names[FILE_NALICZENIA], &handlers, &c, l->diag, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(c.insert_kind);
	db_finalize(c.insert_charge);
	for (i = 0; i < KIND_SLOTS; i++)
		free(c.kinds[i].key);
	free(c.kinds);
	buf_free(&c.text);
	buf_free(&c.key);
	buf_free(&c.lines);
	return rc;
}
