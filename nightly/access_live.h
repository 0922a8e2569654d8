/*
 * access_live.h — who can log in: state of the office, kept outside the
 * site's generations, changed at once and atomically.
 *
 *   HOME/access                  symlink "access.d/N": the files nginx
 *                                checks logins against (nginx_conf.h)
 *   HOME/access.d/N/auth/        the public salt shards, served at /auth/
 *   HOME/access.d/N/htpasswd.d/  the htpasswd files (access.h)
 *   HOME/access.d/.new-N/        a folder being written (never used)
 *   HOME/credentials.pending     what a credentials command was doing
 *
 * The bundles stay in the generations (HOME/sites/NAME/www/r/); a login's
 * bundle is r/LOGIN.bin, or r/LOGIN.V.bin after V-1 resets, and the salt
 * shard tells the browser V.  Switching generations (nightly, rollback)
 * therefore never changes who can log in with what, and a credentials
 * command changes the live site at once:
 *
 *   reset   new keys in keys.db's transaction; the bundle re-sealed
 *           (bundle_rekey) as r/LOGIN.V+1.bin beside r/LOGIN.V.bin in
 *           every generation; commit; access switch; r/LOGIN.V.bin removed
 *   revoke  commit; access switch; r/LOGIN[.V].bin removed everywhere
 *   issue   commit; access switch (the bundles come with the next
 *           generation)
 *
 * The access switch is one rename(2) of a fresh symlink over HOME/access,
 * after the new folder was fsynced: nginx reads the old files or the new
 * ones.  Before a reset or revoke touches anything, credentials.pending
 * names the login, its old and new key versions and the letters folder;
 * a run killed at any point leaves the old credentials (not committed)
 * or the new ones (committed) fully in force, and the next command that
 * takes the home's lock finishes the job (access_live_recover): the
 * access folder follows keys.db, bundles of other versions go, letters
 * with a password that never came into force are removed.
 *
 * Every function expects the caller to hold the home's lock (lock.h).
 */
#ifndef CZYNSZE_ACCESS_LIVE_H
#define CZYNSZE_ACCESS_LIVE_H

#include <stdint.h>

#include "credentials.h"
#include "err.h"
#include "home.h"

#define ACCESS_LINK "access"
#define ACCESS_DIRS "access.d"
#define ACCESS_PENDING "credentials.pending"

/* Makes HOME/access say what keys.db says: when any file would differ
 * (or there is no HOME/access yet), a new folder is written, fsynced and
 * switched to, and *switched is 1.  Old folders are removed. */
int access_live_sync(const struct home *h, int *switched, struct err *e);

/* Records in HOME/credentials.pending (durably) that login's key version
 * goes from old_v to new_v (0: revoked), letters naming the letters
 * folder of the new password (NULL: none). */
int access_live_begin(const struct home *h, const char *login, uint32_t old_v,
    uint32_t new_v, const char *letters, struct err *e);

/* Finishes after credentials.pending: access_live_sync, removes the
 * bundles of versions keys.db does not hold and the marker.  Run by every
 * command that takes the lock, before anything else; *recovered is 1 when
 * a marker was found. */
int access_live_recover(const struct home *h, int *recovered, struct err *e);

/* Re-seals r/LOGIN[.old].bin as r/LOGIN.new.bin in every generation that
 * has it (durable writes; the old file stays).  *count gets how many. */
int access_live_rekey(const struct home *h, const struct cred_rekey *rk, unsigned *count,
    struct err *e);

/* Removes r/LOGIN[.version].bin from every generation. */
int access_live_drop(const struct home *h, const char *login, uint32_t version,
    struct err *e);

/* For the crash tests: when $CZYNSZE_TEST_KILL_AT equals where, the
 * process kills itself with SIGKILL (nothing is cleaned up). */
void access_live_kill_point(const char *where);

#endif
