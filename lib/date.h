/*
 * date.h — calendar dates and billing periods from the export.
 *
 * Dates arrive as DD.MM.RRRR and are kept as ISO 8601 text "YYYY-MM-DD";
 * periods arrive as MM.RRRR and are kept as "YYYY-MM".  Both sort
 * correctly as text.  Only dates that exist in the Gregorian calendar
 * between years 1900 and 2999 are accepted.  No time zones, no
 * localtime(): these are accounting dates, not instants.
 */
#ifndef CZYNSZE_DATE_H
#define CZYNSZE_DATE_H

#include <stddef.h>

#define DATE_ISO_LEN 10   /* "YYYY-MM-DD" */
#define PERIOD_ISO_LEN 7  /* "YYYY-MM" */

/* Parses "DD.MM.RRRR" in s[0..n) into out[DATE_ISO_LEN + 1].
 * Returns 0, or -1 for anything else (wrong shape, 31.02, 00.00.0000). */
int date_parse_pl(char out[DATE_ISO_LEN + 1], const char *s, size_t n);

/* Parses "MM.RRRR" into out[PERIOD_ISO_LEN + 1].  Returns 0 or -1. */
int period_parse_pl(char out[PERIOD_ISO_LEN + 1], const char *s, size_t n);

/* Parses an ISO "YYYY-MM-DDTHH:MM:SS" timestamp (the manifest's
 * `wygenerowano`), checking the calendar and clock.  Returns 0 or -1. */
int timestamp_check_iso(const char *s);

/* Days in month m (1..12) of year y. */
int date_days_in_month(int y, int m);

/* Converts an ISO date "YYYY-MM-DD" to "DD.MM.YYYY" (out[11]). */
void date_iso_to_pl(char out[DATE_ISO_LEN + 1], const char *iso);

/* Seconds since the epoch of a UTC "YYYY-MM-DDTHH:MM:SS" (checked with
 * timestamp_check_iso first).  Used for git commit times. */
long long timestamp_to_epoch(const char *iso);

#endif
