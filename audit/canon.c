/* canon.c — the snapshot's canonical text files (see canon.h). */
#include "canon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "charge_lines.h"


/* Field order is the file format: append fields at the end only. */
static const struct canon_schema schemas[] = {
	{ "export", 0, 4, { "system", "version", "generated_at", "manifest_sha256" } },
	{ "cooperative", 0, 5, { "name", "nip", "street", "postcode", "town" } },
	{ "person", 1, 7, { "id", "surname", "first_name", "street", "postcode", "town",
	    "email" } },
	{ "premises", 1, 13, { "id", "building", "street", "number", "postcode", "town",
	    "kind", "legal_title", "area_m2", "persons", "rooms", "floor", "held_since" } },
	{ "announcement", 1, 5, { "id", "seq", "date", "valid_until", "title" } },
	{ "block", 2, 4, { "announcement", "seq", "kind", "text" } },
	{ "warning", 3, 5, { "kind", "card", "period", "ksm", "computed" } },
	{ "card", 1, 6, { "id", "person", "premises", "kind", "bank_account", "balance" } },
	{ "balance_date", 1, 2, { "card", "date" } },
	{ "booking", 1, 8, { "id", "date", "period", "doc_type", "doc_no", "debit", "credit",
	    "description" } },
	{ "component", 2, 8, { "period", "seq", "code", "name", "basis", "quantity", "rate",
	    "amount" } },
	/* Export format 2 (canon.h): only in snapshots of v2 exports. */
	{ "reading", 1, 9, { "id", "premises", "meter", "medium", "date", "state", "kind",
	    "usage", "ksm_usage" } },
	{ "reading_warning", 2, 4, { "reading", "kind", "expected", "found" } },
	{ "document", 1, 9, { "id", "date", "kind", "owner_kind", "owner", "title", "path",
	    "bytes", "sha256" } },
};

static const char readme[] =
    "KSM export snapshot (czynsze audit)\n"
    "===================================\n"
    "\n"
    "One commit per imported KSM export, written by `czynsze import`.  The\n"
    "commit time is the export's own timestamp (eksport.xml wygenerowano, read\n"
    "as UTC); the tag ksm-YYYYMMDD names the export's day.  The same export\n"
    "always gives the same tree id: re-import an archived export into an empty\n"
    "data home and compare `git rev-parse ksm-YYYYMMDD^{tree}`, using a\n"
    "czynsze that writes the same snapshot format.  This is format 1.\n"
    "\n"
    "Files\n"
    "-----\n"
    "  README               this text\n"
    "  export.txt           the export: system, version, time, manifest SHA-256\n"
    "  cooperative.txt      the cooperative's details\n"
    "  people.txt           one line per person, by id\n"
    "  premises.txt         one line per premises, by id\n"
    "  announcements.txt    announcements (by id), each followed by its blocks\n"
    "  warnings.txt         KSM figures that disagree with the rows\n"
    "  balance-dates.txt    per card, the date of KSM's balance (data_salda);\n"
    "                       kept apart because it changes on every card every\n"
    "                       night, and card files should change only with them\n"
    "  cards/XX/ID.txt      per card: the card line (with KSM's balance), then\n"
    "                       every booking sorted\n"
    "                       by id_operacji (byte order)\n"
    "  charges/XX/ID.txt    per card: its monthly charge components, by period\n"
    "                       and position (cards without components have none)\n"
    "\n"
    "XX is two lowercase hex digits: the 32-bit FNV-1a hash of the card id,\n"
    "modulo 256.  ID is the card id with bytes outside [A-Za-z0-9._-] written\n"
    "%XX.  Find a card with: git ls-tree -r --name-only TAG | grep /K000451.txt\n"
    "\n"
    "Line format\n"
    "-----------\n"
    "One record per line: a tag, then the fields, separated by TAB, in the\n"
    "order given by the '#' header lines of each file.  An empty field is a\n"
    "value the export left empty.  Inside a field \\\\ \\t \\n \\r stand for\n"
    "backslash, tab, line feed and carriage return.  Money is zloty with a dot\n"
    "and two decimals (-1234.56); balance, debit (wn) and ksm are what KSM\n"
    "says, positive = owed by the resident; quantity and rate keep their\n"
    "significant decimals (48.30, 0.0512).  Dates are YYYY-MM-DD, billing\n"
    "periods YYYY-MM.\n"
    "\n"
    "Tags: export, cooperative, person, premises, announcement, block,\n"
    "warning (kind balance: KSM saldo vs the bookings; kind charge: the NAL\n"
    "booking of a period vs its components), balance_date, card, booking,\n"
    "component.\n";

/* Appended to readme in snapshots of format 2 exports only, so that a v1
 * export's tree stays byte for byte what it was. */
static const char readme_v2[] =
    "\n"
    "Export format 2: meter readings and documents\n"
    "---------------------------------------------\n"
    "  readings/XX/ID.txt   per premises with readings: every reading by meter,\n"
    "                       date and id_odczytu, then the importer's warnings\n"
    "                       about them (XX and ID as for cards, ID the premises)\n"
    "  documents/YYYY-MM.txt  the documents dated in that month, by id: their\n"
    "                       metadata and SHA-256 (the PDFs are not in the\n"
    "                       snapshot; `sha256sum` of an archived PDF must match)\n"
    "\n"
    "Meter states and consumption are the exported numbers with exactly three\n"
    "decimals (12.345): state is the meter's state, usage the consumption since\n"
    "the meter's previous reading as czynsze computed it (empty for a meter's\n"
    "first reading and a replaced meter's 'M' row), ksm_usage KSM's zuzycie.\n"
    "kind: O read, S estimated, Z read by the resident, M meter replaced.\n"
    "reading_warning kind decrease: expected = the previous state, found = this\n"
    "one; kind usage: expected = computed, found = KSM's.  Documents: owner_kind\n"
    "card, premises, person (owner the id) or public (owner empty); bytes and\n"
    "sha256 (lowercase hex) are the PDF's.  Their order in dokumenty.xml is not\n"
    "recorded.\n"
    "\n"
    "Tags: reading, reading_warning, document.\n";

const struct canon_schema *
canon_schema_find(const char *tag)
{
	size_t i;

	for (i = 0; i < sizeof schemas / sizeof schemas[0]; i++)
		if (strcmp(schemas[i].tag, tag) == 0)
			return &schemas[i];
	return NULL;
}

/* ---- writing ---- */

/* Column kinds of a query, one letter per column: t text, m money in
 * grosze, q ten-thousandths, a hundredths, k thousandths (exactly three
 * decimals), i integer; NULL gives an empty field for every kind. */
/*
 * Appends v / 10^scale with at least min_decimals and at most scale
 * decimals (trailing zeros beyond min_decimals dropped): what
 * decimal_format() writes, without printf — this is the hot path, every
 * booking and component has two or three numbers.
 */
static int
add_decimal(struct buf *b, int64_t v, int scale, int min_decimals)
{
	char tmp[32];
	uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t i = sizeof tmp;
	int d, keep = scale;

	for (d = 0; d < scale; d++) {
		if (keep > min_decimals && keep == scale - d && m % 10 == 0)
			keep--;
		else
			tmp[--i] = (char)('0' + m % 10);
		m /= 10;
	}
	if (keep > 0)
		tmp[--i] = '.';
	do {
		tmp[--i] = (char)('0' + m % 10);
		m /= 10;
	} while (m > 0);
	if (v < 0)
		tmp[--i] = '-';
	return buf_add(b, tmp + i, sizeof tmp - i);
}

/* Appends s with backslash, tab, line feed and carriage return escaped. */
static int
add_text(struct buf *b, const char *s)
{
	while (*s != '\0') {
		size_t run = strcspn(s, "\\\t\n\r");
		const char *esc = NULL;

		if (run > 0 && buf_add(b, s, run) == -1)
			return -1;
		s += run;
		switch (*s) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		default: break;
		}
		if (esc == NULL)
			break;
		if (buf_add(b, esc, 2) == -1)
			return -1;
		s++;
	}
	return 0;
}

static int
add_field(struct buf *b, struct db_stmt *st, int col, char kind)
{
	const char *text;

	if (buf_addc(b, '\t') == -1)
		return -1;
	if (kind == 't') {
		/* Text is NULL for SQL NULL, and for no memory: told apart only
		 * then, not once per field. */
		if ((text = db_col_text(st, col)) == NULL)
			return db_col_is_null(st, col) ? 0 : -1;
		return add_text(b, text);
	}
	if (db_col_is_null(st, col))
		return 0;
	switch (kind) {
	case 'm': /* money */
	case 'a': /* area */
		return add_decimal(b, db_col_int64(st, col), 2, 2);
	case 'q': return add_decimal(b, db_col_int64(st, col), 4, 2);
	case 'k': return add_decimal(b, db_col_int64(st, col), 3, 3);
	case 'i': return add_decimal(b, db_col_int64(st, col), 0, 0);
	default: break;
	}
	return add_text(b, db_col_text(st, col));
}

/* "# TAG<TAB>FIELD..." (no printf: a card's files have three of these). */
static int
add_header(struct buf *b, const char *tag)
{
	const struct canon_schema *s = canon_schema_find(tag);
	size_t i;

	if (buf_add(b, "# ", 2) == -1 || buf_adds(b, tag) == -1)
		return -1;
	for (i = 0; i < s->nfields; i++)
		if (buf_addc(b, '\t') == -1 || buf_adds(b, s->fields[i]) == -1)
			return -1;
	return buf_addc(b, '\n');
}

/* Appends one line of tag from the current row of st, columns first..
 * first + strlen(kinds). */
static int
add_line(struct buf *b, struct db_stmt *st, const char *tag, int first, const char *kinds)
{
	int col;

	if (buf_adds(b, tag) == -1)
		return -1;
	for (col = 0; kinds[col] != '\0'; col++)
		if (add_field(b, st, first + col, kinds[col]) == -1)
			return -1;
	return buf_addc(b, '\n');
}

/*
 * Appends one line per row of the prepared st (already bound) with the
 * given tag and column kinds; *rows (may be NULL) counts them.  Resets st.
 */
static int
add_rows(struct buf *b, struct db_stmt *st, const char *tag, const char *kinds,
    uint64_t *rows, struct err *e)
{
	int r;

	while ((r = db_step(st, NULL, e)) == 1) {
		if (add_line(b, st, tag, 0, kinds) == -1)
			goto nomem;
		if (rows != NULL)
			(*rows)++;
	}
	db_reset(st);
	return r;
nomem:
	db_reset(st);
	return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
}

/* A whole file from one query: header, rows. */
static int
table_file(struct db *db, struct buf *b, const char *sql, const char *tag,
    const char *kinds, uint64_t *rows, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = -1;

	if (add_header(b, tag) == -1) {
		err_set(e, ERR_SYSTEM, "snapshot: out of memory");
		goto out;
	}
	if (db_prepare(&st, db, sql, e) == -1 || add_rows(b, st, tag, kinds, rows, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

static int
emit_buf(canon_emit_fn emit, void *ctx, const char *path, struct buf *b, struct err *e)
{
	int rc = emit(ctx, path, b->data != NULL ? b->data : "", b->len, e);

	buf_reset(b);
	return rc;
}

static uint32_t
fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

int
canon_card_path(char out[CANON_PATH_MAX], const char *dir, const char *card_id,
    struct err *e)
{
	static const char hex[] = "0123456789ABCDEF", lower[] = "0123456789abcdef";
	char name[CANON_ID_BYTES_MAX * 3];
	size_t n = 0, len = strlen(card_id), dlen;
	const char *s;
	unsigned h;

	if (len == 0 || len > CANON_ID_BYTES_MAX)
		return err_set(e, ERR_DATA, "card id of %zu bytes cannot name a file", len);
	for (s = card_id; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    (c == '.' && s != card_id)) {
			name[n++] = (char)c;
		} else {
			name[n++] = '%';
			name[n++] = hex[c >> 4];
			name[n++] = hex[c & 15];
		}
	}
	/* "DIR/XX/NAME.txt" (no printf: two per card) */
	dlen = strlen(dir);
	if (dlen + 4 + n + 4 >= CANON_PATH_MAX)
		return err_set(e, ERR_DATA, "card id %s: path too long", card_id);
	h = fnv1a(card_id) & 0xffu;
	memcpy(out, dir, dlen);
	out[dlen] = '/';
	out[dlen + 1] = lower[h >> 4];
	out[dlen + 2] = lower[h & 15];
	out[dlen + 3] = '/';
	memcpy(out + dlen + 4, name, n);
	memcpy(out + dlen + 4 + n, ".txt", 5);
	return 0;
}

/* charge_kind by id (index = id, [0] unused): the components' names. */
struct kinds {
	size_t n;
	char **text;           /* 3 per id: code, name, basis; NULL for a gap */
};

static void
kinds_free(struct kinds *k)
{
	size_t i;

	for (i = 0; i < 3 * k->n; i++)
		free(k->text[i]);
	free(k->text);
	k->text = NULL;
	k->n = 0;
}

static int
kinds_load(struct kinds *k, struct db *db, struct err *e)
{
	struct db_stmt *st = NULL;
	int64_t max = 0, id;
	int r, rc = -1, col;

	if (db_prepare(&st, db, "SELECT coalesce(max(id), 0) FROM charge_kind", e) == -1 ||
	    (r = db_step(st, NULL, e)) == -1)
		goto out;
	if (r == 1)
		max = db_col_int64(st, 0);
	db_finalize(st);
	st = NULL;
	if (max < 0 || max > 1000000) {
		err_set(e, ERR_DATA, "charge_kind: id out of range (%lld)", (long long)max);
		goto out;
	}
	k->n = (size_t)max + 1;
	if ((k->text = calloc(3 * k->n, sizeof *k->text)) == NULL)
		goto nomem;
	if (db_prepare(&st, db, "SELECT id, code, name, basis FROM charge_kind", e) == -1)
		goto out;
	while ((r = db_step(st, NULL, e)) == 1) {
		id = db_col_int64(st, 0);
		if (id < 1 || id > max) {
			err_set(e, ERR_DATA, "charge_kind: id out of range (%lld)", (long long)id);
			goto out;
		}
		for (col = 0; col < 3; col++)
			if ((k->text[3 * id + col] = strdup(db_col_text(st, col + 1))) == NULL)
				goto nomem;
	}
	if (r == -1)
		goto out;
	rc = 0;
	goto out;
nomem:
	err_set(e, ERR_SYSTEM, "snapshot: out of memory");
out:
	db_finalize(st);
	return rc;
}

/*
 * The component lines of one card (st: period and lines of its charges,
 * bound, in period order): the rows the charge_component view gives,
 * ordered by period and seq, written straight from charge.lines.
 */
static int
add_components(struct buf *b, struct db_stmt *st, const struct kinds *k, uint64_t *rows,
    struct err *e)
{
	struct charge_lines it;
	struct charge_line l;
	const char *period;
	int64_t seq;
	int r, c;

	while ((r = db_step(st, NULL, e)) == 1) {
		period = db_col_text(st, 0);
		charge_lines_begin(&it, db_col_text(st, 1));
		for (seq = 0; (c = charge_lines_next(&it, &l)) == 1; seq++) {
			const char *const *t;

			if ((uint64_t)l.kind >= k->n || k->text[3 * l.kind] == NULL) {
				c = -1;
				break;
			}
			t = (const char *const *)k->text + 3 * l.kind;
			if (buf_adds(b, "component\t") == -1 || add_text(b, period) == -1 ||
			    buf_addc(b, '\t') == -1 || add_decimal(b, seq, 0, 0) == -1 ||
			    buf_addc(b, '\t') == -1 || add_text(b, t[0]) == -1 ||
			    buf_addc(b, '\t') == -1 || add_text(b, t[1]) == -1 ||
			    buf_addc(b, '\t') == -1 || add_text(b, t[2]) == -1 ||
			    buf_addc(b, '\t') == -1 || add_decimal(b, l.quantity_e4, 4, 2) == -1 ||
			    buf_addc(b, '\t') == -1 || add_decimal(b, l.rate_e4, 4, 2) == -1 ||
			    buf_addc(b, '\t') == -1 || add_decimal(b, l.amount_gr, 2, 2) == -1 ||
			    buf_addc(b, '\n') == -1) {
				db_reset(st);
				return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
			}
			(*rows)++;
		}
		if (c == -1) {
			err_set(e, ERR_DATA, "charge of %s: malformed lines", period);
			db_reset(st);
			return -1;
		}
	}
	db_reset(st);
	return r;
}

/* ---- the cards ---- */

/* The per-connection settings of every read: the page cache without a
 * syscall per page, and a larger cache for the rest. */
static int
read_settings(struct db *db, struct err *e)
{
	return db_exec(db, "PRAGMA mmap_size = 4294967296; PRAGMA cache_size = -65536", e);
}

struct canon_cards {
	struct db_stmt *st;
	struct buf head;                   /* the card header, then one card's line */
	size_t header;                     /* the header's length */
};

/* *out = the one number sql gives (its first row, first column). */
static int
query_int64(struct db *db, const char *sql, int64_t *out, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = -1;

	if (db_prepare(&st, db, sql, e) == -1 || db_step(st, NULL, e) != 1)
		goto out;
	*out = db_col_int64(st, 0);
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

/* The count(*) sql gives into *out. */
static int
query_count(struct db *db, const char *sql, uint64_t *out, struct err *e)
{
	int64_t n;

	if (query_int64(db, sql, &n, e) == -1)
		return -1;
	*out = (uint64_t)n;
	return 0;
}

/* Whether card_digest has its halves (schema 006): a database migrated
 * by hand from an older one may not. */
static int
has_digest_halves(int *out, struct db *db, struct err *e)
{
	uint64_t n;

	if (query_count(db, "SELECT count(*) FROM pragma_table_info('card_digest') "
	    "WHERE name IN ('bookings', 'charges')", &n, e) == -1)
		return -1;
	*out = n == 2;
	return 0;
}

int
canon_cards_open(struct canon_cards **out, struct db *db, struct err *e)
{
	struct canon_cards *it;
	int halves = 0;

	*out = NULL;
	if ((it = calloc(1, sizeof *it)) == NULL)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	if (add_header(&it->head, "card") == -1) {
		canon_cards_close(it);
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	}
	it->header = it->head.len;
	if (read_settings(db, e) == -1 || has_digest_halves(&halves, db, e) == -1 ||
	    db_prepare(&it->st, db, halves ?
	    "SELECT c.id, c.person_id, c.premises_id, c.kind, c.bank_account, c.balance_gr, "
	    "d.bookings, d.charges FROM card c "
	    "LEFT JOIN card_digest d ON d.card_id = c.id ORDER BY c.id" :
	    "SELECT id, person_id, premises_id, kind, bank_account, balance_gr, NULL, NULL "
	    "FROM card ORDER BY id", e) == -1) {
		canon_cards_close(it);
		return -1;
	}
	*out = it;
	return 0;
}

int
canon_cards_next(struct canon_cards *it, struct canon_card *card, struct err *e)
{
	struct buf *b = &it->head;
	const void *bookings, *charges;
	size_t blen = 0, clen = 0, header = it->header;
	int r;

	if ((r = db_step(it->st, NULL, e)) != 1)
		return r;
	card->id = db_col_text(it->st, 0);
	b->len = header;                   /* the header stays */
	b->data[header] = '\0';            /* (buf.h's invariant) */
	if (add_line(b, it->st, "card", 0, "tttttm") == -1)
		goto nomem;
	card->head = b->data;
	card->head_len = b->len;
	card->line = b->data + header;
	card->line_len = b->len - header;
	if (canon_card_path(card->cards_path, "cards", card->id, e) == -1 ||
	    canon_card_path(card->charges_path, "charges", card->id, e) == -1)
		return -1;
	card->bookings_digest = card->charges_digest = NULL;
	bookings = db_col_blob(it->st, 6, &blen);
	charges = db_col_blob(it->st, 7, &clen);
	if (bookings != NULL && blen == CANON_DIGEST_BYTES && charges != NULL &&
	    clen == CANON_DIGEST_BYTES) {
		card->bookings_digest = bookings;
		card->charges_digest = charges;
	}
	return 1;
nomem:
	return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
}

void
canon_cards_close(struct canon_cards *it)
{
	if (it == NULL)
		return;
	db_finalize(it->st);
	buf_free(&it->head);
	free(it);
}

/* A booking line made, before it goes to its place in the file. */
struct booking_line {
	size_t id_at, line_at, len;      /* offsets into the writer's ids, lines */
	const char *id;                  /* set once every line is made */
};

struct canon_card_writer {
	struct db_stmt *bookings, *comps;
	struct kinds kinds;
	/* A card's booking lines in the order the index gives them, their
	 * ids, and the lines' places, sorted by id here: a changed card's
	 * file then costs 18 % fewer instructions than with ORDER BY id,
	 * SQLite's sorter. */
	struct buf lines, ids;
	struct booking_line *order;
	size_t norder, order_cap;
};

static int
booking_line_cmp(const void *a, const void *b)
{
	return strcmp(((const struct booking_line *)a)->id, ((const struct booking_line *)b)->id);
}

/*
 * Appends the card's bookings (w->bookings, bound) to b in the order of
 * their ids: SQLite's ORDER BY id for TEXT, which is strcmp's order (ids
 * hold no NUL).  *rows counts them.  Resets the statement.
 */
static int
add_bookings(struct canon_card_writer *w, struct buf *b, uint64_t *rows, struct err *e)
{
	struct booking_line *grown, *l;
	const char *id;
	size_t i;
	int r, rc = -1;

	buf_reset(&w->lines);
	buf_reset(&w->ids);
	w->norder = 0;
	while ((r = db_step(w->bookings, NULL, e)) == 1) {
		if ((grown = array_grow(w->order, &w->order_cap, w->norder + 1, sizeof *grown,
		    256)) == NULL)
			goto nomem;
		w->order = grown;
		l = &w->order[w->norder++];
		if ((id = db_col_text(w->bookings, 0)) == NULL)
			goto nomem;
		l->id_at = w->ids.len;
		l->line_at = w->lines.len;
		if (buf_add(&w->ids, id, strlen(id) + 1) == -1 ||
		    add_line(&w->lines, w->bookings, "booking", 0, "tttttmmt") == -1)
			goto nomem;
		l->len = w->lines.len - l->line_at;
	}
	if (r == -1)
		goto out;
	for (i = 0; i < w->norder; i++)
		w->order[i].id = w->ids.data + w->order[i].id_at;
	if (w->norder > 1)           /* (a card may have none: order is then NULL) */
		qsort(w->order, w->norder, sizeof *w->order, booking_line_cmp);
	for (i = 0; i < w->norder; i++)
		if (buf_add(b, w->lines.data + w->order[i].line_at, w->order[i].len) == -1)
			goto nomem;
	*rows += w->norder;
	rc = 0;
	goto out;
nomem:
	err_set(e, ERR_SYSTEM, "snapshot: out of memory");
out:
	db_reset(w->bookings);
	return rc;
}

int
canon_card_writer_open(struct canon_card_writer **out, struct db *db, struct err *e)
{
	struct canon_card_writer *w;

	*out = NULL;
	if ((w = calloc(1, sizeof *w)) == NULL)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	if (read_settings(db, e) == -1 ||
	    db_prepare(&w->bookings, db, "SELECT id, date, period, doc_type, doc_no, debit_gr, "
	    "credit_gr, description FROM booking WHERE card_id = ?1", e) == -1 ||
	    db_prepare(&w->comps, db, "SELECT period, lines FROM charge WHERE card_id = ?1 "
	    "ORDER BY period", e) == -1 ||
	    kinds_load(&w->kinds, db, e) == -1) {
		canon_card_writer_close(w);
		return -1;
	}
	*out = w;
	return 0;
}

int
canon_card_write(struct canon_card_writer *w, const struct canon_card *card,
    unsigned which, struct buf *cards, struct buf *charges, uint64_t *bookings,
    uint64_t *components, struct err *e)
{
	if (which & CANON_CARDS_FILE) {
		*bookings = 0;
		buf_reset(cards);
		if (buf_add(cards, card->head, card->head_len) == -1 ||
		    add_header(cards, "booking") == -1)
			return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
		if (db_bind_text(w->bookings, 1, card->id, (size_t)-1, e) == -1 ||
		    add_bookings(w, cards, bookings, e) == -1)
			return -1;
	}
	if (which & CANON_CHARGES_FILE) {
		*components = 0;
		buf_reset(charges);
		if (add_header(charges, "component") == -1)
			return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
		if (db_bind_text(w->comps, 1, card->id, (size_t)-1, e) == -1 ||
		    add_components(charges, w->comps, &w->kinds, components, e) == -1)
			return -1;
		if (*components == 0)
			buf_reset(charges);
	}
	return 0;
}

void
canon_card_writer_close(struct canon_card_writer *w)
{
	if (w == NULL)
		return;
	kinds_free(&w->kinds);
	db_finalize(w->bookings);
	db_finalize(w->comps);
	buf_free(&w->lines);
	buf_free(&w->ids);
	free(w->order);
	free(w);
}

static int
export_file(struct db *db, struct buf *b, struct canon_counts *c, struct err *e)
{
	struct db_stmt *st = NULL;
	int r, rc = -1;

	if (db_prepare(&st, db, "SELECT generated_at, manifest_sha256 FROM export", e) == -1)
		goto out;
	if ((r = db_step(st, NULL, e)) == -1)
		goto out;
	if (r == 0) {
		err_set(e, ERR_DATA, "the database holds no export; import one first");
		goto out;
	}
	(void)snprintf(c->generated_at, sizeof c->generated_at, "%s", db_col_text(st, 0));
	(void)snprintf(c->manifest_sha256, sizeof c->manifest_sha256, "%s", db_col_text(st, 1));
	rc = table_file(db, b, "SELECT system, version, generated_at, manifest_sha256 "
	    "FROM export", "export", "tttt", NULL, e);
out:
	db_finalize(st);
	return rc;
}

static int
warning_file(struct db *db, struct buf *b, struct canon_counts *c, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = -1;

	if (table_file(db, b, "SELECT kind, card_id, period, ksm_gr, computed_gr FROM warning "
	    "ORDER BY kind, card_id, period", "warning", "tttmm", NULL, e) == -1 ||
	    db_prepare(&st, db, "SELECT count(*) FILTER (WHERE kind = 'balance'), "
	    "count(*) FILTER (WHERE kind = 'charge') FROM warning", e) == -1 ||
	    db_step(st, NULL, e) != 1)
		goto out;
	c->warnings_balance = (uint64_t)db_col_int64(st, 0);
	c->warnings_charge = (uint64_t)db_col_int64(st, 1);
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

static int
announcement_file(struct db *db, struct buf *b, struct canon_counts *c, struct err *e)
{
	struct db_stmt *ann = NULL, *blocks = NULL;
	int r, rc = -1;

	if (add_header(b, "announcement") == -1 || add_header(b, "block") == -1) {
		err_set(e, ERR_SYSTEM, "snapshot: out of memory");
		goto out;
	}
	if (db_prepare(&ann, db, "SELECT id, seq, date, valid_until, title FROM announcement "
	    "ORDER BY id", e) == -1 ||
	    db_prepare(&blocks, db, "SELECT announcement_id, seq, kind, text "
	    "FROM announcement_block WHERE announcement_id = ?1 ORDER BY seq", e) == -1)
		goto out;
	while ((r = db_step(ann, NULL, e)) == 1) {
		if (buf_adds(b, "announcement") == -1)
			goto nomem;
		for (int col = 0; col < 5; col++)
			if (add_field(b, ann, col, "tittt"[col]) == -1)
				goto nomem;
		if (buf_addc(b, '\n') == -1)
			goto nomem;
		c->announcements++;
		if (db_bind_text(blocks, 1, db_col_text(ann, 0), (size_t)-1, e) == -1 ||
		    add_rows(b, blocks, "block", "titt", NULL, e) == -1)
			goto out;
	}
	rc = r;
	goto out;
nomem:
	err_set(e, ERR_SYSTEM, "snapshot: out of memory");
out:
	db_finalize(ann);
	db_finalize(blocks);
	return rc;
}

/* The export's format (eksport/@format): 1 also for a database written
 * before schema 005, which has no such column. */
static int
export_format(int64_t *out, struct db *db, struct err *e)
{
	uint64_t has;

	*out = 1;
	if (query_count(db, "SELECT count(*) FROM pragma_table_info('export') "
	    "WHERE name = 'format'", &has, e) == -1)
		return -1;
	return has > 0 ? query_int64(db, "SELECT format FROM export", out, e) : 0;
}

/*
 * readings/XX/ID.txt: one pass over every reading in premises, meter,
 * date, id order (the meter_reading_premises index), and one over the
 * warnings in premises order beside it.  A premises' file is emitted when
 * the next premises starts.
 */
static int
reading_files(struct db *db, struct buf *b, canon_emit_fn emit, void *ctx,
    struct canon_counts *c, struct err *e)
{
	struct db_stmt *rd = NULL, *wr = NULL;
	char path[CANON_PATH_MAX];
	char *premises = NULL;
	int r, w = 0, rc = -1;

	if (db_prepare(&rd, db, "SELECT id, premises_id, meter, medium, date, state_e3, kind, "
	    "usage_e3, ksm_usage_e3 FROM meter_reading ORDER BY premises_id, meter, date, id",
	    e) == -1 ||
	    db_prepare(&wr, db, "SELECT r.premises_id, w.reading_id, w.kind, w.expected_e3, "
	    "w.found_e3 FROM reading_warning w JOIN meter_reading r ON r.id = w.reading_id "
	    "ORDER BY r.premises_id, w.reading_id, w.kind, w.expected_e3, w.found_e3", e) == -1)
		goto out;
	if ((w = db_step(wr, NULL, e)) == -1)
		goto out;
	for (;;) {
		const char *id = NULL;

		if ((r = db_step(rd, NULL, e)) == -1)
			goto out;
		/* id NULL: no more readings (premises_id is NOT NULL). */
		if (r == 1 && (id = db_col_text(rd, 1)) == NULL)
			goto nomem;
		if (premises != NULL && (id == NULL || strcmp(id, premises) != 0)) {
			/* The warnings of the premises just finished. */
			if (add_header(b, "reading_warning") == -1)
				goto nomem;
			while (w == 1 && strcmp(db_col_text(wr, 0), premises) == 0) {
				if (add_line(b, wr, "reading_warning", 1, "ttkk") == -1)
					goto nomem;
				c->reading_warnings++;
				if ((w = db_step(wr, NULL, e)) == -1)
					goto out;
			}
			if (canon_card_path(path, "readings", premises, e) == -1 ||
			    emit_buf(emit, ctx, path, b, e) == -1)
				goto out;
			free(premises);
			premises = NULL;
		}
		if (id == NULL)
			break;
		if (premises == NULL) {
			if ((premises = strdup(id)) == NULL || add_header(b, "reading") == -1)
				goto nomem;
			c->premises_with_readings++;
		}
		if (add_line(b, rd, "reading", 0, "tttttktkk") == -1)
			goto nomem;
		c->readings++;
	}
	if (w == 1) {
		/* Every warning names a reading (schema 005's reference), and both
		 * queries order by the same premises ids. */
		err_set(e, ERR_INTERNAL, "snapshot: reading warning %s out of order",
		    db_col_text(wr, 1));
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	err_set(e, ERR_SYSTEM, "snapshot: out of memory");
out:
	free(premises);
	db_finalize(rd);
	db_finalize(wr);
	return rc;
}

/* "YYYY-MM" of an ISO date, or 0 when date does not start like one. */
static int
date_month(char out[8], const char *date)
{
	size_t i;

	if (date == NULL)
		return 0;
	for (i = 0; i < 7; i++) {
		if (i == 4 ? date[i] != '-' : (date[i] < '0' || date[i] > '9'))
			return 0;
		out[i] = date[i];
	}
	out[7] = '\0';
	return 1;
}

/* documents/YYYY-MM.txt: the documents of each month, by id. */
static int
document_files(struct db *db, struct buf *b, canon_emit_fn emit, void *ctx,
    struct canon_counts *c, struct err *e)
{
	struct db_stmt *st = NULL;
	char month[8] = "", next[8], path[CANON_PATH_MAX];
	int r, rc = -1;

	if (db_prepare(&st, db, "SELECT id, date, kind, owner_kind, owner_id, title, path, "
	    "bytes, sha256 FROM document ORDER BY substr(date, 1, 7), id", e) == -1)
		goto out;
	for (;;) {
		if ((r = db_step(st, NULL, e)) == -1)
			goto out;
		if (r == 1 && !date_month(next, db_col_text(st, 1))) {
			err_set(e, ERR_DATA, "document %s: date is not YYYY-MM-DD (%s)",
			    db_col_text(st, 0), db_col_text(st, 1));
			goto out;
		}
		if (month[0] != '\0' && (r == 0 || strcmp(next, month) != 0)) {
			(void)snprintf(path, sizeof path, "documents/%s.txt", month);
			if (emit_buf(emit, ctx, path, b, e) == -1)
				goto out;
			month[0] = '\0';
		}
		if (r == 0)
			break;
		if (month[0] == '\0') {
			memcpy(month, next, sizeof month);
			if (add_header(b, "document") == -1)
				goto nomem;
		}
		if (add_line(b, st, "document", 0, "tttttttit") == -1)
			goto nomem;
		c->documents++;
	}
	rc = 0;
	goto out;
nomem:
	err_set(e, ERR_SYSTEM, "snapshot: out of memory");
out:
	db_finalize(st);
	return rc;
}

/* Asks have (canon_have_fn) about path, written from table name: 1 the
 * caller has it, 0 write it, -1 error.  No have, or no table_digest (a
 * database from before schema 006) or no row: 0. */
static int
table_digest(struct db *db, const char *name, const char *path, canon_have_fn have,
    void *ctx, struct err *e)
{
	struct db_stmt *st = NULL;
	const void *digest;
	size_t n = 0;
	uint64_t tables;
	int r, rc = -1;

	if (have == NULL)
		return 0;
	if (query_count(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
	    "AND name = 'table_digest'", &tables, e) == -1)
		return -1;
	if (tables == 0)
		return have(ctx, path, NULL, e);
	if (db_prepare(&st, db, "SELECT digest FROM table_digest WHERE name = ?1", e) == -1 ||
	    db_bind_text(st, 1, name, (size_t)-1, e) == -1 || (r = db_step(st, NULL, e)) == -1)
		goto out;
	digest = r == 1 ? db_col_blob(st, 0, &n) : NULL;
	rc = have(ctx, path, digest != NULL && n == CANON_DIGEST_BYTES ? digest : NULL, e);
out:
	db_finalize(st);
	return rc;
}

int
canon_write_tables(struct db *db, canon_emit_fn emit, canon_have_fn have, void *ctx,
    struct canon_counts *c, struct err *e)
{
	struct buf b = BUF_INIT;
	int r, rc = -1;

	memset(c, 0, sizeof *c);
	if (read_settings(db, e) == -1)
		goto out;
	if (export_file(db, &b, c, e) == -1 || emit_buf(emit, ctx, "export.txt", &b, e) == -1)
		goto out;
	if (export_format(&c->format, db, e) == -1)
		goto out;
	if (c->format >= 2) {
		if (buf_add(&b, readme, sizeof readme - 1) == -1 ||
		    buf_add(&b, readme_v2, sizeof readme_v2 - 1) == -1) {
			err_set(e, ERR_SYSTEM, "snapshot: out of memory");
			goto out;
		}
		if (emit_buf(emit, ctx, "README", &b, e) == -1)
			goto out;
	} else if (emit(ctx, "README", readme, sizeof readme - 1, e) == -1) {
		goto out;
	}
	if (table_file(db, &b, "SELECT name, nip, street, postcode, town FROM cooperative",
	    "cooperative", "ttttt", NULL, e) == -1 ||
	    emit_buf(emit, ctx, "cooperative.txt", &b, e) == -1)
		goto out;
	if ((r = table_digest(db, "person", "people.txt", have, ctx, e)) == -1)
		goto out;
	if (r == 1 ? query_count(db, "SELECT count(*) FROM person", &c->people, e) == -1 :
	    (table_file(db, &b, "SELECT id, surname, first_name, street, postcode, town, email "
	    "FROM person ORDER BY id", "person", "ttttttt", &c->people, e) == -1 ||
	    emit_buf(emit, ctx, "people.txt", &b, e) == -1))
		goto out;
	if ((r = table_digest(db, "premises", "premises.txt", have, ctx, e)) == -1)
		goto out;
	if (r == 1 ? query_count(db, "SELECT count(*) FROM premises", &c->premises, e) == -1 :
	    (table_file(db, &b, "SELECT id, building, street, number, postcode, town, kind, "
	    "legal_title, area_e2, persons, rooms, floor, held_since FROM premises ORDER BY id",
	    "premises", "ttttttttaiitt", &c->premises, e) == -1 ||
	    emit_buf(emit, ctx, "premises.txt", &b, e) == -1))
		goto out;
	if (announcement_file(db, &b, c, e) == -1 ||
	    emit_buf(emit, ctx, "announcements.txt", &b, e) == -1)
		goto out;
	if (warning_file(db, &b, c, e) == -1 || emit_buf(emit, ctx, "warnings.txt", &b, e) == -1)
		goto out;
	if (table_file(db, &b, "SELECT id, balance_date FROM card ORDER BY id", "balance_date",
	    "tt", NULL, e) == -1 || emit_buf(emit, ctx, "balance-dates.txt", &b, e) == -1)
		goto out;
	if (c->format >= 2 && (reading_files(db, &b, emit, ctx, c, e) == -1 ||
	    document_files(db, &b, emit, ctx, c, e) == -1))
		goto out;
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

/* ---- reading ---- */

/* Unescapes s[0..n) into a new arena string; NULL for an empty field. */
static int
unescape(const char **out, struct arena *a, const char *s, size_t n)
{
	char *d;
	size_t i, k = 0;

	if (n == 0) {
		*out = NULL;
		return 0;
	}
	if ((d = arena_alloc(a, n + 1)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			switch (s[i]) {
			case 't': d[k++] = '\t'; break;
			case 'n': d[k++] = '\n'; break;
			case 'r': d[k++] = '\r'; break;
			default: d[k++] = s[i]; break;
			}
		} else {
			d[k++] = s[i];
		}
	}
	d[k] = '\0';
	*out = d;
	return 0;
}

int
canon_parse(struct canon_rec **out, size_t *nout, struct arena *a,
    const char *data, size_t n, const char *path, struct err *e)
{
	struct canon_rec *recs;
	size_t lines = 0, i, nrec = 0, lineno = 0, pos = 0;

	for (i = 0; i < n; i++)
		if (data[i] == '\n')
			lines++;
	if ((recs = arena_alloc(a, (lines + 1) * sizeof *recs)) == NULL)
		return err_set(e, ERR_SYSTEM, "%s: out of memory", path);
	while (pos < n) {
		const char *line = data + pos, *nl = memchr(line, '\n', n - pos);
		size_t len = nl != NULL ? (size_t)(nl - line) : n - pos, f = 0, start, j;
		struct canon_rec *r = &recs[nrec];
		char tag[32];

		pos += len + 1;
		lineno++;
		if (len == 0 || line[0] == '#')
			continue;
		for (j = 0; j < len && line[j] != '\t'; j++)
			;
		if (j >= sizeof tag)
			return err_set(e, ERR_DATA, "%s:%zu: unknown record", path, lineno);
		memcpy(tag, line, j);
		tag[j] = '\0';
		if ((r->schema = canon_schema_find(tag)) == NULL)
			return err_set(e, ERR_DATA, "%s:%zu: unknown record %s", path, lineno, tag);
		while (j < len) {
			start = ++j;
			while (j < len && line[j] != '\t')
				j++;
			if (f >= r->schema->nfields)
				break;
			if (unescape(&r->fields[f], a, line + start, j - start) == -1)
				return err_set(e, ERR_SYSTEM, "%s: out of memory", path);
			f++;
		}
		if (f != r->schema->nfields || j < len)
			return err_set(e, ERR_DATA, "%s:%zu: %s: expected %zu fields", path, lineno,
			    tag, r->schema->nfields);
		r->line = lineno;
		nrec++;
	}
	*out = recs;
	*nout = nrec;
	return 0;
}

int
canon_money_parse(int64_t *out, const char *s)
{
	int64_t v = 0;
	int neg = 0, digits = 0, decimals = 0, dot = 0;

	if (s == NULL)
		return -1;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s != '\0'; s++) {
		if (*s == '.' && !dot && digits > 0) {
			dot = 1;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
		if (dot)
			decimals++;
		else
			digits++;
	}
	if (!dot || decimals != 2)
		return -1;
	*out = neg ? -v : v;
	return 0;
}
