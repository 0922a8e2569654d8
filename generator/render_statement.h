/*
 * render_statement.h — a resident's statement as an HTML fragment.
 *
 * The fragment is what the logged-in page shows inside div#statement-root
 * (and what the printable page wraps): for every card, named by what it
 * is for ("Garaż nr 7 — opłaty"), a summary in words ("Do zapłaty: …",
 * with "w tym po terminie: …"; "Nadpłata: …"; "Rozliczone"), the monthly
 * charge and its due day, the bank account, a payment QR code and copy
 * buttons where something is owed, its premises (or the subscriber's
 * address), the ledger by year (newest
 * first, running balance, totals) and the charge components of every
 * month with changes against the previous month.  After the cards (export
 * format v2): "Odczyty liczników" (per meter: readings newest first with
 * consumption, kinds and warnings in words, a chart of the last three
 * years with its table) and "Dokumenty" (the person's own documents,
 * newest first; with RENDER_EXPORT_DATE_BY_PAGE, the sealed site, each
 * with a button.doc-open naming its sealed file's TOKEN and file name,
 * docseal.h, which login.js fetches and decrypts when pressed; the PDFs
 * themselves are never in the fragment).  Everything goes
 * through the escaping writer (html.h); ids inside the fragment are
 * built from positions, never from data.
 *
 * Output depends only on the statement, the due day and, through what
 * is past due, on which months' due days have passed on the export's day
 * (render_due_context): the same data gives the same bytes.
 *
 * Past due: of a positive balance, what remains after the charges (NAL
 * bookings) of months whose due day (period-DUE_DAY) is not before the
 * export's date are set aside; payments settle the oldest debt first.
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

/* Appends the fragment; due_day (1-28): a month's charge is due by that
 * day of the month.  ERR_SYSTEM when out of memory. */
int render_statement(struct buf *out, const struct statement *s,
    enum render_export_date dates, int due_day, struct err *e);

/* "10:2021-11": the due day and the last month whose due day had passed
 * on export_date ("2021-12-05" with due day 10).  Everything of the
 * fragment that depends on the export's date is told by this text (a
 * cache of fragments keys on it).  out holds RENDER_DUE_CONTEXT_BYTES. */
#define RENDER_DUE_CONTEXT_BYTES 16
void render_due_context(char out[RENDER_DUE_CONTEXT_BYTES], const char *export_date,
    int due_day);

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
/* "Woda zimna" for "ZW"; its unit "m³" ("" when unknown). */
const char *words_medium(const char *code);
const char *words_medium_unit(const char *code);
/* "zawiadomienie o zmianie opłat" for "ZAW" (a document's kind). */
const char *words_document_kind(const char *code);
/* A file's size as residents read it: "48 KB" (whole kilobytes, rounded
 * up), "1,2 MB" from a mebibyte on; appended to out. */
int words_size(struct buf *out, int64_t bytes);
/* The name a document is saved under: the last part of its export path
 * with anything but [A-Za-z0-9._-] as '_', ending in ".pdf"; appended. */
int document_file_name(struct buf *out, const char *path);
/* "grudzień 2021" for "2021-12" into out. */
int words_period(struct buf *out, const char *period);

#endif
