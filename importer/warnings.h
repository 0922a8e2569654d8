/*
 * warnings.h — KSM's own figures against the rows: each card's balance
 * against its ledger, each month's charges against its NAL booking.
 * A difference is stored in the warning table, never fatal.
 */
#ifndef CZYNSZE_WARNINGS_H
#define CZYNSZE_WARNINGS_H

#include <stdint.h>

#include "card_set.h"
#include "db.h"
#include "err.h"
#include "load.h"
#include "month_totals.h"

/* Each card's balance against the sums load_bookings kept per card
 * (sums, by card_set number: the cards in id order), run while
 * naliczenia.xml is still loading; inside the caller's transaction. */
int warnings_balances(struct db *db, const struct card_set *cards,
    const struct ledger_sum *sums, struct err *e);

/*
 * Checks every card-month's total against the sum of its NAL bookings as
 * the charges thread hands them over (month_totals.h), while it still
 * loads: the mismatches go to temp.month_mismatch for
 * warnings_months_store.  Returns when the charges thread has finished
 * (successfully or not) and every total is checked.
 */
int warnings_months_check(struct db *db, const struct card_set *cards,
    struct month_totals *t, struct err *e);

/* What warnings_months_check found, into warning by card and month;
 * *count gets the number of warnings of every kind. */
int warnings_months_store(struct db *db, uint64_t *count, struct err *e);

#endif
