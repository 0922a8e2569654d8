/*
 * diff.h — what changed between two snapshots, record by record.
 *
 * Not a line diff: both snapshots' canonical files (canon.h) are parsed
 * and matched by key — bookings by id_operacji, components by card,
 * period and position, people and premises by id, readings by
 * id_odczytu, documents by id — and every record
 * added, deleted or changed is listed with its fields old -> new.  Only
 * files whose blob ids differ are read, so an ordinary night is cheap.
 *
 * Closed periods.  A booking or charge component is in a closed period
 * when its billing period (YYYY-MM) sorts before closed_before.  By
 * default closed_before is the month of the newer (TO) export: for an
 * export of 2021-12-29 every period up to and including 2021-11 is
 * closed.  A change touches a closed period when the old or the new
 * record's period is closed; such changes are "retroactive".
 *
 * Meter readings (export format 2) are in a closed period when their
 * date's month sorts before closed_before.  A reading that was in the
 * older snapshot and is changed or deleted there, with its old or new
 * date in a closed period, is retroactive like a closed-period booking.
 * A reading added with an old date is not: readings reach KSM late as a
 * matter of course, and the first v2 export adds years of them.  Reading
 * warnings and documents have no periods: listed, never flagged.
 *
 * Card lines: a changed balance goes to the balance list.  Balance
 * dates (balance-dates.txt: every card, every night) are only counted.
 *
 * Ownership: struct audit_diff owns everything (one arena); release with
 * audit_diff_free().
 */
#ifndef CZYNSZE_AUDIT_DIFF_H
#define CZYNSZE_AUDIT_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "canon.h"
#include "err.h"
#include "snapshot.h"

enum change_kind { CHANGE_ADDED, CHANGE_DELETED, CHANGE_CHANGED };

struct field_change {
	const char *field, *old_value, *new_value;   /* values NULL when empty */
};

struct change {
	const struct canon_schema *schema;
	enum change_kind kind;
	const char *card;                  /* booking, component: the card; else NULL */
	const struct canon_rec *old_rec, *new_rec;   /* NULL when absent */
	size_t nfields;
	struct field_change *fields;       /* CHANGE_CHANGED: the fields that differ */
	int closed;                        /* touches a closed period */
};

struct balance_change {
	const char *card, *old_value, *new_value;
	int64_t old_gr, new_gr;
};

struct audit_diff {
	struct arena arena;
	struct snapshot_info from, to;
	char closed_before[8];             /* YYYY-MM */
	struct change *changes;            /* sorted: entity, card, key */
	size_t nchanges, cap;
	struct balance_change *balances;   /* sorted by card */
	size_t nbalances, bcap;
	size_t balance_dates;              /* cards whose balance date changed */
	size_t closed;                     /* changes touching a closed period */
};

/*
 * Compares snapshot from with snapshot to.  closed_before "YYYY-MM" or
 * NULL for the default above (ERR_USAGE when malformed).  Returns 0 with
 * *d filled (d is initialised here), or -1 with e set; audit_diff_free()
 * is safe either way.
 */
int audit_diff_run(struct audit_diff *d, struct snapshot_repo *repo,
    const struct snapshot_info *from, const struct snapshot_info *to,
    const char *closed_before, struct err *e);
void audit_diff_free(struct audit_diff *d);

/* The report for people (English labels, closed-period changes first and
 * marked "!! CLOSED PERIOD"), or as JSON (shape in cli/cmd_audit.c's help
 * and tests/t0310-audit-diff.sh).  -1 only when out of memory. */
int audit_diff_text(struct buf *out, const struct audit_diff *d);
int audit_diff_json(struct buf *out, const struct audit_diff *d);

#endif
