/*
 * report.h — `czynsze audit report`: one document for auditors.
 *
 * What changed from snapshot FROM to snapshot TO (diff.h: the closed-period
 * changes first, old -> new), the two exports and their manifests, the
 * balance mismatches of TO (verify.h), the snapshots in between, and the
 * monthly totals of TO's bookings over all cards: charges (debit, Wn),
 * payments (credit, Ma) and the balance of all cards at each month's end
 * (debit minus credit, running).  Written as one self-contained HTML file
 * (no external resource, no script; inline SVG charts each followed by the
 * same figures as a table; prints on A4) or as JSON:
 *
 *   { "report": { "from": EXPORT, "to": EXPORT, "counts": {...},
 *                 "entities": [ {entity, added, deleted, changed, closed_period} ],
 *                 "months": [ {period, charges_gr, payments_gr, balance_gr} ],
 *                 "snapshots": [ {tag, commit, generated_at, summary} ] },
 *     "diff": <audit diff --json>, "verify": <audit verify --json of TO> }
 *
 * EXPORT is {tag, commit, tree, generated_at, system, version,
 * manifest_sha256, summary}.  Ownership: audit_report_free() releases
 * everything (safe after a failed run).
 */
#ifndef CZYNSZE_AUDIT_REPORT_H
#define CZYNSZE_AUDIT_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diff.h"
#include "err.h"
#include "snapshot.h"
#include "verify.h"

#define REPORT_SNAPSHOTS_MAX 400   /* snapshots listed between FROM and TO */

struct report_export {
	struct snapshot_info snap;
	char system[64], version[32], manifest_sha256[65];
};

struct report_month {
	char period[8];                /* YYYY-MM */
	int64_t charges_gr, payments_gr, balance_gr;
};

struct audit_report {
	struct report_export from, to;
	struct audit_diff diff;
	struct audit_verify verify;
	struct report_month *months;   /* by period */
	size_t nmonths, mcap;
	struct snapshot_info *snaps;   /* TO back to FROM, newest first */
	size_t nsnaps;
	int snaps_truncated;           /* more than REPORT_SNAPSHOTS_MAX */
};

int audit_report_run(struct audit_report *r, struct snapshot_repo *repo,
    const struct snapshot_info *from, const struct snapshot_info *to,
    const char *closed_before, struct err *e);
void audit_report_free(struct audit_report *r);

/* -1 only when out of memory. */
int audit_report_html(struct buf *out, const struct audit_report *r);
int audit_report_json(struct buf *out, const struct audit_report *r);

#endif
