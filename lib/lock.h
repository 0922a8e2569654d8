/*
 * lock.h — one czynsze run at a time per data home, and readers beside
 * a writer's maintenance.
 *
 * An advisory lock (flock) on a file such as HOME/lock.  The kernel drops
 * it when the process dies, kill -9 included, so a crashed run never
 * leaves a stale lock behind.  An exclusive holder writes its pid into
 * the file for messages.  A shared lock (LOCK_SHARED) is held by any
 * number of readers at once and keeps exclusive holders out (and waits
 * for them): readers of the audit repository take it, so that `audit gc`
 * and a night's pack merge never delete a pack a reader is using.
 */
#ifndef CZYNSZE_LOCK_H
#define CZYNSZE_LOCK_H

#include "err.h"

enum lock_mode { LOCK_EXCLUSIVE, LOCK_SHARED };

/* Takes the lock in mode; *fd_out gets the descriptor to pass to
 * lock_release.  With wait = 0, a conflicting lock fails at once with
 * ERR_LOCKED (naming the exclusive holder's pid when there is one); with
 * wait = 1 it blocks until the lock can be had.  The file is created
 * (0600) when missing. */
int lock_acquire_mode(int *fd_out, const char *path, enum lock_mode mode, int wait,
    struct err *e);

/* lock_acquire_mode(..., LOCK_EXCLUSIVE, ...). */
int lock_acquire(int *fd_out, const char *path, int wait, struct err *e);

/* Releases (closes) the lock.  fd -1 is fine.  Can't fail. */
void lock_release(int fd);

#endif
