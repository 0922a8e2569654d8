#include "statement.h"

#include <stdlib.h>
#include <string.h>

#include "charge_lines.h"
#include "crypto.h"
#include "date.h"
#include "decimal.h"
#include "json.h"

/* One row of charge_kind, owned by the query; copied into a statement's
 * arena once per statement that uses it (load is then that statement's
 * number, and the copies are in copy_*). */
struct kind {
	char *code, *name, *basis;
	unsigned long load;
	const char *copy_code, *copy_name, *copy_basis;
};

/*
 * The queries, each with the enum of its columns beside it: code reads
 * a column by its name here, never by a number.
 */
static const char person_sql[] = "SELECT id, surname, first_name, street, postcode, town, "
    "email FROM person WHERE id = ?1";
enum person_col {
	PERSON_ID, PERSON_SURNAME, PERSON_FIRST_NAME, PERSON_STREET, PERSON_POSTCODE,
	PERSON_TOWN, PERSON_EMAIL,
	PERSON_COLS
};

static const char export_sql[] = "SELECT c.name, c.nip, c.street, c.postcode, c.town, "
    "x.generated_at FROM cooperative c, export x";
enum export_col {
	EXPORT_COOP_NAME, EXPORT_COOP_NIP, EXPORT_COOP_STREET, EXPORT_COOP_POSTCODE,
	EXPORT_COOP_TOWN,
	EXPORT_GENERATED_AT,     /* last: statement_digest feeds the columns before it */
	EXPORT_COLS
};

static const char cards_sql[] = "SELECT c.id, c.kind, c.bank_account, c.balance_gr, "
    "c.balance_date, p.id, p.building, p.street, p.number, p.postcode, p.town, p.kind, "
    "p.legal_title, p.area_e2, p.persons, p.rooms, p.floor, p.held_since "
    "FROM card c LEFT JOIN premises p ON p.id = c.premises_id "
    "WHERE c.person_id = ?1 ORDER BY c.id";
enum card_col {
	CARD_ID, CARD_KIND, CARD_BANK_ACCOUNT, CARD_BALANCE_GR, CARD_BALANCE_DATE,
	PREMISES_ID,             /* NULL: a card without premises */
	PREMISES_BUILDING, PREMISES_STREET, PREMISES_NUMBER, PREMISES_POSTCODE,
	PREMISES_TOWN, PREMISES_KIND, PREMISES_LEGAL_TITLE, PREMISES_AREA_E2,
	PREMISES_PERSONS, PREMISES_ROOMS, PREMISES_FLOOR, PREMISES_HELD_SINCE,
	CARD_COLS
};

static const char entries_sql[] = "SELECT id, date, period, doc_type, doc_no, description, "
    "debit_gr, credit_gr FROM booking WHERE card_id = ?1 ORDER BY date, id";
enum entry_col {
	ENTRY_ID, ENTRY_DATE, ENTRY_PERIOD, ENTRY_DOC_TYPE, ENTRY_DOC_NO, ENTRY_DESCRIPTION,
	ENTRY_DEBIT_GR, ENTRY_CREDIT_GR,
	ENTRY_COLS
};

static const char charges_sql[] = "SELECT id, period, total_gr, lines FROM charge "
    "WHERE card_id = ?1 ORDER BY period";
enum charge_col { CHARGE_ID, CHARGE_PERIOD, CHARGE_TOTAL_GR, CHARGE_LINES, CHARGE_COLS };

static const char kinds_sql[] = "SELECT id, code, name, basis FROM charge_kind ORDER BY id";
enum kind_col { KIND_ID, KIND_CODE, KIND_NAME, KIND_BASIS, KIND_COLS };

/* The meters of the premises of the person's cards: one row per
 * reading, a meter's rows together in date order. */
static const char readings_sql[] = "SELECT r.premises_id, r.meter, r.medium, r.id, r.date, "
    "r.state_e3, r.kind, r.usage_e3, EXISTS (SELECT 1 FROM reading_warning w "
    "WHERE w.reading_id = r.id) FROM meter_reading r WHERE r.premises_id IN "
    "(SELECT premises_id FROM card WHERE person_id = ?1) "
    "ORDER BY r.premises_id, r.medium, r.meter, r.date, r.id";
enum reading_col {
	READING_PREMISES_ID, READING_METER, READING_MEDIUM, READING_ID, READING_DATE,
	READING_STATE_E3, READING_KIND, READING_USAGE_E3, READING_WARNING,
	READING_COLS
};

/* The person's documents: what the view person_document says (schema/
 * 005), spelled out so that SQLite looks them up by owner (an index
 * search per kind) instead of building the whole view for each person. */
static const char documents_sql[] = "SELECT d.id, d.kind, d.date, d.title, d.path, d.sha256, "
    "d.owner_kind, d.owner_id, d.bytes FROM document d WHERE "
    "(d.owner_kind = 'card' AND d.owner_id IN (SELECT id FROM card WHERE person_id = ?1)) OR "
    "(d.owner_kind = 'premises' AND d.owner_id IN "
    "(SELECT premises_id FROM card WHERE person_id = ?1)) OR "
    "(d.owner_kind = 'person' AND d.owner_id = ?1) "
    "ORDER BY d.date DESC, d.id";
enum document_col {
	DOCUMENT_ID, DOCUMENT_KIND, DOCUMENT_DATE, DOCUMENT_TITLE, DOCUMENT_PATH,
	DOCUMENT_SHA256, DOCUMENT_OWNER_KIND, DOCUMENT_OWNER_ID, DOCUMENT_BYTES,
	DOCUMENT_COLS
};

static const char card_digest_sql[] = "SELECT digest FROM card_digest WHERE card_id = ?1";
enum card_digest_col { CARD_DIGEST_DIGEST };

struct statement_query {
	struct db_stmt *person, *export, *cards, *entries, *charges, *card_digest;
	struct db_stmt *readings, *documents;
	size_t nkinds;
	struct kind *kinds;          /* index = charge_kind.id; [0] unused */
	struct buf kinds_raw;        /* charge_kind as read, fed into every digest */
	struct buf raw;              /* the rows statement_digest() hashes */
	int raw_failed;
	unsigned long load;          /* statements loaded so far (struct kind) */
};

/* Appends p[0..n) after its length in 4 bytes, big-endian. */
static void
feed_bytes(struct buf *raw, int *failed, const void *p, size_t n)
{
	unsigned char len[4];

	len[0] = (unsigned char)(n >> 24);
	len[1] = (unsigned char)(n >> 16);
	len[2] = (unsigned char)(n >> 8);
	len[3] = (unsigned char)n;
	*failed |= buf_add(raw, len, sizeof len);
	if (n > 0)
		*failed |= buf_add(raw, p, n);
}

/* Appends columns [0, ncols) of the current row of st to raw,
 * unambiguously: a section byte, then per column 0 for NULL or 1, the
 * length (4 bytes) and the bytes of its text form.  Column same_col,
 * when its text equals same_as, is written as the byte 2 alone ("the
 * same as the export's date"); same_col -1 for none. */
static void
feed_into(struct buf *raw, int *failed, char section, struct db_stmt *st, int ncols,
    int same_col, const char *same_as)
{
	const char *t;
	size_t n;
	int c;

	*failed |= buf_addc(raw, section);
	for (c = 0; c < ncols; c++) {
		if (db_col_is_null(st, c)) {
			*failed |= buf_addc(raw, 0);
			continue;
		}
		t = db_col_text(st, c);
		if (c == same_col && t != NULL && strcmp(t, same_as) == 0) {
			*failed |= buf_addc(raw, 2);
			continue;
		}
		n = t != NULL ? strlen(t) : 0;
		*failed |= buf_addc(raw, 1);
		feed_bytes(raw, failed, t, n);
	}
}

static void
feed(struct statement_query *q, char section, struct db_stmt *st, int ncols)
{
	feed_into(&q->raw, &q->raw_failed, section, st, ncols, -1, NULL);
}


#define KINDS_MAX 65536

/* Reads charge_kind whole: a few dozen rows, shared by every statement. */
static int
load_kinds(struct statement_query *q, struct db *db, struct err *e)
{
	struct db_stmt *st = NULL;
	int64_t id, max = 0;
	int r, rc = -1;
	struct kind *k;

	if (db_prepare(&st, db, "SELECT max(id) FROM charge_kind", e) == -1 ||
	    db_step(st, NULL, e) != 1)
		goto out;
	max = db_col_int64(st, 0);
	if (max < 0 || max > KINDS_MAX) {
		err_set(e, ERR_DATA, "charge_kind: id out of range (%lld)", (long long)max);
		goto out;
	}
	db_finalize(st);
	st = NULL;
	q->kinds = calloc((size_t)max + 1, sizeof *q->kinds);
	if (q->kinds == NULL) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	q->nkinds = (size_t)max + 1;
	if (db_prepare(&st, db, kinds_sql, e) == -1)
		goto out;
	while ((r = db_step(st, NULL, e)) == 1) {
		feed_into(&q->kinds_raw, &q->raw_failed, 'k', st, KIND_COLS, -1, NULL);
		id = db_col_int64(st, KIND_ID);
		if (id < 1 || id > max)
			continue;
		k = &q->kinds[id];
		k->code = strdup(db_col_text(st, KIND_CODE));
		k->name = strdup(db_col_text(st, KIND_NAME));
		k->basis = strdup(db_col_text(st, KIND_BASIS));
		if (k->code == NULL || k->name == NULL || k->basis == NULL) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
	}
	if (r == -1)
		goto out;
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

/* A database imported by a czynsze older than card_digest cannot say
 * what changed, one older than schema 005 has no readings or documents:
 * it has to be imported again. */
static int
has_table(struct db *db, const char *table, struct err *e)
{
	struct db_stmt *st = NULL;
	int r = -1;

	if (db_prepare(&st, db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND "
	    "name = ?1", e) == -1 || db_bind_text(st, 1, table, (size_t)-1, e) == -1)
		goto out;
	r = db_step(st, NULL, e);
	if (r == 0)
		r = err_set(e, ERR_DATA, "the database was imported by an older czynsze "
		    "(no %s): run czynsze import on the export again (the same "
		    "export is imported again for this)", table);
	else if (r == 1)
		r = 0;
out:
	db_finalize(st);
	return r;
}

int
statement_query_open(struct statement_query **out, struct db *db, struct err *e)
{
	struct statement_query *q = calloc(1, sizeof *q);

	if (q == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (db_prepare(&q->person, db, person_sql, e) == -1 ||
	    db_prepare(&q->export, db, export_sql, e) == -1 ||
	    db_prepare(&q->cards, db, cards_sql, e) == -1 ||
	    db_prepare(&q->entries, db, entries_sql, e) == -1 ||
	    db_prepare(&q->charges, db, charges_sql, e) == -1 ||
	    has_table(db, "card_digest", e) == -1 ||
	    db_prepare(&q->card_digest, db, card_digest_sql, e) == -1 ||
	    has_table(db, "meter_reading", e) == -1 ||
	    db_prepare(&q->readings, db, readings_sql, e) == -1 ||
	    db_prepare(&q->documents, db, documents_sql, e) == -1 ||
	    load_kinds(q, db, e) == -1) {
		statement_query_close(q);
		return -1;
	}
	*out = q;
	return 0;
}

void
statement_query_close(struct statement_query *q)
{
	size_t i;

	if (q == NULL)
		return;
	db_finalize(q->person);
	db_finalize(q->export);
	db_finalize(q->cards);
	db_finalize(q->entries);
	db_finalize(q->charges);
	db_finalize(q->card_digest);
	db_finalize(q->readings);
	db_finalize(q->documents);
	for (i = 0; i < q->nkinds; i++) {
		free(q->kinds[i].code);
		free(q->kinds[i].name);
		free(q->kinds[i].basis);
	}
	free(q->kinds);
	buf_free(&q->kinds_raw);
	buf_free(&q->raw);
	free(q);
}

/* Grows an array of `size`-byte items in the arena (doubling). */
static void *
grow(struct arena *a, void *items, size_t n, size_t *cap, size_t size)
{
	void *p;

	if (n < *cap)
		return items;
	*cap = *cap ? *cap * 2 : 16;
	p = arena_alloc(a, *cap * size);
	if (p != NULL && items != NULL && n > 0)
		memcpy(p, items, n * size);
	return p;
}

#define DUP(col) arena_strdup(&s->arena, db_col_text(st, (col)))

static int
load_entries(struct statement *s, struct statement_query *q, struct st_account *acc,
    struct err *e)
{
	struct db_stmt *st = q->entries;
	size_t cap = 0;
	int r, rc = -1;

	if (db_bind_text(st, 1, acc->id, (size_t)-1, e) == -1)
		goto out;
	while ((r = db_step(st, NULL, e)) == 1) {
		struct st_entry *en;

		acc->entries = grow(&s->arena, acc->entries, acc->nentries, &cap, sizeof *en);
		if (acc->entries == NULL)
			goto nomem;
		en = &acc->entries[acc->nentries++];
		en->id = DUP(ENTRY_ID);
		en->date = DUP(ENTRY_DATE);
		en->period = DUP(ENTRY_PERIOD);
		en->doc_type = DUP(ENTRY_DOC_TYPE);
		en->doc_no = DUP(ENTRY_DOC_NO);
		en->description = DUP(ENTRY_DESCRIPTION);
		en->debit_gr = db_col_int64(st, ENTRY_DEBIT_GR);
		en->credit_gr = db_col_int64(st, ENTRY_CREDIT_GR);
		if (en->id == NULL || en->date == NULL || en->period == NULL || en->doc_type == NULL)
			goto nomem;
		if (money_add(&acc->ledger_balance_gr, en->debit_gr) == -1 ||
		    money_add(&acc->ledger_balance_gr, -en->credit_gr) == -1) {
			err_set(e, ERR_DATA, "card %s: ledger sum out of range", acc->id);
			goto out;
		}
	}
	if (r == -1)
		goto out;
	rc = 0;
	goto out;
nomem:
	err_set(e, ERR_SYSTEM, "out of memory");
out:
	db_reset(st);
	return rc;
}

/* Parses charge.lines (charge_lines.h) into ch->components. */
static int
load_components(struct statement *s, struct statement_query *q, struct st_charge *ch,
    int64_t charge_id, const char *lines, struct err *e)
{
	struct charge_lines it;
	struct charge_line l;
	size_t cap = 0;
	struct kind *kd;
	struct st_component *k;
	int r;

	if (lines == NULL)
		goto bad;
	charge_lines_begin(&it, lines);
	while ((r = charge_lines_next(&it, &l)) == 1) {
		if ((uint64_t)l.kind >= q->nkinds || q->kinds[l.kind].code == NULL)
			goto bad;
		ch->components = grow(&s->arena, ch->components, ch->ncomponents, &cap, sizeof *k);
		if (ch->components == NULL)
			return err_set(e, ERR_SYSTEM, "out of memory");
		k = &ch->components[ch->ncomponents++];
		k->quantity_e4 = l.quantity_e4;
		k->rate_e4 = l.rate_e4;
		k->amount_gr = l.amount_gr;
		kd = &q->kinds[l.kind];
		if (kd->load != q->load) {
			kd->copy_code = arena_strdup(&s->arena, kd->code);
			kd->copy_name = arena_strdup(&s->arena, kd->name);
			kd->copy_basis = arena_strdup(&s->arena, kd->basis);
			if (kd->copy_code == NULL || kd->copy_name == NULL || kd->copy_basis == NULL)
				return err_set(e, ERR_SYSTEM, "out of memory");
			kd->load = q->load;
		}
		k->code = kd->copy_code;
		k->name = kd->copy_name;
		k->basis = kd->copy_basis;
	}
	if (r == 0)
		return 0;
bad:
	return err_set(e, ERR_DATA, "charge %lld: malformed lines", (long long)charge_id);
}

static int
load_charges(struct statement *s, struct statement_query *q, struct st_account *acc,
    struct err *e)
{
	struct db_stmt *st = q->charges;
	size_t cap = 0;
	struct st_charge *ch;
	int r, rc = -1;

	if (db_bind_text(st, 1, acc->id, (size_t)-1, e) == -1)
		goto out;
	while ((r = db_step(st, NULL, e)) == 1) {
		acc->charges = grow(&s->arena, acc->charges, acc->ncharges, &cap, sizeof *acc->charges);
		if (acc->charges == NULL)
			goto nomem;
		ch = &acc->charges[acc->ncharges++];
		memset(ch, 0, sizeof *ch);
		ch->period = DUP(CHARGE_PERIOD);
		ch->total_gr = db_col_int64(st, CHARGE_TOTAL_GR);
		if (ch->period == NULL)
			goto nomem;
		if (load_components(s, q, ch, db_col_int64(st, CHARGE_ID),
		    db_col_text(st, CHARGE_LINES), e) == -1)
			goto out;
	}
	if (r == -1)
		goto out;
	rc = 0;
	goto out;
nomem:
	err_set(e, ERR_SYSTEM, "out of memory");
out:
	db_reset(st);
	return rc;
}

static int
load_premises(struct statement *s, struct db_stmt *st, struct st_account *acc)
{
	struct st_premises *p;

	if (db_col_is_null(st, PREMISES_ID))
		return 0;
	p = arena_alloc(&s->arena, sizeof *p);
	if (p == NULL)
		return -1;
	p->id = DUP(PREMISES_ID);
	p->building = DUP(PREMISES_BUILDING);
	p->street = DUP(PREMISES_STREET);
	p->number = DUP(PREMISES_NUMBER);
	p->postcode = DUP(PREMISES_POSTCODE);
	p->town = DUP(PREMISES_TOWN);
	p->kind = DUP(PREMISES_KIND);
	p->legal_title = DUP(PREMISES_LEGAL_TITLE);
	p->area_e2 = db_col_int64(st, PREMISES_AREA_E2);
	p->persons = db_col_int64(st, PREMISES_PERSONS);
	p->rooms = db_col_is_null(st, PREMISES_ROOMS) ? -1 : db_col_int64(st, PREMISES_ROOMS);
	p->floor = DUP(PREMISES_FLOOR);
	p->held_since = DUP(PREMISES_HELD_SINCE);
	acc->premises = p;
	return 0;
}

static int
load_accounts(struct statement *s, struct statement_query *q, struct err *e)
{
	struct db_stmt *st = q->cards;
	size_t cap = 0, i;
	int r, rc = -1;

	if (db_bind_text(st, 1, s->person_id, (size_t)-1, e) == -1)
		goto out;
	while ((r = db_step(st, NULL, e)) == 1) {
		struct st_account *acc;

		s->accounts = grow(&s->arena, s->accounts, s->naccounts, &cap, sizeof *acc);
		if (s->accounts == NULL)
			goto nomem;
		acc = &s->accounts[s->naccounts++];
		memset(acc, 0, sizeof *acc);
		acc->id = DUP(CARD_ID);
		acc->kind = DUP(CARD_KIND);
		acc->bank_account = DUP(CARD_BANK_ACCOUNT);
		acc->ksm_balance_gr = db_col_int64(st, CARD_BALANCE_GR);
		acc->balance_date = DUP(CARD_BALANCE_DATE);
		if (acc->id == NULL || load_premises(s, st, acc) == -1)
			goto nomem;
	}
	if (r == -1)
		goto out;
	db_reset(st);
	for (i = 0; i < s->naccounts; i++)
		if (load_entries(s, q, &s->accounts[i], e) == -1 ||
		    load_charges(s, q, &s->accounts[i], e) == -1)
			goto out;
	rc = 0;
	goto out;
nomem:
	err_set(e, ERR_SYSTEM, "out of memory");
out:
	db_reset(st);
	return rc;
}

/* Starts a new meter unless the row is one more reading of the last. */
static struct st_meter *
meter_of(struct statement *s, struct db_stmt *st, size_t *cap, size_t *readings_cap)
{
	struct st_meter *m = s->nmeters > 0 ? &s->meters[s->nmeters - 1] : NULL;

	if (m != NULL && strcmp(m->premises_id, db_col_text(st, READING_PREMISES_ID)) == 0 &&
	    strcmp(m->medium, db_col_text(st, READING_MEDIUM)) == 0 &&
	    strcmp(m->serial, db_col_text(st, READING_METER)) == 0)
		return m;
	s->meters = grow(&s->arena, s->meters, s->nmeters, cap, sizeof *m);
	if (s->meters == NULL)
		return NULL;
	m = &s->meters[s->nmeters++];
	memset(m, 0, sizeof *m);
	*readings_cap = 0;
	m->premises_id = DUP(READING_PREMISES_ID);
	m->serial = DUP(READING_METER);
	m->medium = DUP(READING_MEDIUM);
	if (m->premises_id == NULL || m->serial == NULL || m->medium == NULL)
		return NULL;
	return m;
}

/* The rows come meter after meter: each meter's readings are grown by
 * doubling in the arena, cap being the capacity of the current one. */
static int
load_readings(struct statement *s, struct statement_query *q, struct err *e)
{
	struct db_stmt *st = q->readings;
	size_t meters_cap = 0, cap = 0;
	struct st_meter *m;
	struct st_reading *rd;
	const char *kind;
	int r, rc = -1;

	if (db_bind_text(st, 1, s->person_id, (size_t)-1, e) == -1)
		goto out;
	while ((r = db_step(st, NULL, e)) == 1) {
		m = meter_of(s, st, &meters_cap, &cap);
		if (m == NULL)
			goto nomem;
		m->readings = grow(&s->arena, m->readings, m->nreadings, &cap, sizeof *rd);
		if (m->readings == NULL)
			goto nomem;
		rd = &m->readings[m->nreadings++];
		memset(rd, 0, sizeof *rd);
		rd->id = DUP(READING_ID);
		rd->date = DUP(READING_DATE);
		if (rd->id == NULL || rd->date == NULL)
			goto nomem;
		rd->state_e3 = db_col_int64(st, READING_STATE_E3);
		kind = db_col_text(st, READING_KIND);
		rd->kind = kind != NULL ? kind[0] : '?';
		rd->has_usage = !db_col_is_null(st, READING_USAGE_E3);
		rd->usage_e3 = db_col_int64(st, READING_USAGE_E3);
		rd->warning = db_col_int64(st, READING_WARNING) != 0;
	}
	if (r == -1)
		goto out;
	rc = 0;
	goto out;
nomem:
	err_set(e, ERR_SYSTEM, "out of memory");
out:
	db_reset(st);
	return rc;
}

static int
load_documents(struct statement *s, struct statement_query *q, struct err *e)
{
	struct db_stmt *st = q->documents;
	size_t cap = 0;
	struct st_document *d;
	int r, rc = -1;

	if (db_bind_text(st, 1, s->person_id, (size_t)-1, e) == -1)
		goto out;
	while ((r = db_step(st, NULL, e)) == 1) {
		s->documents = grow(&s->arena, s->documents, s->ndocuments, &cap, sizeof *d);
		if (s->documents == NULL)
			goto nomem;
		d = &s->documents[s->ndocuments++];
		d->id = DUP(DOCUMENT_ID);
		d->kind = DUP(DOCUMENT_KIND);
		d->date = DUP(DOCUMENT_DATE);
		d->title = DUP(DOCUMENT_TITLE);
		d->path = DUP(DOCUMENT_PATH);
		d->sha256 = DUP(DOCUMENT_SHA256);
		d->owner_kind = DUP(DOCUMENT_OWNER_KIND);
		d->owner_id = DUP(DOCUMENT_OWNER_ID);
		d->bytes = db_col_int64(st, DOCUMENT_BYTES);
		if (d->id == NULL || d->kind == NULL || d->date == NULL || d->title == NULL ||
		    d->path == NULL || d->sha256 == NULL || d->owner_kind == NULL)
			goto nomem;
	}
	if (r == -1)
		goto out;
	rc = 0;
	goto out;
nomem:
	err_set(e, ERR_SYSTEM, "out of memory");
out:
	db_reset(st);
	return rc;
}

/* Feeds every row of st (bound to person_id) into the digest, each
 * after the section byte. */
static int
feed_rows(struct statement_query *q, char section, struct db_stmt *st, int ncols,
    const char *person_id, struct err *e)
{
	int r;

	if (db_bind_text(st, 1, person_id, (size_t)-1, e) == -1)
		return -1;
	while ((r = db_step(st, NULL, e)) == 1)
		feed(q, section, st, ncols);
	db_reset(st);
	return r;
}

/* Appends a blob column: a section byte, its length (4 bytes), its bytes. */
static void
feed_blob(struct statement_query *q, char section, struct db_stmt *st, int col)
{
	const void *p;
	size_t n;

	p = db_col_blob(st, col, &n);
	q->raw_failed |= buf_addc(&q->raw, section);
	feed_bytes(&q->raw, &q->raw_failed, p, n);
}

int
statement_digest(struct statement_query *q, const char *person_id,
    unsigned char out[STATEMENT_DIGEST_BYTES], struct err *e)
{
	char export_date[DATE_ISO_LEN + 1] = "";
	struct db_stmt *st;
	const char *t;
	int r, rc = -1;

	buf_reset(&q->raw);
	q->raw_failed = 0;
	if (q->kinds_raw.len > 0)
		q->raw_failed |= buf_add(&q->raw, q->kinds_raw.data, q->kinds_raw.len);
	st = q->person;
	if (db_bind_text(st, 1, person_id, (size_t)-1, e) == -1 ||
	    (r = db_step(st, NULL, e)) == -1)
		goto out;
	if (r == 0) {
		err_set(e, ERR_DATA, "unknown person (%s)", person_id);
		goto out;
	}
	feed(q, 'p', st, PERSON_COLS);
	st = q->export;
	if (db_step(st, NULL, e) != 1) {
		if (e->kind == ERR_NONE)
			err_set(e, ERR_DATA, "database holds no export");
		goto out;
	}
	feed(q, 'x', st, EXPORT_GENERATED_AT);  /* not generated_at: the page gives it */
	t = db_col_text(st, EXPORT_GENERATED_AT);
	if (t != NULL && strlen(t) >= DATE_ISO_LEN)
		memcpy(export_date, t, DATE_ISO_LEN);
	st = q->cards;
	if (db_bind_text(st, 1, person_id, (size_t)-1, e) == -1)
		goto out;
	while ((r = db_step(st, NULL, e)) == 1) {
		/* a balance dated the export's day is said by the page, not
		 * the statement (render_statement.h): that date is no change */
		feed_into(&q->raw, &q->raw_failed, 'c', st, CARD_COLS, CARD_BALANCE_DATE, export_date);
		/* the card's bookings and charges, as the importer hashed them */
		if (db_bind_text(q->card_digest, 1, db_col_text(st, CARD_ID), (size_t)-1, e) == -1 ||
		    (r = db_step(q->card_digest, NULL, e)) == -1)
			goto out;
		if (r == 0) {
			err_set(e, ERR_DATA, "card %s: no card_digest row", db_col_text(st, CARD_ID));
			goto out;
		}
		feed_blob(q, 'd', q->card_digest, CARD_DIGEST_DIGEST);
		db_reset(q->card_digest);
	}
	if (r == -1 ||
	    feed_rows(q, 'r', q->readings, READING_COLS, person_id, e) == -1 ||
	    feed_rows(q, 'o', q->documents, DOCUMENT_COLS, person_id, e) == -1)
		goto out;
	if (q->raw_failed) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (crypto_sha256(out, q->raw.data != NULL ? q->raw.data : "", q->raw.len, e) == -1)
		goto out;
	rc = 0;
out:
	db_reset(q->person);
	db_reset(q->export);
	db_reset(q->cards);
	db_reset(q->card_digest);
	return rc;
}

int
statement_load(struct statement **out, struct statement_query *q, const char *person_id,
    struct err *e)
{
	struct statement *s;
	struct db_stmt *st;
	int r, rc = -1;

	s = calloc(1, sizeof *s);
	if (s == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	q->load++;      /* no kind copied into this statement yet (never 0) */
	st = q->person;
	if (db_bind_text(st, 1, person_id, (size_t)-1, e) == -1)
		goto out;
	r = db_step(st, NULL, e);
	if (r == -1)
		goto out;
	if (r == 0) {
		err_set(e, ERR_DATA, "unknown person (%s)", person_id);
		goto out;
	}
	s->person_id = DUP(PERSON_ID);
	s->surname = DUP(PERSON_SURNAME);
	s->first_name = DUP(PERSON_FIRST_NAME);
	s->street = DUP(PERSON_STREET);
	s->postcode = DUP(PERSON_POSTCODE);
	s->town = DUP(PERSON_TOWN);
	s->email = DUP(PERSON_EMAIL);
	db_reset(st);
	st = q->export;
	if (db_step(st, NULL, e) != 1) {
		if (e->kind == ERR_NONE)
			err_set(e, ERR_DATA, "database holds no export");
		goto out;
	}
	s->coop_name = DUP(EXPORT_COOP_NAME);
	s->coop_nip = DUP(EXPORT_COOP_NIP);
	s->coop_street = DUP(EXPORT_COOP_STREET);
	s->coop_postcode = DUP(EXPORT_COOP_POSTCODE);
	s->coop_town = DUP(EXPORT_COOP_TOWN);
	s->data_as_of = DUP(EXPORT_GENERATED_AT);
	db_reset(st);
	if (s->person_id == NULL || s->data_as_of == NULL) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (load_accounts(s, q, e) == -1 || load_readings(s, q, e) == -1 ||
	    load_documents(s, q, e) == -1)
		goto out;
	*out = s;
	s = NULL;
	rc = 0;
out:
	db_reset(q->person);
	db_reset(q->export);
	statement_free(s);
	return rc;
}

void
statement_free(struct statement *s)
{
	if (s == NULL)
		return;
	arena_free(&s->arena);
	free(s);
}

static void
json_decimal(struct json *j, const char *key, int64_t v, int scale, int min_decimals,
    struct buf *tmp)
{
	buf_reset(tmp);
	if (decimal_format(tmp, v, scale, min_decimals) == -1)
		j->failed = 1;
	json_kv_string(j, key, tmp->data);
}

static void
json_premises(struct json *j, const struct st_premises *p, struct buf *tmp)
{
	if (p == NULL) {
		json_null(j);
		return;
	}
	json_object_begin(j);
	json_kv_string(j, "id", p->id);
	json_kv_string(j, "building", p->building);
	json_kv_string(j, "street", p->street);
	json_kv_string(j, "number", p->number);
	json_kv_string(j, "postcode", p->postcode);
	json_kv_string(j, "town", p->town);
	json_kv_string(j, "type", p->kind);
	json_kv_string(j, "legal_title", p->legal_title);
	json_decimal(j, "area_m2", p->area_e2, 2, 2, tmp);
	json_kv_int(j, "persons", p->persons);
	json_key(j, "rooms");
	if (p->rooms < 0)
		json_null(j);
	else
		json_int(j, p->rooms);
	json_kv_string(j, "floor", p->floor);
	json_kv_string(j, "held_since", p->held_since);
	json_object_end(j);
}

static void
json_account(struct json *j, const struct st_account *a, struct buf *tmp)
{
	size_t i, k;

	json_object_begin(j);
	json_kv_string(j, "id", a->id);
	json_kv_string(j, "kind", a->kind);
	json_kv_string(j, "bank_account", a->bank_account);
	json_key(j, "premises");
	json_premises(j, a->premises, tmp);
	json_kv_int(j, "ksm_balance_gr", a->ksm_balance_gr);
	json_kv_string(j, "balance_date", a->balance_date);
	json_kv_int(j, "ledger_balance_gr", a->ledger_balance_gr);
	json_key(j, "entries");
	json_array_begin(j);
	for (i = 0; i < a->nentries; i++) {
		const struct st_entry *en = &a->entries[i];

		json_object_begin(j);
		json_kv_string(j, "id", en->id);
		json_kv_string(j, "date", en->date);
		json_kv_string(j, "period", en->period);
		json_kv_string(j, "doc_type", en->doc_type);
		json_kv_string(j, "doc_no", en->doc_no);
		json_kv_string(j, "description", en->description);
		json_kv_int(j, "debit_gr", en->debit_gr);
		json_kv_int(j, "credit_gr", en->credit_gr);
		json_object_end(j);
	}
	json_array_end(j);
	json_key(j, "charges");
	json_array_begin(j);
	for (i = 0; i < a->ncharges; i++) {
		const struct st_charge *ch = &a->charges[i];

		json_object_begin(j);
		json_kv_string(j, "period", ch->period);
		json_kv_int(j, "total_gr", ch->total_gr);
		json_key(j, "components");
		json_array_begin(j);
		for (k = 0; k < ch->ncomponents; k++) {
			const struct st_component *c = &ch->components[k];

			json_object_begin(j);
			json_kv_string(j, "code", c->code);
			json_kv_string(j, "name", c->name);
			json_kv_string(j, "basis", c->basis);
			json_decimal(j, "quantity", c->quantity_e4, 4, 2, tmp);
			json_decimal(j, "rate", c->rate_e4, 4, 4, tmp);
			json_kv_int(j, "amount_gr", c->amount_gr);
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

static void
json_meter(struct json *j, const struct st_meter *m, struct buf *tmp)
{
	const struct st_reading *rd;
	char kind[2] = "";
	size_t i;

	json_object_begin(j);
	json_kv_string(j, "premises_id", m->premises_id);
	json_kv_string(j, "meter", m->serial);
	json_kv_string(j, "medium", m->medium);
	json_key(j, "readings");
	json_array_begin(j);
	for (i = 0; i < m->nreadings; i++) {
		rd = &m->readings[i];
		kind[0] = rd->kind;
		json_object_begin(j);
		json_kv_string(j, "id", rd->id);
		json_kv_string(j, "date", rd->date);
		json_decimal(j, "state", rd->state_e3, 3, 3, tmp);
		json_kv_string(j, "kind", kind);
		if (rd->has_usage) {
			json_decimal(j, "usage", rd->usage_e3, 3, 3, tmp);
		} else {
			json_key(j, "usage");
			json_null(j);
		}
		json_key(j, "warning");
		json_bool(j, rd->warning);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

static void
json_document(struct json *j, const struct st_document *d)
{
	json_object_begin(j);
	json_kv_string(j, "id", d->id);
	json_kv_string(j, "kind", d->kind);
	json_kv_string(j, "date", d->date);
	json_kv_string(j, "title", d->title);
	json_kv_string(j, "owner_kind", d->owner_kind);
	json_kv_string(j, "owner_id", d->owner_id);
	json_kv_string(j, "path", d->path);
	json_kv_int(j, "bytes", d->bytes);
	json_kv_string(j, "sha256", d->sha256);
	json_object_end(j);
}

int
statement_json(struct buf *out, const struct statement *s, int pretty, struct err *e)
{
	struct buf tmp = BUF_INIT;
	struct json j;
	size_t i;
	int rc;

	json_init(&j, out, pretty);
	json_object_begin(&j);
	json_key(&j, "person");
	json_object_begin(&j);
	json_kv_string(&j, "id", s->person_id);
	json_kv_string(&j, "surname", s->surname);
	json_kv_string(&j, "first_name", s->first_name);
	json_key(&j, "address");
	json_object_begin(&j);
	json_kv_string(&j, "street", s->street);
	json_kv_string(&j, "postcode", s->postcode);
	json_kv_string(&j, "town", s->town);
	json_object_end(&j);
	json_kv_string(&j, "email", s->email);
	json_object_end(&j);
	json_key(&j, "cooperative");
	json_object_begin(&j);
	json_kv_string(&j, "name", s->coop_name);
	json_kv_string(&j, "nip", s->coop_nip);
	json_kv_string(&j, "street", s->coop_street);
	json_kv_string(&j, "postcode", s->coop_postcode);
	json_kv_string(&j, "town", s->coop_town);
	json_object_end(&j);
	json_kv_string(&j, "data_as_of", s->data_as_of);
	json_key(&j, "accounts");
	json_array_begin(&j);
	for (i = 0; i < s->naccounts; i++)
		json_account(&j, &s->accounts[i], &tmp);
	json_array_end(&j);
	json_key(&j, "readings");
	json_array_begin(&j);
	for (i = 0; i < s->nmeters; i++)
		json_meter(&j, &s->meters[i], &tmp);
	json_array_end(&j);
	json_key(&j, "documents");
	json_array_begin(&j);
	for (i = 0; i < s->ndocuments; i++)
		json_document(&j, &s->documents[i]);
	json_array_end(&j);
	json_object_end(&j);
	rc = json_finish(&j);
	buf_free(&tmp);
	if (rc == -1)
		return err_set(e, ERR_SYSTEM, "out of memory writing JSON");
	return 0;
}
