/*
 * load_announcements.c — komunikaty.xml into announcement(_block).
 *
 *   <komunikaty> <komunikat id data wazny_do?> <tytul/> (<akapit/>|<punkt/>)*
 *
 * Text only: white space inside an element is folded to single spaces.
 * Any other element inside <komunikat> is an error.
 */
#include "load.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "text.h"
#include "xml_reader.h"

#define ANNOUNCEMENT_TEXT_BYTES_MAX 16384
#define ANNOUNCEMENT_BLOCKS_MAX 200

struct ctx {
	struct load *l;
	struct db_stmt *insert, *insert_block;
	int in_root, in_item, in_text;
	const char *text_kind;        /* "t" title, "p", "li" */
	long item_line, text_line;
	char id[ID_BYTES_MAX + 1];
	int64_t seq, block_seq;
	struct buf text;
	int have_title;
};

static const char *
file_name(void)
{
	return export_file_names[FILE_KOMUNIKATY];
}

static int
attr_date(char out[DATE_ISO_LEN + 1], const struct xml_element *el, const char *name,
    int required, struct err *e)
{
	int i = xml_attr_find(el, name);

	out[0] = '\0';
	if (i < 0) {
		if (!required)
			return 0;
		return xml_element_error(e, el->file, el->line, el->name,
		    strcmp(name, "data") == 0 ? "attribute data missing" : "attribute missing");
	}
	if (date_parse_pl(out, el->attr[i].value, el->attr[i].n) == -1)
		return xml_attr_error(e, el, i, "not a date DD.MM.RRRR");
	return 0;
}

static int
start_item(struct ctx *c, const struct xml_element *el, struct err *e)
{
	char date[DATE_ISO_LEN + 1], until[DATE_ISO_LEN + 1];
	enum db_constraint con;
	int i = xml_attr_find(el, "id"), rc = -1;

	c->in_item = 1;
	c->have_title = 0;
	c->block_seq = 0;
	c->id[0] = '\0';
	c->item_line = el->line;
	c->l->rows[FILE_KOMUNIKATY]++;
	if (i < 0)
		return xml_element_error(e, el->file, el->line, el->name, "attribute id missing");
	if (el->attr[i].n == 0 || el->attr[i].n > ID_BYTES_MAX)
		return xml_attr_error(e, el, i, el->attr[i].n == 0 ? "empty" : "too long");
	if (attr_date(date, el, "data", 1, e) == -1 || attr_date(until, el, "wazny_do", 0, e) == -1)
		return -1;
	memcpy(c->id, el->attr[i].value, el->attr[i].n + 1);
	/* Inserted now with an empty title, so that blocks can refer to it;
	 * the title is set when <tytul> ends. */
	if (db_bind_text(c->insert, 1, c->id, (size_t)-1, e) == -1 ||
	    db_bind_text(c->insert, 2, date, DATE_ISO_LEN, e) == -1 ||
	    db_bind_text_or_null(c->insert, 3, until, (size_t)-1, e) == -1 ||
	    db_bind_int64(c->insert, 4, c->seq++, e) == -1)
		goto out;
	if (db_step(c->insert, &con, e) == -1) {
		if (con == DB_UNIQUE)
			xml_attr_error(e, el, i, "duplicate key");
		c->id[0] = '\0';
		goto out;
	}
	rc = 0;
out:
	db_reset(c->insert);
	return rc;
}

static int
on_start(void *vctx, const struct xml_element *el, struct err *e)
{
	struct ctx *c = vctx;

	if (el->depth == 1 && strcmp(el->name, "komunikaty") == 0) {
		c->in_root = 1;
		return 0;
	}
	if (el->depth == 2 && c->in_root && strcmp(el->name, "komunikat") == 0)
		return start_item(c, el, e);
	if (el->depth == 3 && c->in_item) {
		if (strcmp(el->name, "tytul") == 0)
			c->text_kind = "t";
		else if (strcmp(el->name, "akapit") == 0)
			c->text_kind = "p";
		else if (strcmp(el->name, "punkt") == 0)
			c->text_kind = "li";
		else
			return xml_element_error(e, el->file, el->line, el->name,
			    "not allowed in komunikat (tytul, akapit, punkt only)");
		if (c->text_kind[0] == 't' && c->have_title)
			return xml_element_error(e, el->file, el->line, el->name, "appears twice");
		c->in_text = 1;
		c->text_line = el->line;
		buf_reset(&c->text);
		return 0;
	}
	return xml_element_error(e, el->file, el->line, el->name, "not expected here");
}

static int
end_text(struct ctx *c, const char *name, struct err *e)
{
	struct db_stmt *st;
	int rc = -1;

	c->in_text = 0;
	if (c->id[0] == '\0')
		return 0;
	text_fold_space(&c->text);
	if (c->text.len == 0)
		return xml_element_error(e, file_name(), c->text_line, name, "empty");
	if (c->text_kind[0] == 't') {
		c->have_title = 1;
		if (db_prepare(&st, c->l->db, "UPDATE announcement SET title = ?2 WHERE id = ?1", e) == -1)
			return -1;
		if (db_bind_text(st, 1, c->id, (size_t)-1, e) == -1 ||
		    db_bind_text(st, 2, c->text.data, c->text.len, e) == -1 ||
		    db_step(st, NULL, e) == -1)
			goto out;
		rc = 0;
out:
		db_finalize(st);
		return rc;
	}
	if (c->block_seq == ANNOUNCEMENT_BLOCKS_MAX)
		return xml_element_error(e, file_name(), c->text_line, name, "too many paragraphs");
	if (db_bind_text(c->insert_block, 1, c->id, (size_t)-1, e) == -1 ||
	    db_bind_int64(c->insert_block, 2, c->block_seq++, e) == -1 ||
	    db_bind_text(c->insert_block, 3, c->text_kind, (size_t)-1, e) == -1 ||
	    db_bind_text(c->insert_block, 4, c->text.data, c->text.len, e) == -1 ||
	    db_step(c->insert_block, NULL, e) == -1)
		rc = -1;
	else
		rc = 0;
	db_reset(c->insert_block);
	return rc;
}

static int
on_end(void *vctx, const char *name, int depth, long line, struct err *e)
{
	struct ctx *c = vctx;

	if (depth == 3 && c->in_text)
		return end_text(c, name, e);
	if (depth == 2 && c->in_item) {
		c->in_item = 0;
		if (c->id[0] != '\0' && !c->have_title)
			return xml_element_error(e, file_name(), c->item_line, "komunikat",
			    "element tytul missing");
	}
	return 0;
}

static int
on_text(void *vctx, const char *s, size_t n, long line, struct err *e)
{
	struct ctx *c = vctx;
	size_t i;

	if (!c->in_text) {
		for (i = 0; i < n; i++)
			if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
				return err_set(e, ERR_DATA, "%s:%ld: text not expected here",
				    file_name(), line);
		return 0;
	}
	if (c->text.len + n > ANNOUNCEMENT_TEXT_BYTES_MAX)
		return xml_element_error(e, file_name(), c->text_line, "akapit", "text too long");
	/* libxml2 hands over valid UTF-8 without control characters (XML
	 * forbids them), in pieces that may split words: append as is. */
	if (buf_add(&c->text, s, n) == -1)
		return err_set(e, ERR_SYSTEM, "out of memory");
	return 0;
}

int
load_announcements(struct load *l, struct err *e)
{
	static const struct xml_handlers handlers = { on_start, on_end, on_text, NULL };
	struct ctx c;
	int rc = -1;

	memset(&c, 0, sizeof c);
	c.l = l;
	if (db_prepare(&c.insert, l->db,
	    "INSERT INTO announcement (id, date, valid_until, title, seq) "
	    "VALUES (?1, ?2, ?3, '', ?4)", e) == -1 ||
	    db_prepare(&c.insert_block, l->db,
	    "INSERT INTO announcement_block (announcement_id, seq, kind, text) "
	    "VALUES (?1, ?2, ?3, ?4)", e) == -1)
		goto out;
	if (xml_read(l->dir, export_file_names[FILE_KOMUNIKATY], &handlers, &c, l->diag, e) == -1)
		goto out;
	rc = 0;
out:
	db_finalize(c.insert);
	db_finalize(c.insert_block);
	buf_free(&c.text);
	return rc;
}
