/* cmd_rollback.c — czynsze rollback: the site back to the previous generation. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "generation.h"
#include "lock.h"
#include "nightly.h"
#include "rejected.h"
#include "runlog.h"

static const char usage_line[] = "czynsze rollback [--home DIR]";

int
cmd_rollback(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "home", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char lock_path[PATH_BYTES_MAX], live[GENERATION_NAME_MAX];
	char sha[REJECTED_SHA_LEN + 1];
	struct generations *g = NULL;
	struct runlog log = { -1, 0, "rollback" };
	const char *to = NULL;
	struct home h;
	struct err e;
	size_t i;
	int ch, lock_fd = -1, status;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H': c->home_opt = optarg; break;
		case 'h':
			(void)printf("usage: %s\n\nSwitches HOME/site to the generation before the "
			    "live one (kept by\nczynsze nightly --keep N).  Only the site changes: "
			    "the database and\nsnapshots stay.  The export the live generation "
			    "was made from is\nrecorded as rejected (HOME/" REJECTED_FILE "): "
			    "czynsze nightly refuses it\n(exit 6) until a newer export arrives, "
			    "or publishes it with --force.\n", usage_line);
			return 0;
		default: return cli_usage(usage_line, "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage(usage_line, "rollback takes no arguments");
	err_clear(&e);
	if ((status = cli_home(&h, c, &e)) != 0)
		return status;
	g = malloc(sizeof *g);
	if (g == NULL) {
		err_set(&e, ERR_SYSTEM, "out of memory");
		return cli_fail(&e);
	}
	(void)runlog_open(&log, &h, "rollback", 0, &e);
	if (home_path(&h, HOME_LOCK, lock_path, &e) == -1 ||
	    nightly_lock(&lock_fd, lock_path, &h, 0, &e) == -1 ||
	    generation_live(&h, live, &e) == -1 || generation_list(&h, g, &e) == -1) {
		status = cli_fail(&e);
		goto out;
	}
	for (i = 0; i < g->n; i++)
		if (generation_cmp(g->name[i], live) < 0)
			to = g->name[i];
	if (live[0] == '\0' || to == NULL) {
		err_set(&e, ERR_REFUSED, "no generation older than the live one (%s) to go back "
		    "to", live[0] ? live : "none");
		status = cli_fail(&e);
		goto out;
	}
	/* rejected first: a rollback that cannot record it does not happen */
	if (rejected_generation_sha(&h, live, sha, &e) == -1 ||
	    (sha[0] != '\0' && rejected_add(&h, sha, live, &e) == -1) ||
	    generation_switch(&h, to, &e) == -1) {
		status = cli_fail(&e);
		goto out;
	}
	runlog_printf(&log, RUNLOG_WARNING, "site rolled back from %s to %s%s%s", live, to,
	    sha[0] != '\0' ? "; export rejected, manifest sha256 " : "", sha);
	(void)printf("czynsze rollback: the site now serves %s (was %s)\n", to, live);
	if (sha[0] != '\0')
		(void)printf("czynsze rollback: nightly refuses the export of %s until a newer "
		    "one arrives (or: czynsze nightly --force)\n", live);
	else
		(void)printf("czynsze rollback: %s does not record its export (made by an older "
		    "czynsze): nightly may publish it again\n", live);
	status = 0;
out:
	free(g);
	lock_release(lock_fd);
	runlog_close(&log);
	return status;
}
