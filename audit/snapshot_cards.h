/*
 * snapshot_cards.h — a snapshot's card files (cards/ and charges/: nearly
 * all of its bytes), written on several threads (internal to
 * audit/snapshot.c).
 *
 * The calling thread lists the cards (canon_cards) and asks the caller's
 * lookup() which of their files it has already (the card cache: a card's
 * cards/ and charges/ files have keys of their own).  Every card with a
 * file missing is handed to one of `threads` workers, each with its own
 * read-only connection to the database: it writes the missing files
 * (canon_card_write), names and deflates them (spack_make).  The calling
 * thread appends what the workers made to the night's pack in card order,
 * so the pack holds the same bytes whatever the number of threads, and
 * tells the caller through done().  threads 1 writes every card on the
 * calling thread, without starting any.
 *
 * The callbacks run on the calling thread only; done() runs for every
 * card, after lookup() when the caller has both files, else once the
 * missing ones are in the pack.  A card's strings last only during the
 * call.  A worker's error (e.g. a charge whose lines do not parse) stops
 * the writing and is returned as its own.
 */
#ifndef CZYNSZE_SNAPSHOT_CARDS_H
#define CZYNSZE_SNAPSHOT_CARDS_H

#include <stdint.h>

#include <git2.h>

#include "canon.h"
#include "db.h"
#include "err.h"
#include "snapshot_pack.h"

#define SNAPSHOT_THREADS_MAX 8

/* A card's files as blob ids; charges all zeros: the card has none.
 * have: the files (CANON_CARDS_FILE, CANON_CHARGES_FILE) the caller had,
 * with their ids and counts; the others were written this time. */
struct snapshot_card_files {
	git_oid cards, charges;
	uint64_t bookings, components;
	unsigned have;
};

#define SNAPSHOT_CARD_BOTH (CANON_CARDS_FILE | CANON_CHARGES_FILE)

struct snapshot_cards_ops {
	/* Fills *f (zeroed before the call) with the files the caller has:
	 * their ids and counts, and their bits in f->have.  0, or -1 with e
	 * set to stop. */
	int (*lookup)(void *ctx, const struct canon_card *card, struct snapshot_card_files *f,
	    struct err *e);
	/* The card's files; 0, or -1 with e set to stop. */
	int (*done)(void *ctx, const struct canon_card *card, const struct snapshot_card_files *f,
	    struct err *e);
	/* The pack the made files go into, asked for when the first is to go
	 * in (the caller may still be opening it meanwhile); NULL with e set
	 * to stop. */
	struct spack *(*pack)(void *ctx, struct err *e);
};

/*
 * Writes the cards of db (whose file is dbpath, opened again read-only by
 * each worker) as described above; threads 1 .. SNAPSHOT_THREADS_MAX;
 * level: how the workers deflate (snapshot_pack.h).
 * *ncards counts the cards listed.  0, or -1 with e set.
 */
int snapshot_cards_write(struct db *db, const char *dbpath, unsigned threads,
    enum spack_level level, const struct snapshot_cards_ops *ops, void *ctx, uint64_t *ncards,
    struct err *e);

#endif
