/*
 * apache_conf.h — the Apache httpd 2.4 configuration that serves the
 * site, with the guarantees of the nginx one (nginx_conf.h):
 *
 *   /            the public site, no listings (Options -Indexes), the
 *                security headers (mod_headers, `always`)
 *   /auth/       the public salt shards, Cache-Control: no-cache
 *   /r/          AuthType Basic against HTPASSWD/all (access.h: every
 *                login in one file, {SHA} verifiers); a login may read
 *                only its own bundle: after authentication a RewriteCond
 *                matches "%{REMOTE_USER}:%{REQUEST_URI}" against
 *                WEB_OWNER_RE (web_conf.h, the rule nginx's map uses) and
 *                anything else answers 403.  No or wrong credentials: 401.
 *                Cache-Control: no-store.
 *
 * The user file is read line by line at each request (mod_authn_file),
 * with no authentication cache (mod_authn_socache would keep a revoked
 * or reset login working for its timeout): a revoke or reset is in force
 * at the next request.  Logins issued before the Apache support
 * keep {SSHA} verifiers, which Apache cannot check: they work after a
 * reset (docs/security.md).
 *
 * Rate limiting: Apache has no counterpart of nginx's limit_req
 * (mod_ratelimit limits bandwidth); none is configured, see
 * docs/security.md for the recommendation (fail2ban on 401 lines).
 *
 * Logs: CustomLog to access_log (or none for "off") without the login:
 * a bundle's path is written as WEB_BUNDLE_LOGGED; log_login = 1 writes
 * %u and the path.
 *
 * Modules: alias, auth_basic, authn_core, authn_file, authz_core, authz_user,
 * headers, rewrite, setenvif, dir, mime (Debian: a2enmod headers
 * rewrite).  The text is one <VirtualHost> plus three LogFormat lines
 * (server level): put it in /etc/apache2/sites-available/czynsze.conf; the port
 * must be in a Listen line (ports.conf).
 */
#ifndef CZYNSZE_APACHE_CONF_H
#define CZYNSZE_APACHE_CONF_H

#include "buf.h"
#include "err.h"

#define APACHE_ACCESS_LOG_DEFAULT "/var/log/czynsze/access.log"

struct apache_opts {
	const char *site_dir;      /* DocumentRoot (absolute) */
	const char *htpasswd_dir;  /* the folder with access.h's "all" (absolute) */
	const char *listen;        /* the VirtualHost address, e.g. "*:80", "127.0.0.1:8080" */
	const char *server_name;   /* e.g. "e.example.pl", or "_": none */
	const char *access_log;    /* file (absolute), or "off" */
	int log_login;             /* 1: log the login and the bundle's path */
	const char *auth_dir;      /* the salt shards served at /auth/ (absolute):
	                              HOME/access/auth; NULL: site_dir/auth */
	const char *links_dir;     /* the folder of the symlinks on the way to
	                              site_dir and auth_dir (absolute): HOME, for
	                              HOME/site and HOME/access; its <Directory>
	                              lets Apache follow them (SymLinksIfOwnerMatch);
	                              NULL: no symlinks on the way */
};

/* Appends the configuration to out.  -1 with ERR_USAGE for a value that
 * could change the configuration's meaning (as nginx_conf). */
int apache_conf(struct buf *out, const struct apache_opts *o, struct err *e);

#endif
