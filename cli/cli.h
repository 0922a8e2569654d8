/*
 * cli.h — the czynsze command line: one binary, subcommands like git.
 *
 * Each command is `int cmd_NAME(struct cli *, int argc, char **argv)`;
 * argv[0] is the command's name, its options follow.  It returns the
 * process exit status (enum err_kind values; 0 on success) and prints its
 * own messages: errors to stderr as "czynsze: ...".
 */
#ifndef CZYNSZE_CLI_H
#define CZYNSZE_CLI_H

#include "err.h"
#include "home.h"

struct cli {
	const char *home_opt;   /* --home, or NULL */
	int verbose;            /* -v */
};

/* Prints "czynsze: MSG" to stderr and returns e->kind as exit status. */
int cli_fail(const struct err *e);

/* Resolves and creates the data home; on error prints and returns its
 * exit status, else 0. */
int cli_home(struct home *h, const struct cli *c, struct err *e);

/* Parses s, a whole decimal number from min to max (no sign, nothing
 * after it), into *out: 0, or -1 for the caller to report with
 * cli_usage. */
int cli_number(unsigned *out, const char *s, unsigned min, unsigned max);

/* Usage error: prints "czynsze CMD: MSG" and the usage line; returns 2. */
int cli_usage(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int cmd_audit(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_statement(struct cli *c, int argc, char **argv);
int cmd_generate(struct cli *c, int argc, char **argv);
int cmd_credentials(struct cli *c, int argc, char **argv);
int cmd_nginx_conf(struct cli *c, int argc, char **argv);
int cmd_apache_conf(struct cli *c, int argc, char **argv);
int cmd_nightly(struct cli *c, int argc, char **argv);
int cmd_rollback(struct cli *c, int argc, char **argv);
int cmd_status(struct cli *c, int argc, char **argv);
int cmd_publish(struct cli *c, int argc, char **argv);

#endif
