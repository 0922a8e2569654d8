/* cmd_publish.c — czynsze publish: the live site to the web server. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "config.h"
#include "lock.h"
#include "publish.h"

static const char usage_line[] = "czynsze publish [--home DIR] [-v] [--to [USER@]HOST:/PATH|DIR]";

int
cmd_publish(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "home", required_argument, NULL, 'H' },
		{ "to", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char lock_path[PATH_BYTES_MAX];
	const char *to = NULL;
	struct config cfg;
	struct home h;
	struct err e;
	int ch, lock_fd = -1, status;

	while ((ch = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H': c->home_opt = optarg; break;
		case 't': to = optarg; break;
		case 'v': c->verbose = 1; break;
		case 'h':
			(void)printf("usage: %s\n\nCopies the site generations (HOME/sites, never the "
			    "database, keys,\nsnapshots or exports) with rsync over ssh and switches "
			    "DEST/site to\nthe live generation in one rename on the far side.  "
			    "Default DEST:\npublish_to in HOME/czynsze.conf.  Run it after czynsze "
			    "nightly.\n", usage_line);
			return 0;
		default: return cli_usage(usage_line, "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage(usage_line, "publish takes no arguments");
	err_clear(&e);
	if ((status = cli_home(&h, c, &e)) != 0)
		return status;
	if (config_load(&cfg, &h, &e) == -1)
		return cli_fail(&e);
	if (to == NULL)
		to = cfg.publish_to;
	if (to[0] == '\0')
		return cli_usage(usage_line, "no --to and no publish_to in HOME/" CONFIG_FILE);
	if (home_path(&h, HOME_LOCK, lock_path, &e) == -1 ||
	    lock_acquire(&lock_fd, lock_path, 1, &e) == -1 ||
	    publish_site(&h, to, c->verbose, &e) == -1)
		status = cli_fail(&e);
	lock_release(lock_fd);
	return status;
}
