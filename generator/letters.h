/*
 * letters.h — what the office prints and posts: a mail-merge CSV and one
 * A4 HTML letter per person with their login and password.
 *
 * letters_write(DIR, ...) creates DIR (0700; it must not exist yet, so a
 * batch is never mixed into an older one) and writes into it, each file
 * owner-only (0600), atomically:
 *
 *   credentials.csv   UTF-8 with BOM, ';'-separated, CRLF, one header row:
 *                     id_osoby;adresat;ulica;kod_pocztowy;miejscowosc;
 *                     login;haslo;adres_serwisu
 *                     Fields are quoted when they hold ';', '"' or a line
 *                     break; a field starting with = + - @ gets a leading
 *                     apostrophe (spreadsheet formula injection).
 *   <person>.html     the letter (Polish, A4, the address block where a DL
 *                     envelope's window is: 20 mm from the left, 50 mm from
 *                     the top, 85 x 40 mm, per DIN 5008 form B), for person
 *                     id <person> with characters outside [A-Za-z0-9_-]
 *                     replaced by '_'.
 *
 * The files hold passwords: delete them once printed.  Nothing is logged.
 *
 * HTML is escaped by a writer local to letters.c because lib/html.h (the
 * site generator's escaping writer) is not in this branch yet; when both
 * are merged the letters should use lib/html.h.
 */
#ifndef CZYNSZE_LETTERS_H
#define CZYNSZE_LETTERS_H

#include <stddef.h>
#include <time.h>

#include "err.h"

struct letter {
	const char *person_id;
	const char *name;            /* "Anna Kowalska", or a company's name */
	const char *street, *postcode, *town;
	const char *login, *password;
};

struct letter_sender {
	const char *name, *street, *postcode, *town;   /* the cooperative */
	const char *site_url;                          /* e.g. https://e.example.pl/ */
};

/* Writes the batch described above.  -1 with ERR_SYSTEM on I/O (what was
 * written stays; the caller removes DIR), ERR_USAGE when DIR exists. */
int letters_write(const char *dir, const struct letter *l, size_t n,
    const struct letter_sender *from, struct err *e);

/* Days a batch under HOME/letters/ is kept (letters_purge's default). */
#define LETTERS_PURGE_DAYS 30
#define LETTERS_DIR "letters"

/* Removes every batch folder directly under parent (HOME/letters) whose
 * modification time (when its files were written) is more than days * 24 h
 * before now; *removed counts them.  A missing parent is fine.  Batches
 * written elsewhere (--letters DIR) are the office's to remove. */
int letters_purge(const char *parent, unsigned days, time_t now, size_t *removed,
    struct err *e);

#endif
