/* cmd_statement.c — czynsze statement PERSON_ID --json */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "nightly.h"
#include "db.h"
#include "statement.h"

static const char usage_line[] = "czynsze statement [--home DIR] --json PERSON_ID";

int
cmd_statement(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "home", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char path[PATH_BYTES_MAX];
	struct statement_query *q = NULL;
	struct statement *s = NULL;
	struct db *db = NULL;
	struct buf out = BUF_INIT;
	struct home h;
	struct err e;
	int ch, json = 0, status;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j': json = 1; break;
		case 'H': c->home_opt = optarg; break;
		case 'h':
			(void)printf("usage: %s\n\nPrints, as UTF-8 JSON, everything the resident "
			    "PERSON_ID (id_osoby) may see:\ntheir cards, premises, balances, "
			    "ledger and charge components.\n", usage_line);
			return 0;
		default: return cli_usage(usage_line, "unknown option");
		}
	}
	if (argc - optind != 1 || !json)
		return cli_usage(usage_line, "statement takes --json and one person id");
	err_clear(&e);
	if ((status = cli_home(&h, c, &e)) != 0)
		return status;
	if (nightly_live_db(&h, path, &e) == -1 ||
	    db_open(&db, path, DB_READONLY, &e) == -1 ||
	    statement_query_open(&q, db, &e) == -1 ||
	    statement_load(&s, q, argv[optind], &e) == -1 ||
	    statement_json(&out, s, 1, &e) == -1) {
		status = cli_fail(&e);
		goto out;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		err_sys(&e, "write");
		status = cli_fail(&e);
		goto out;
	}
	status = 0;
out:
	buf_free(&out);
	statement_free(s);
	statement_query_close(q);
	db_close(db);
	return status;
}
