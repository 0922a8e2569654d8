/*
 * charge_lines.h — reading charge.lines, the components of one card and
 * month as the importer stores them (schema/001-init.sql):
 *
 *     [[kind_id,quantity_e4,rate_e4,amount_gr],...]
 *
 * integers only, no spaces, kind_id a row of charge_kind.  Readers that
 * go through many components (the statement, the audit snapshot) parse
 * the text here instead of through the charge_component view, whose
 * json_each costs several times more per row.
 *
 * Usage:
 *     struct charge_lines it;
 *     struct charge_line l;
 *     charge_lines_begin(&it, text);
 *     while ((r = charge_lines_next(&it, &l)) == 1) ...;
 *     r == 0: the end; r == -1: malformed text (the caller names the row).
 * The cursor points into text, which must outlive it.  No allocation.
 */
#ifndef CZYNSZE_CHARGE_LINES_H
#define CZYNSZE_CHARGE_LINES_H

#include <stdint.h>

struct charge_line {
	int64_t kind;          /* charge_kind.id, >= 1 */
	int64_t quantity_e4;
	int64_t rate_e4;
	int64_t amount_gr;
};

struct charge_lines {
	const char *p;         /* next unread byte; NULL once malformed */
	int started;           /* the opening '[' was read */
	int done;
};

void charge_lines_begin(struct charge_lines *it, const char *text);

/* 1 with *out set, 0 at the end of a well-formed text, -1 when malformed
 * (and on every later call). */
int charge_lines_next(struct charge_lines *it, struct charge_line *out);

#endif
