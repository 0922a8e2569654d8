/*
 * verify.h — KSM's own figures in a snapshot, recomputed.
 *
 * For every card of a snapshot: its KSM balance (saldo) against the sum
 * of its bookings (debit - credit), and for every month with charge
 * components the NAL bookings' debit of that period against the sum of
 * the components.  The same rules as the importer's warnings, applied to
 * the archived snapshot instead of the live database.
 *
 * Ownership: struct audit_verify owns its findings (one arena); release
 * with audit_verify_free() (safe after a failed run).
 */
#ifndef CZYNSZE_AUDIT_VERIFY_H
#define CZYNSZE_AUDIT_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "snapshot.h"

struct verify_finding {
	const char *card;
	const char *period;       /* NULL: the balance; else a charge month */
	int64_t ksm_gr;           /* saldo, or NAL debit of the period */
	int64_t computed_gr;      /* bookings' sum, or components' sum */
};

struct audit_verify {
	struct arena arena;
	struct snapshot_info snap;
	struct verify_finding *findings;   /* card order, balance before months */
	size_t nfindings, cap;
	size_t cards, months;              /* how many were checked */
};

/* Checks every card of s.  ERR_DATA when a snapshot file is malformed. */
int audit_verify_run(struct audit_verify *v, struct snapshot_repo *repo,
    const struct snapshot_info *s, struct err *e);
void audit_verify_free(struct audit_verify *v);

/* Reports; -1 only when out of memory. */
int audit_verify_text(struct buf *out, const struct audit_verify *v);
int audit_verify_json(struct buf *out, const struct audit_verify *v);

#endif
