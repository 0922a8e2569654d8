/*
 * qr.h — the payment QR code: the Polish banks' 2D standard (Związek
 * Banków Polskich, "Rekomendacja dotycząca standardu 2D", 2013) and its
 * rendering as inline SVG.  The only file that includes <qrencode.h>.
 *
 * Payload: nine fields separated by '|':
 *
 *   NIP|PL|account|amount|recipient|title|||
 *
 *   NIP        the recipient's NIP, 10 digits
 *   PL         country code
 *   account    the NRB, 26 digits, no spaces, no "PL"
 *   amount     in grosze, at least 6 digits with leading zeros
 *              ("093482" for 934,82 zł); more than 6 digits is beyond the
 *              standard, so qr_payment_payload refuses amounts above
 *              QR_AMOUNT_GR_MAX (the page then shows no code)
 *   recipient  at most 20 characters, title at most 32 (characters, not
 *              bytes; UTF-8); '|' and control characters are dropped
 *   the last three (direct debit id, Invoobill id, reserved) empty
 */
#ifndef CZYNSZE_QR_H
#define CZYNSZE_QR_H

#include <stdint.h>

#include "buf.h"
#include "err.h"

#define QR_AMOUNT_GR_MAX 999999
#define QR_RECIPIENT_CHARS_MAX 20
#define QR_TITLE_CHARS_MAX 32

/* Appends the payload.  ERR_DATA when the NIP is not 10 digits, the
 * account not 26 digits, or amount_gr outside 1..QR_AMOUNT_GR_MAX. */
int qr_payment_payload(struct buf *out, const char *nip, const char *nrb26,
    int64_t amount_gr, const char *recipient, const char *title, struct err *e);

/* Appends <svg role="img" aria-label="label"> drawing payload as a QR code
 * (error correction M, 4-module quiet zone), written through html.h. */
int qr_svg(struct buf *out, const char *payload, const char *label, struct err *e);

#endif
