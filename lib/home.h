/*
 * home.h — the data home: where czynsze keeps everything it owns.
 *
 *   HOME/czynsze.db        the imported export (replaced whole by each import)
 *   HOME/keys.db           logins, password verifiers, data keys (owner-only)
 *   HOME/snapshots.git     the auditors' bare git repository
 *   HOME/site/             the generated site (a symlink to a generation)
 *   HOME/lock              held by the running command
 *   HOME/czynsze.log       the nightly job's log
 *
 * Chosen by --home DIR, else $CZYNSZE_HOME, else HOME_DEFAULT.  Created
 * owner-only (0700) when missing.
 */
#ifndef CZYNSZE_HOME_H
#define CZYNSZE_HOME_H

#include "err.h"
#include "fsutil.h"

#define HOME_DEFAULT "/var/lib/czynsze"
#define HOME_DB "czynsze.db"
#define HOME_KEYS_DB "keys.db"
#define HOME_SNAPSHOTS "snapshots.git"
#define HOME_LOCK "lock"

struct home {
	char dir[PATH_BYTES_MAX];
};

/* option may be NULL.  Returns 0 or -1. */
int home_resolve(struct home *h, const char *option, struct err *e);

/* out = HOME/name. */
int home_path(const struct home *h, const char *name, char out[PATH_BYTES_MAX],
    struct err *e);

#endif
