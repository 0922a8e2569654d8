/* cmd_generate.c — czynsze generate: the site from the imported database */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "config.h"
#include "nightly.h"
#include "datadir.h"
#include "db.h"
#include "generate.h"
#include "lock.h"

#define SITE_BUILD_DIR "site-build"
#define PRINT_DIR "print"
#define HTPASSWD_DIR "htpasswd.d"

static const char usage_line[] =
    "czynsze generate [--home DIR] [--out DIR] [--templates DIR] [--htpasswd DIR]\n"
    "                        [--plain] [--jobs N] [--full] [--wait] [-v]";

static void
help(void)
{
	(void)printf("usage: %s\n\n"
	    "Writes the residents' site from HOME/" HOME_DB ": the public pages rendered\n"
	    "from the templates (TEMPLATES/*.html, partials _*.html left out), the\n"
	    "templates' subfolders (css/, js/) as they are, and for every person who\n"
	    "has a login (czynsze credentials) their statement, sealed for them, in\n"
	    "OUT/r/LOGIN.bin; the public salt files in OUT/auth/ and the\n"
	    "htpasswd files for nginx.  Files whose content did not change are left\n"
	    "alone, so a second run writes nothing.\n\n"
	    "  --out DIR        output folder (default HOME/" SITE_BUILD_DIR ",\n"
	    "                   with --plain HOME/" PRINT_DIR ")\n"
	    "  --templates DIR  templates (default: the installed ones, found beside\n"
	    "                   the binary, else ./site-templates)\n"
	    "  --htpasswd DIR   htpasswd files (default HOME/" HTPASSWD_DIR ")\n"
	    "  --plain          the office's printable statements, in clear, for\n"
	    "                   every card holder (OUT/r/PERSON/statement.html);\n"
	    "                   never publish this folder\n"
	    "  --jobs N         worker threads (default: one per processor)\n"
	    "  --full           render every resident again, even those whose data\n"
	    "                   did not change since the last run into OUT\n"
	    "  --wait           wait for another running czynsze instead of refusing\n"
	    "  -v               name every file written and count them\n", usage_line);
}

int
cmd_generate(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "home", required_argument, NULL, 'H' },
		{ "out", required_argument, NULL, 'o' },
		{ "templates", required_argument, NULL, 't' },
		{ "plain", no_argument, NULL, 'p' },
		{ "htpasswd", required_argument, NULL, 'P' },
		{ "wait", no_argument, NULL, 'w' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "full", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char db_path[PATH_BYTES_MAX], lock_path[PATH_BYTES_MAX], out_dir[PATH_BYTES_MAX];
	char keys_path[PATH_BYTES_MAX], htpasswd_dir[PATH_BYTES_MAX];
	const char *htpasswd_opt = NULL;
	char templates[PATH_BYTES_MAX];
	struct generate g = { 0 };
	struct config cfg;
	const char *out_opt = NULL;
	unsigned jobs;
	struct home h;
	struct err e;
	int ch, wait = 0, lock_fd = -1, status;

	g.verbose = c->verbose;
	while ((ch = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H': c->home_opt = optarg; break;
		case 'o': out_opt = optarg; break;
		case 't': g.templates_dir = optarg; break;
		case 'p': g.plain = 1; break;
		case 'P': htpasswd_opt = optarg; break;
		case 'w': wait = 1; break;
		case 'j':
			if (cli_number(&jobs, optarg, 1, GENERATE_JOBS_MAX) == -1)
				return cli_usage(usage_line, "--jobs: a number from 1 to 16");
			g.jobs = (int)jobs;
			break;
		case 'f': g.full = 1; break;
		case 'v': g.verbose = 1; break;
		case 'h': help(); return 0;
		default: return cli_usage(usage_line, "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage(usage_line, "generate takes no arguments");
	err_clear(&e);
	if (g.templates_dir == NULL) {
		/* installed layout (lib/datadir.h) */
		if (datadir_templates(templates, &e) == -1)
			return cli_fail(&e);
		g.templates_dir = templates;
	}
	if ((status = cli_home(&h, c, &e)) != 0)
		return status;
	if (config_load(&cfg, &h, &e) == -1 || config_require_site(&cfg, &e) == -1)
		return cli_fail(&e);
	g.config = &cfg;
	if (home_path(&h, HOME_LOCK, lock_path, &e) == -1 ||
	    nightly_lock(&lock_fd, lock_path, &h, wait, &e) == -1 ||
	    home_path(&h, HOME_DB, db_path, &e) == -1 ||
	    (out_opt == NULL && home_path(&h, g.plain ? PRINT_DIR : SITE_BUILD_DIR, out_dir,
	    &e) == -1) ||
	    home_path(&h, HOME_KEYS_DB, keys_path, &e) == -1 ||
	    home_path(&h, HTPASSWD_DIR, htpasswd_dir, &e) == -1 ||
	    db_open(&g.db, db_path, DB_READONLY, &e) == -1) {
		status = cli_fail(&e);
		goto out;
	}
	g.out_dir = out_opt != NULL ? out_opt : out_dir;
	g.keys_db_path = keys_path;
	g.db_path = db_path;
	g.home = &h;
	g.htpasswd_dir = htpasswd_opt != NULL ? htpasswd_opt : htpasswd_dir;
	if (generate_run(&g, &e) == -1) {
		status = cli_fail(&e);
		goto out;
	}
	if (g.verbose)
		(void)printf("generate: %lu residents; %lu files written, %lu unchanged, "
		    "%lu folders removed; %lu residents unchanged since the last run "
		    "(%lu of them re-sealed for this export)\n",
		    g.residents, g.written, g.unchanged, g.removed, g.skipped, g.resealed);
	status = 0;
out:
	generate_free(&g);
	db_close(g.db);
	lock_release(lock_fd);
	return status;
}
