/*
 * status.h — HOME/status.json: the last nightly run, for monitoring.
 *
 * Written atomically (write_file_atomic) at the end of every run that got
 * the lock, whatever the outcome, so that Zabbix, Nagios or a shell check
 * can read it without parsing logs.  One member per line, fixed order:
 *
 *   {
 *     "format": 1,
 *     "started_at": "2021-12-29T02:10:00Z",     UTC, this run
 *     "finished_at": "2021-12-29T02:10:04Z",
 *     "outcome": "ok",           ok | unchanged | failed | refused | not-ready
 *     "exit_status": 0,          the process exit status (see czynsze(1))
 *     "message": null,           what failed, one line (null on success)
 *     "export_dir": "/srv/ksm/inbox",
 *     "export_generated_at": "2021-12-29T02:00:13",  null if not read
 *     "premises": 6, "people": 6, "cards": 9, "bookings": 52,
 *     "charge_components": 80, "announcements": 3,   0 unless imported
 *     "warnings": 2,             KSM figures that disagree (tables warning, reading_warning)
 *     "files_written": 14, "files_unchanged": 20, "residents": 6,
 *     "live_generation": "20211229T020013",          what HOME/site serves
 *     "last_success_at": "2021-12-29T02:10:04Z",     carried over on failure
 *     "last_success_export": "2021-12-29T02:00:13"
 *   }
 *
 * A run refused because another holds the lock does not write it (the
 * running job will).  `czynsze status` reads it back (status_read).
 */
#ifndef CZYNSZE_STATUS_H
#define CZYNSZE_STATUS_H

#include <stdint.h>

#include "err.h"
#include "home.h"

#define STATUS_FILE "status.json"
#define STATUS_BYTES_MAX 65536
#define STATUS_TEXT_MAX 1024

struct status {
	char started_at[21];
	char finished_at[21];
	char outcome[16];
	int exit_status;
	char message[STATUS_TEXT_MAX];          /* "" = null */
	char export_dir[STATUS_TEXT_MAX];
	char export_generated_at[20];
	uint64_t premises, people, cards, bookings, components, announcements, warnings;
	uint64_t files_written, files_unchanged, residents;
	char live_generation[64];
	char last_success_at[21];
	char last_success_export[20];
};

/* Writes s as HOME/status.json (mode 0644: monitoring reads it). */
int status_write(const struct home *h, const struct status *s, struct err *e);

/* Reads HOME/status.json into s (members not found stay zero/"").
 * ERR_SYSTEM when missing or unreadable, ERR_DATA when not ours. */
int status_read(const struct home *h, struct status *s, struct err *e);

#endif
