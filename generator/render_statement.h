/*
 * render_statement.h — a resident's statement as an HTML fragment.
 *
 * The fragment is what the logged-in page shows inside div#statement-root
 * (and what the printable page wraps): for every card its premises (or
 * the subscriber's address), the balance in words, the bank account, a
 * payment QR code where something is owed, the ledger by year (newest
 * first, running balance, totals) and the charge components of every
 * month with changes against the previous month.  Everything goes
 * through the escaping writer (html.h); ids inside the fragment are
 * built from positions, never from data.
 *
 * Output depends only on the statement: the same data gives the same
 * bytes.
 *
 * Dates equal to the export's date: KSM dates every card's balance with
 * the night it exported, so that date would change every fragment every
 * night.  With RENDER_EXPORT_DATE_BY_PAGE a balance dated the export's day
 * says so with an empty <span class="export-date"></span>, which the page
 * fills (app.js, from p.as-of[data-export-date], the page being rendered
 * every night anyway); a fragment then changes only when the resident's
 * data does.  RENDER_EXPORT_DATE_LITERAL writes the date (printing).
 */
#ifndef CZYNSZE_RENDER_STATEMENT_H
#define CZYNSZE_RENDER_STATEMENT_H

#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "statement.h"

enum render_export_date { RENDER_EXPORT_DATE_LITERAL, RENDER_EXPORT_DATE_BY_PAGE };

/* Appends the fragment.  ERR_SYSTEM when out of memory. */
int render_statement(struct buf *out, const struct statement *s,
    enum render_export_date dates, struct err *e);

/* "Dane według stanu na 28.12.2021, 02:00" for an export timestamp
 * "2021-12-28T02:00:13" (text, unescaped) into out. */
int render_as_of(struct buf *out, const char *timestamp);

/* Words for the codes of the export (static strings; the code itself
 * when unknown). */
const char *words_doc_type(const char *code);
const char *words_premises_kind(const char *code);
const char *words_legal_title(const char *code);
const char *words_card_kind(const char *code);
const char *words_basis(const char *code);
/* "grudzień 2021" for "2021-12" into out. */
int words_period(struct buf *out, const char *period);

#endif
