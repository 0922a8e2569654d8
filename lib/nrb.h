/*
 * nrb.h — Polish bank account numbers (NRB, 26 digits; IBAN with "PL").
 */
#ifndef CZYNSZE_NRB_H
#define CZYNSZE_NRB_H

#include <stddef.h>

#define NRB_DIGITS 26

/*
 * Normalises s[0..n) — 26 digits, spaces allowed anywhere, an optional
 * "PL" prefix — into out[NRB_DIGITS + 1] and checks the ISO 13616 mod-97
 * check digits.  Returns 0, or -1 with *problem set ("not 26 digits",
 * "bad check digits").
 */
int nrb_parse(char out[NRB_DIGITS + 1], const char *s, size_t n,
    const char **problem);

/* Formats 26 digits in the usual groups "61 1090 1014 0000 0712 1981 2874"
 * into out[33]. */
void nrb_format(char out[33], const char *digits26);

#endif
