/*
 * lock.h — one czynsze run at a time per data home.
 *
 * An advisory lock (flock) on HOME/lock.  The kernel drops it when the
 * process dies, kill -9 included, so a crashed run never leaves a stale
 * lock behind.  The holder's pid is written into the file for messages.
 */
#ifndef CZYNSZE_LOCK_H
#define CZYNSZE_LOCK_H

#include "err.h"

/* Takes the lock; *fd_out gets the descriptor to pass to lock_release.
 * With wait = 0, a held lock fails at once with ERR_LOCKED naming the
 * holder's pid; with wait = 1 it blocks until the lock is free. */
int lock_acquire(int *fd_out, const char *path, int wait, struct err *e);

/* Releases (closes) the lock.  fd -1 is fine.  Can't fail. */
void lock_release(int fd);

#endif
