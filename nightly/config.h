/*
 * config.h — HOME/czynsze.conf: settings that never change between runs.
 *
 * Optional.  One `key = value` per line; blank lines and lines starting
 * with '#' are ignored; values are taken as they are (no quotes needed,
 * surrounding spaces trimmed).  Command-line options win over the file.
 * An unknown key or a bad value is an error (ERR_USAGE) naming the line,
 * so that a typo never goes unnoticed.  The keys (documented in
 * czynsze(1), CONFIGURATION):
 *
 *   site_url          https://czynsze.example.pl/   (for nginx-conf, mails)
 *   audit_closing_day 10    day of the month after which a month is closed
 *                           for the auditors' snapshots (1-28)
 *   keep_generations  3     site generations kept for rollback (1-100)
 *   keep_exports      7     received exports kept in HOME/exports (0-1000)
 *   export_inbox      /srv/ksm/eksport   EXPORT_DIR when none is given
 *   settle_ms         2000  how long an export must stay unchanged
 *   syslog            yes | no
 *   templates         /usr/local/share/czynsze/site-templates
 *   publish_to        www@web1:/srv/czynsze   for `czynsze publish`
 *
 * The cooperative's details, shown on every page (the footer, the legal
 * pages); `generate` refuses to run without them (config_require_site):
 *
 *   contact_email     czynsze@example.pl
 *   contact_phone     41 123 45 67
 *   office_hours      pon.–pt. 8:00–15:00, wt. do 17:00
 *   office_room       8                       (the office's room number)
 *   office_floor      parter
 *   dpo               iod@example.pl, or "nie wyznaczono"
 *   accessibility_published  15.01.2022  dates of the accessibility
 *   accessibility_updated    15.01.2022  statement (DD.MM.RRRR)
 *   regulamin_date    15.01.2022   the Regulamin in force since
 *   rodo_date         15.01.2022   the information clause's date
 *   site_url          (above)
 * and optionally
 *   due_day           10    monthly charges are due by this day (1-28)
 */
#ifndef CZYNSZE_CONFIG_H
#define CZYNSZE_CONFIG_H

#include "date.h"
#include "err.h"
#include "fsutil.h"
#include "home.h"

#define CONFIG_FILE "czynsze.conf"
#define CONFIG_BYTES_MAX 65536
#define CONFIG_VALUE_MAX 1024

struct config {
	char site_url[CONFIG_VALUE_MAX];
	int audit_closing_day;          /* 0: not set */
	int keep_generations;
	int keep_exports;
	char export_inbox[PATH_BYTES_MAX];
	unsigned settle_ms;
	int syslog;
	char templates[PATH_BYTES_MAX];
	char publish_to[CONFIG_VALUE_MAX];
	/* the cooperative's details ("" when not set) */
	char contact_email[CONFIG_VALUE_MAX];
	char contact_phone[CONFIG_VALUE_MAX];
	char office_hours[CONFIG_VALUE_MAX];
	char office_room[CONFIG_VALUE_MAX];
	char office_floor[CONFIG_VALUE_MAX];
	char dpo[CONFIG_VALUE_MAX];
	char accessibility_published[DATE_ISO_LEN + 1];   /* ISO */
	char accessibility_updated[DATE_ISO_LEN + 1];
	char regulamin_date[DATE_ISO_LEN + 1];
	char rodo_date[DATE_ISO_LEN + 1];
	int due_day;
};

#define KEEP_GENERATIONS_DEFAULT 3
#define KEEP_EXPORTS_DEFAULT 7
#define SETTLE_MS_DEFAULT 2000
#define DUE_DAY_DEFAULT 10

/* Defaults, then HOME/czynsze.conf when it exists. */
int config_load(struct config *c, const struct home *h, struct err *e);

/* ERR_USAGE naming the first of the cooperative's details (above) that
 * is not set: "czynsze.conf: contact_email is not set (...)". */
int config_require_site(const struct config *c, struct err *e);

/* Parses n as a whole number in [min, max] into *out; -1 when not. */
int config_number(const char *s, long min, long max, long *out);

#endif
