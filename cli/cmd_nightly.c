/* cmd_nightly.c — czynsze nightly: the job cron runs (nightly/nightly.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "datadir.h"
#include "lock.h"
#include "nightly.h"

static const char usage_line[] =
    "czynsze nightly [--home DIR] [-v] [--syslog] [--keep N] [--keep-exports K]\n"
    "               [--settle-ms MS] [--templates DIR] [EXPORT_DIR]";

static void
help(void)
{
	(void)printf("usage: %s\n\n"
	    "Imports the KSM export in EXPORT_DIR (default: export_inbox in\n"
	    "HOME/czynsze.conf), generates the site into a new generation beside the\n"
	    "live one, takes the auditors' snapshot and switches HOME/site to the new\n"
	    "generation in one rename.  A failure at any step leaves the live site,\n"
	    "database and snapshots as they were.  Quiet on success.\n\n"
	    "  -v                 one summary line on success\n"
	    "  --syslog           log to syslog (LOG_DAEMON) too\n"
	    "  --keep N           site generations kept for rollback (default %d)\n"
	    "  --keep-exports K   received exports kept in HOME/exports (default %d)\n"
	    "  --settle-ms MS     the export must stay unchanged this long (default %d)\n"
	    "  --templates DIR    site templates (default: installed ones)\n"
	    "  --force            publish an export that czynsze rollback rejected\n"
	    "                     (without it such an export is refused, exit 6)\n\n"
	    "Exit status: 0 ok (or nothing new), 1 bad export, 2 usage, 3 another run\n"
	    "holds the lock, 4 system error (disk full, I/O), 5 internal error,\n"
	    "6 refused (an export older than the live one, or one a rollback rejected),\n"
	    "7 export not ready (still arriving).\n"
	    "Log: HOME/czynsze.log.  Status for monitoring: HOME/status.json.\n",
	    usage_line, KEEP_GENERATIONS_DEFAULT, KEEP_EXPORTS_DEFAULT, SETTLE_MS_DEFAULT);
}

/* What to do, per kind of failure and the step that failed: one line for
 * the cron mail. */
static const char *
advice(enum err_kind k, const char *step)
{
	if (k == ERR_DATA && step != NULL && strcmp(step, "generate") == 0)
		return "the site could not be generated (the template and line are named "
		    "above); the export was not published and yesterday's site and database "
		    "stay live. Correct the template, then run czynsze nightly again";
	switch (k) {
	case ERR_DATA:
		return "the export is bad and was not imported; yesterday's site stays live. "
		    "Ask for a corrected export (all errors are in HOME/czynsze.log)";
	case ERR_LOCKED:
		return "another run is still working; nothing was done";
	case ERR_SYSTEM:
		return "nothing live was changed; check free space (df) and permissions "
		    "of the data home, then run again";
	case ERR_REFUSED:
		return "nothing was changed; to go back to an older export on purpose use "
		    "czynsze import --force, then czynsze nightly";
	case ERR_NOT_READY:
		return "the export is still arriving; nothing was done, the next run takes it";
	default:
		return "nothing live was changed; please report this with HOME/czynsze.log";
	}
}

static int
opt_number(const char *s, long min, long max, long *out, const char *what)
{
	if (config_number(s, min, max, out) == -1)
		return cli_usage(usage_line, "%s: not a number from %ld to %ld (%s)", what, min,
		    max, s);
	return 0;
}

int
cmd_nightly(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "home", required_argument, NULL, 'H' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "syslog", no_argument, NULL, 's' },
		{ "keep", required_argument, NULL, 'k' },
		{ "keep-exports", required_argument, NULL, 'x' },
		{ "settle-ms", required_argument, NULL, 'S' },
		{ "templates", required_argument, NULL, 't' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char lock_path[PATH_BYTES_MAX], templates[PATH_BYTES_MAX];
	const char *keep = NULL, *keep_exports = NULL, *settle = NULL, *templates_opt = NULL;
	struct nightly_opts o;
	struct nightly_result r;
	struct runlog log = { -1, 0, "nightly" };
	struct config cfg;
	struct home h;
	struct err e;
	long n;
	int ch, use_syslog = 0, lock_fd = -1, status;

	memset(&o, 0, sizeof o);
	memset(&r, 0, sizeof r);
	while ((ch = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H': c->home_opt = optarg; break;
		case 'v': c->verbose = 1; break;
		case 's': use_syslog = 1; break;
		case 'k': keep = optarg; break;
		case 'x': keep_exports = optarg; break;
		case 'S': settle = optarg; break;
		case 't': templates_opt = optarg; break;
		case 'f': o.force = 1; break;
		case 'h': help(); return 0;
		default: return cli_usage(usage_line, "unknown option");
		}
	}
	if (argc - optind > 1)
		return cli_usage(usage_line, "nightly takes one export folder");
	err_clear(&e);
	if ((status = cli_home(&h, c, &e)) != 0)
		return status;
	if (config_load(&cfg, &h, &e) == -1 || config_require_site(&cfg, &e) == -1)
		return cli_fail(&e);
	o.config = &cfg;
	o.export_dir = optind < argc ? argv[optind] : cfg.export_inbox;
	if (o.export_dir[0] == '\0')
		return cli_usage(usage_line, "no EXPORT_DIR given and no export_inbox in "
		    "HOME/" CONFIG_FILE);
	o.keep_generations = (size_t)cfg.keep_generations;
	o.keep_exports = (size_t)cfg.keep_exports;
	o.settle_ms = cfg.settle_ms;
	if (keep != NULL) {
		if ((status = opt_number(keep, 1, 100, &n, "--keep")) != 0)
			return status;
		o.keep_generations = (size_t)n;
	}
	if (keep_exports != NULL) {
		if ((status = opt_number(keep_exports, 0, 1000, &n, "--keep-exports")) != 0)
			return status;
		o.keep_exports = (size_t)n;
	}
	if (settle != NULL) {
		if ((status = opt_number(settle, 0, 600000, &n, "--settle-ms")) != 0)
			return status;
		o.settle_ms = (unsigned)n;
	}
	if (templates_opt != NULL)
		o.templates_dir = templates_opt;
	else if (cfg.templates[0] != '\0')
		o.templates_dir = cfg.templates;
	else if (datadir_templates(templates, &e) == -1)
		return cli_fail(&e);
	else
		o.templates_dir = templates;
	o.progress = isatty(STDERR_FILENO) ? stderr : NULL;

	if (runlog_open(&log, &h, "nightly", use_syslog || cfg.syslog, &e) == -1)
		(void)fprintf(stderr, "czynsze nightly: warning: no log file: %s\n", e.msg);
	err_clear(&e);
	if (home_path(&h, HOME_LOCK, lock_path, &e) == -1 ||
	    lock_acquire(&lock_fd, lock_path, 0, &e) == -1) {
		runlog_printf(&log, RUNLOG_WARNING, "not started: %s", e.msg);
		(void)fprintf(stderr, "czynsze nightly: %s\n", e.msg);
		status = e.kind;
		goto out;
	}
	if (nightly_job(&h, &o, &log, &r, &e) == -1) {
		status = e.kind == ERR_NONE ? ERR_INTERNAL : (int)e.kind;
		if (r.rejected) {   /* one line: the message says what to do */
			(void)fprintf(stderr, "czynsze nightly: refused: %s\n", e.msg);
			goto out;
		}
		if (r.diag.errors > 0)
			(void)fputs(r.diag.error_text.data, stderr);
		(void)fprintf(stderr, "czynsze nightly: failed: %s\n", e.msg);
		(void)fprintf(stderr, "czynsze nightly: %s\n", advice(e.kind, r.failed_step));
		goto out;
	}
	if (c->verbose)
		(void)printf("czynsze nightly: %s: export of %s, %llu cards, %llu bookings, "
		    "%llu warnings; site %s live (%llu files written, %lu carried over by hard link); "
		    "%.1f s\n", r.st.outcome, r.st.export_generated_at,
		    (unsigned long long)r.st.cards, (unsigned long long)r.st.bookings,
		    (unsigned long long)r.st.warnings, r.st.live_generation,
		    (unsigned long long)r.st.files_written, r.linked, r.seconds);
	status = 0;
out:
	nightly_result_free(&r);
	lock_release(lock_fd);
	runlog_close(&log);
	return status;
}
