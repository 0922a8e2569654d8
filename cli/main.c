/* main.c — czynsze: global options, then one subcommand. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

struct command {
	const char *name;
	int (*run)(struct cli *, int, char **);
	const char *summary;
};

static const struct command commands[] = {
	{ "import", cmd_import, "load a KSM export folder into the database" },
	{ "audit", cmd_audit, "snapshots for auditors: log, diff, verify, snapshot, gc" },
	{ "statement", cmd_statement, "print what one resident may see (JSON)" },
	{ "generate", cmd_generate, "write the residents' site from the database" },
	{ "credentials", cmd_credentials, "residents' logins: issue, reset, revoke, list" },
	{ "nginx-conf", cmd_nginx_conf, "print the nginx configuration for the site" },
	{ "apache-conf", cmd_apache_conf, "print the Apache httpd 2.4 configuration for the site" },
	{ "nightly", cmd_nightly, "import, generate and publish: the job cron runs" },
	{ "rollback", cmd_rollback, "switch the site back to the previous generation" },
	{ "status", cmd_status, "the last nightly run, as a monitoring check" },
	{ "publish", cmd_publish, "copy the site to the web server (rsync over ssh)" },
};

static void
usage(FILE *f)
{
	size_t i;

	(void)fprintf(f,
	    "usage: czynsze [--home DIR] [-v] COMMAND [ARGS]\n"
	    "       czynsze --help | --version\n\n"
	    "Rent statements for the residents of a housing cooperative, from the\n"
	    "nightly KSM export.\n\n"
	    "commands:\n");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		(void)fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	(void)fprintf(f,
	    "\noptions:\n"
	    "  --home DIR   data home (default: $CZYNSZE_HOME, else " HOME_DEFAULT ")\n"
	    "  -v           say more\n\n"
	    "`czynsze COMMAND --help` describes a command.  Exit status: 0 ok,\n"
	    "1 bad export or input, 2 usage, 3 another run holds the lock,\n"
	    "4 system error (I/O, disk full), 5 internal error, 6 refused,\n"
	    "7 export not ready.  czynsze(1) has the whole manual.\n");
}

int
cli_fail(const struct err *e)
{
	(void)fprintf(stderr, "czynsze: %s\n", e->msg);
	return e->kind == ERR_NONE ? ERR_INTERNAL : (int)e->kind;
}

int
cli_home(struct home *h, const struct cli *c, struct err *e)
{
	if (home_resolve(h, c->home_opt, e) == -1)
		return cli_fail(e);
	return 0;
}

int
cli_number(unsigned *out, const char *s, unsigned min, unsigned max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v < min || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int
cli_usage(const char *usage_line, const char *fmt, ...)
{
	va_list ap;

	(void)fputs("czynsze: ", stderr);
	va_start(ap, fmt);
	(void)vfprintf(stderr, fmt, ap);
	va_end(ap);
	(void)fprintf(stderr, "\nusage: %s\n", usage_line);
	return ERR_USAGE;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "home", required_argument, NULL, 'H' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { NULL, 0 };
	size_t i;
	int ch;

	/* Everything created is owner-only unless made for the web server
	 * on purpose (the site, HOME/access: docs/security.md, "Modes"). */
	(void)umask(077);
	while ((ch = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H':
			c.home_opt = optarg;
			break;
		case 'v':
			c.verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			(void)printf("czynsze %s\n", CZYNSZE_VERSION);
			return 0;
		default:
			usage(stderr);
			return ERR_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return ERR_USAGE;
	}
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[optind], commands[i].name) == 0) {
			argv += optind;
			argc -= optind;
			optind = 0; /* restart getopt for the command (GNU) */
			return commands[i].run(&c, argc, argv);
		}
	}
	(void)fprintf(stderr, "czynsze: '%s' is not a command; see czynsze --help\n", argv[optind]);
	return ERR_USAGE;
}
