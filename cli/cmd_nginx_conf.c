/* cmd_nginx_conf.c — czynsze nginx-conf and apache-conf: print the web
 * server configuration (nginx_conf.h, apache_conf.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "access.h"
#include "access_live.h"
#include "apache_conf.h"
#include "cli.h"
#include "nginx_conf.h"

static const char usage_line[] =
    "czynsze nginx-conf [--site DIR] [--htpasswd DIR] [--listen ADDR:PORT]\n"
    "       [--server-name NAME] [--tls-cert FILE --tls-key FILE] [--rate N] [--burst N]\n"
    "       [--access-log FILE|off] [--log-login]";

/* out = p made absolute against the working directory. */
static int
absolute(char out[PATH_BYTES_MAX], const char *p, struct err *e)
{
	char cwd[PATH_BYTES_MAX];

	if (p[0] == '/') {
		if ((size_t)snprintf(out, PATH_BYTES_MAX, "%s", p) >= PATH_BYTES_MAX)
			return err_set(e, ERR_USAGE, "path too long");
		return 0;
	}
	if (getcwd(cwd, sizeof cwd) == NULL)
		return err_sys(e, "getcwd");
	return path_join(out, cwd, p, e);
}

int
cmd_nginx_conf(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "htpasswd", required_argument, NULL, 'p' },
		{ "listen", required_argument, NULL, 'l' },
		{ "server-name", required_argument, NULL, 'n' },
		{ "tls-cert", required_argument, NULL, 'c' },
		{ "tls-key", required_argument, NULL, 'k' },
		{ "rate", required_argument, NULL, 'r' },
		{ "burst", required_argument, NULL, 'b' },
		{ "access-log", required_argument, NULL, 'a' },
		{ "log-login", no_argument, NULL, 'L' },
		{ "home", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nginx_opts o = { NULL, NULL, NULL, "_", NULL, NULL, 5, 20,
		NGINX_ACCESS_LOG_DEFAULT, 0, NULL };
	const char *site = NULL, *ht = NULL;
	char site_abs[PATH_BYTES_MAX], ht_abs[PATH_BYTES_MAX];
	char site_home[PATH_BYTES_MAX], ht_home[PATH_BYTES_MAX], auth_abs[PATH_BYTES_MAX];
	char auth_home[PATH_BYTES_MAX];
	struct buf out = BUF_INIT;
	struct home h;
	struct err e;
	int ch, status = 0;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's': site = optarg; break;
		case 'p': ht = optarg; break;
		case 'l': o.listen = optarg; break;
		case 'n': o.server_name = optarg; break;
		case 'c': o.tls_cert = optarg; break;
		case 'k': o.tls_key = optarg; break;
		case 'r':
			if (cli_number(&o.rate_per_s, optarg, 0, 1000000) == -1)
				return cli_usage(usage_line, "--rate: a number of requests per second");
			break;
		case 'b':
			if (cli_number(&o.burst, optarg, 0, 1000000) == -1)
				return cli_usage(usage_line, "--burst: a number of requests");
			break;
		case 'a': o.access_log = optarg; break;
		case 'L': o.log_login = 1; break;
		case 'H': c->home_opt = optarg; break;
		case 'h':
			(void)printf("usage: %s\n\nPrints the nginx configuration for the site "
			    "(include it inside http { }).\nDefaults: --site HOME/site/www (the live "
			    "generation of czynsze nightly),\n--htpasswd HOME/access/htpasswd.d and "
			    "/auth/ from HOME/access/auth (the live\nlogins, changed at once by "
			    "czynsze credentials; with --htpasswd given, /auth/\nis served from the "
			    "site), --listen 80 (443 with TLS),\n--server-name _, --rate 5 "
			    "--burst 20 (requests per second per address on /r/),\n--access-log "
			    NGINX_ACCESS_LOG_DEFAULT " (rotate it: examples/logrotate),\n"
			    "logged without the login; --log-login adds it (and the bundle's\n"
			    "path, which names it).\n", usage_line);
			return 0;
		default: return cli_usage(usage_line, "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage(usage_line, "nginx-conf takes no arguments");
	if (o.listen == NULL)
		o.listen = o.tls_cert != NULL ? "443" : "80";
	err_clear(&e);
	if ((site == NULL || ht == NULL) && (status = cli_home(&h, c, &e)) != 0)
		return status;
	/* Through the HOME/site symlink, never resolved: nginx follows it at
	 * every request, so a nightly switch needs no reload. */
	if ((site == NULL && home_path(&h, "site/www", site_home, &e) == -1) ||
	    (ht == NULL && home_path(&h, ACCESS_LINK "/" ACCESS_HTPASSWD, ht_home, &e) == -1) ||
	    (ht == NULL && (home_path(&h, ACCESS_LINK "/" ACCESS_AUTH, auth_home, &e) == -1 ||
	    absolute(auth_abs, auth_home, &e) == -1)) ||
	    absolute(site_abs, site != NULL ? site : site_home, &e) == -1 ||
	    absolute(ht_abs, ht != NULL ? ht : ht_home, &e) == -1)
		return cli_fail(&e);
	o.site_dir = site_abs;
	o.htpasswd_dir = ht_abs;
	o.auth_dir = ht == NULL ? auth_abs : NULL;
	if (nginx_conf(&out, &o, &e) == -1) {
		status = cli_fail(&e);
		goto out;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		err_sys(&e, "write");
		status = cli_fail(&e);
	}
out:
	buf_free(&out);
	return status;
}

static const char apache_usage_line[] =
    "czynsze apache-conf [--site DIR] [--htpasswd DIR] [--listen ADDR:PORT]\n"
    "       [--server-name NAME] [--access-log FILE|off] [--log-login]";

int
cmd_apache_conf(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "htpasswd", required_argument, NULL, 'p' },
		{ "listen", required_argument, NULL, 'l' },
		{ "server-name", required_argument, NULL, 'n' },
		{ "access-log", required_argument, NULL, 'a' },
		{ "log-login", no_argument, NULL, 'L' },
		{ "home", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct apache_opts o = { NULL, NULL, "*:80", "_", APACHE_ACCESS_LOG_DEFAULT, 0, NULL, NULL };
	const char *site = NULL, *ht = NULL;
	char site_abs[PATH_BYTES_MAX], ht_abs[PATH_BYTES_MAX];
	char site_home[PATH_BYTES_MAX], ht_home[PATH_BYTES_MAX], auth_home[PATH_BYTES_MAX];
	char auth_abs[PATH_BYTES_MAX], home_abs[PATH_BYTES_MAX];
	struct buf out = BUF_INIT;
	struct home h;
	struct err e;
	int ch, status = 0;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's': site = optarg; break;
		case 'p': ht = optarg; break;
		case 'l': o.listen = optarg; break;
		case 'n': o.server_name = optarg; break;
		case 'a': o.access_log = optarg; break;
		case 'L': o.log_login = 1; break;
		case 'H': c->home_opt = optarg; break;
		case 'h':
			(void)printf("usage: %s\n\nPrints the Apache httpd 2.4 configuration for the "
			    "site: one <VirtualHost>\n(Debian: /etc/apache2/sites-available/czynsze.conf; "
			    "a2enmod headers\nrewrite).  Defaults: --site "
			    "HOME/site/www, --htpasswd\nHOME/access/htpasswd.d (its file \"all\"; /auth/ from HOME/access/auth), "
			    "--listen *:80, --access-log\n" APACHE_ACCESS_LOG_DEFAULT " without the "
			    "login (--log-login adds it).\nNo rate limit: Apache has none built in "
			    "(docs/security.md).\n", apache_usage_line);
			return 0;
		default: return cli_usage(apache_usage_line, "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage(apache_usage_line, "apache-conf takes no arguments");
	err_clear(&e);
	if ((site == NULL || ht == NULL) && (status = cli_home(&h, c, &e)) != 0)
		return status;
	/* Through the HOME/site symlink, as for nginx: a nightly switch needs
	 * no reload. */
	if ((site == NULL && home_path(&h, "site/www", site_home, &e) == -1) ||
	    (ht == NULL && home_path(&h, ACCESS_LINK "/" ACCESS_HTPASSWD, ht_home, &e) == -1) ||
	    (ht == NULL && (home_path(&h, ACCESS_LINK "/" ACCESS_AUTH, auth_home, &e) == -1 ||
	    absolute(auth_abs, auth_home, &e) == -1)) ||
	    absolute(site_abs, site != NULL ? site : site_home, &e) == -1 ||
	    absolute(ht_abs, ht != NULL ? ht : ht_home, &e) == -1 ||
	    ((site == NULL || ht == NULL) && absolute(home_abs, h.dir, &e) == -1))
		return cli_fail(&e);
	o.site_dir = site_abs;
	o.htpasswd_dir = ht_abs;
	o.auth_dir = ht == NULL ? auth_abs : NULL;
	o.links_dir = site == NULL || ht == NULL ? home_abs : NULL;
	if (apache_conf(&out, &o, &e) == -1) {
		status = cli_fail(&e);
		goto out;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		err_sys(&e, "write");
		status = cli_fail(&e);
	}
out:
	buf_free(&out);
	return status;
}
