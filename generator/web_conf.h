/*
 * web_conf.h — what the nginx and Apache configurations share: the URLs
 * they protect, defined once (nginx_conf.c and apache_conf.c build their
 * rules from these), and the checks on the values put into them.
 *
 * A resident's bundle is WEB_BUNDLE_DIR <login> <tail>, where the login
 * matches WEB_LOGIN_RE and the tail WEB_BUNDLE_TAIL_RE (regular
 * expressions, PCRE syntax, as both nginx and Apache use): today
 * /r/<login>.bin or /r/<login>.<V>.bin (the statement) and
 * /r/<login>[.<V>].d<32 hex>.bin (one of the resident's documents, sealed
 * for them, docs/security.md).  A login may read the URLs with its own
 * login in that place, nothing else under WEB_BUNDLE_DIR.  Change the
 * format here and both configurations follow.
 */
#ifndef CZYNSZE_WEB_CONF_H
#define CZYNSZE_WEB_CONF_H

#define WEB_BUNDLE_DIR "/r/"
#define WEB_LOGIN_RE "[a-z0-9]+"
/* ".bin", or ".V.bin" after V-1 resets (the key version, access_live.h);
 * a document has ".dTOKEN" before ".bin" (TOKEN: 32 lowercase hex) */
#define WEB_BUNDLE_TAIL_RE "(\\.[1-9][0-9]{0,9})?(\\.d[0-9a-f]{32})?\\.bin"
/* The one rule: matched against "<authenticated login>:<normalised path>"
 * (nginx: the map on "$remote_user:$uri"; Apache: RewriteCond on
 * "%{REMOTE_USER}:%{REQUEST_URI}"), it matches only a login's own
 * bundle and documents. */
#define WEB_OWNER_RE "^(" WEB_LOGIN_RE "):" WEB_BUNDLE_DIR "\\1" WEB_BUNDLE_TAIL_RE "$"

/* What the access logs write instead of a bundle's path (which names the
 * login). */
#define WEB_BUNDLE_LOGGED "/r/*.bin"
/* The public salt shards (access.h). */
#define WEB_AUTH_DIR "/auth/"

/* 1 when s is an absolute path without characters that could change a
 * configuration's meaning: whitespace, control characters, quotes, ';',
 * braces, '$', '\\', '#'. */
int web_safe_path(const char *s);

/* 1 when s is non-empty and only [A-Za-z0-9.:[\]_*-] (addresses, names). */
int web_safe_word(const char *s);

#endif
