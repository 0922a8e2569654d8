/* cmd_status.c — czynsze status: the last nightly run, as a Nagios check. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "date.h"
#include "config.h"
#include "generation.h"
#include "status.h"

static const char usage_line[] = "czynsze status [--home DIR] [--max-age-hours H]";

enum { CHECK_OK = 0, CHECK_WARNING = 1, CHECK_CRITICAL = 2 };

/* "2021-12-29T02:10:04Z" -> seconds since the epoch; -1 when malformed. */
static time_t
parse_utc(const char *s)
{
	char iso[20];

	if (strlen(s) != 20 || s[19] != 'Z')
		return (time_t)-1;
	memcpy(iso, s, 19);
	iso[19] = '\0';
	if (timestamp_check_iso(iso) == -1)
		return (time_t)-1;
	return (time_t)timestamp_to_epoch(iso);
}

int
cmd_status(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "home", required_argument, NULL, 'H' },
		{ "max-age-hours", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char live[GENERATION_NAME_MAX];
	struct status s;
	struct home h;
	struct err e;
	time_t last;
	long max_hours = 36;
	double age_h;
	int ch, status;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H': c->home_opt = optarg; break;
		case 'm':
			if (config_number(optarg, 1, 24 * 365, &max_hours) == -1)
				return cli_usage(usage_line, "--max-age-hours: not a number (%s)", optarg);
			break;
		case 'h':
			(void)printf("usage: %s\n\nOne line about the last nightly run, from "
			    "HOME/" STATUS_FILE ", and a\nNagios plugin's exit status: 0 OK, "
			    "1 WARNING (the last run failed or\nwas refused), 2 CRITICAL (no "
			    "success for more than H hours, default 36,\nor no status at all).\n",
			    usage_line);
			return 0;
		default: return cli_usage(usage_line, "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage(usage_line, "status takes no arguments");
	err_clear(&e);
	if ((status = cli_home(&h, c, &e)) != 0)
		return status;
	if (status_read(&h, &s, &e) == -1) {
		(void)printf("CZYNSZE CRITICAL - no nightly status: %s\n", e.msg);
		return CHECK_CRITICAL;
	}
	if (generation_live(&h, live, &e) == -1)
		(void)snprintf(live, sizeof live, "?");
	last = s.last_success_at[0] ? parse_utc(s.last_success_at) : (time_t)-1;
	age_h = last == (time_t)-1 ? -1.0 : difftime(time(NULL), last) / 3600.0;
	if (last == (time_t)-1 || age_h > (double)max_hours) {
		(void)printf("CZYNSZE CRITICAL - no successful nightly run for over %ld h "
		    "(last success %s); last run %s %s: %s\n", max_hours,
		    s.last_success_at[0] ? s.last_success_at : "never", s.outcome, s.finished_at,
		    s.message[0] ? s.message : "ok");
		return CHECK_CRITICAL;
	}
	if (strcmp(s.outcome, "ok") != 0 && strcmp(s.outcome, "unchanged") != 0) {
		(void)printf("CZYNSZE WARNING - last run %s (exit %d) at %s: %s; last success "
		    "%s, site %s\n", s.outcome, s.exit_status, s.finished_at, s.message,
		    s.last_success_at, live);
		return CHECK_WARNING;
	}
	(void)printf("CZYNSZE OK - last run %s at %s, export of %s, site %s | warnings=%llu "
	    "cards=%llu\n", s.outcome, s.finished_at, s.last_success_export, live,
	    (unsigned long long)s.warnings, (unsigned long long)s.cards);
	return CHECK_OK;
}
