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
 */
#ifndef CZYNSZE_CONFIG_H
#define CZYNSZE_CONFIG_H

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
};

#define KEEP_GENERATIONS_DEFAULT 3
#define KEEP_EXPORTS_DEFAULT 7
#define SETTLE_MS_DEFAULT 2000

/* Defaults, then HOME/czynsze.conf when it exists. */
int config_load(struct config *c, const struct home *h, struct err *e);

/* Parses n as a whole number in [min, max] into *out; -1 when not. */
int config_number(const char *s, long min, long max, long *out);

#endif
