/*
 * publish.h — `czynsze publish`: the site, and only the site, to the web
 * server the internet reaches.
 *
 * The internal host keeps HOME (database, keys, snapshots, exports); the
 * web server gets DEST/sites/NAME and the symlink DEST/site, the same
 * layout as HOME, so its nginx configuration is the same.  Three steps:
 *
 *   1. rsync -aH HOME/sites/ DEST/sites/ (new generations; hard links
 *      between generations stay hard links, so unchanged files cost no
 *      space there either); staging folders are never sent; and
 *      HOME/access.d/ to DEST/access.d/ (the logins nginx checks,
 *      access_live.h)
 *   2. DEST/site -> sites/NAME and DEST/access -> access.d/N switched by
 *      rename (over ssh: ln -sfn to a temporary name, then mv -T)
 *   3. rsync --delete-after again: generations and access folders removed
 *      here go there too
 *
 * DEST is USER@HOST:/path or HOST:/path (rsync over ssh; the path may
 * hold letters, digits and . _ - / only) or a local folder.
 */
#ifndef CZYNSZE_PUBLISH_H
#define CZYNSZE_PUBLISH_H

#include "err.h"
#include "home.h"

/* Publishes the live generation to dest.  ERR_USAGE for a bad dest,
 * ERR_SYSTEM when rsync or ssh fail (their messages went to stderr). */
int publish_site(const struct home *h, const char *dest, int verbose, struct err *e);

#endif
