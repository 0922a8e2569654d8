/*
 * nginx_conf.h — the nginx configuration that serves the site.
 *
 * The text is meant to be included inside nginx's http { } block (Debian:
 * /etc/nginx/conf.d/czynsze.conf): a limit_req_zone and two maps at http
 * level, then one server block.  What it does:
 *
 *   /            the public site, autoindex off, security headers
 *   /auth/       the public salt shards (access.h), no-cache, from auth_dir
 *                (HOME/access/auth: logins live outside the generations,
 *                access_live.h) or from the document root
 *   /r/<login>.bin, /r/<login>.<V>.bin  auth_basic against the htpasswd files (access.h: one per
 *                two-character login prefix, chosen by a map on
 *                $remote_user; a user name that is not a login gets the
 *                empty file "_"); limit_req per client
 *                address against guessing (excess answers 429); then a map
 *                of "$remote_user:$uri" lets a login read only its own
 *                folder: another folder (or a missing file) answers 403, no
 *                or wrong credentials 401.  The check runs in try_files,
 *                i.e. after authentication (an `if` would run before it).
 *                Cache-Control: no-store.
 *
 * Logs: access_log uses the log format czynsze_privacy (address, time,
 * method, path, status, size, user agent) without the login: $remote_user
 * is left out, and /r/<login>.bin is logged as /r/(any).bin (the path names
 * the login too).  log_login = 1 uses czynsze_login instead, with both.
 * limit_req_log_level warn: rejected guesses do not flood an error log
 * kept at nginx's default level (error).  Retention: examples/logrotate.
 *
 * No native browser login dialog: nginx answers 401 with the standard
 * `WWW-Authenticate: Basic` challenge (RFC 9110 requires one), and the
 * page's fetch() uses credentials: 'omit' with an explicit Authorization
 * header; the Fetch standard prompts only when credentials are included,
 * and Chromium and Firefox follow it (docs/security.md).
 *
 * TLS: with tls_cert and tls_key the server listens with ssl and modern
 * settings; without, the same settings are printed commented out with
 * placeholders (the tests run the plain-HTTP form on 127.0.0.1).
 */
#ifndef CZYNSZE_NGINX_CONF_H
#define CZYNSZE_NGINX_CONF_H

#include "buf.h"
#include "err.h"

/* The default access log: its own folder, so that Debian's
 * /etc/logrotate.d/nginx (every .log in /var/log/nginx) does not rotate it too. */
#define NGINX_ACCESS_LOG_DEFAULT "/var/log/czynsze/access.log"

struct nginx_opts {
	const char *site_dir;      /* document root (absolute) */
	const char *htpasswd_dir;  /* the htpasswd files (absolute): HOME/access/htpasswd.d */
	const char *listen;        /* e.g. "443", "127.0.0.1:8080" */
	const char *server_name;   /* e.g. "e.example.pl", or "_" */
	const char *tls_cert;      /* NULL for placeholders */
	const char *tls_key;
	unsigned rate_per_s;       /* limit_req rate per client address on /r/ */
	unsigned burst;            /* limit_req burst */
	const char *access_log;    /* file (absolute), or "off" */
	int log_login;             /* 1: log the login and the bundle's path */
	const char *auth_dir;      /* the salt shards served at /auth/ (absolute):
	                              HOME/access/auth; NULL: site_dir/auth */
};

/* Appends the configuration to out.  -1 with ERR_USAGE when a value
 * holds characters that could change the configuration's meaning
 * (quotes, ';', braces, '$', '\\', whitespace or control characters in
 * paths, access_log included unless "off"; anything but [A-Za-z0-9.:[\]_-] in listen and server_name) or
 * a path is not absolute. */
int nginx_conf(struct buf *out, const struct nginx_opts *o, struct err *e);

#endif
