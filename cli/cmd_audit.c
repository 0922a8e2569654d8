/* cmd_audit.c — czynsze audit log | diff | verify | gc */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "nightly.h"
#include "diff.h"
#include "fsutil.h"
#include "lock.h"
#include "report.h"
#include "snapshot.h"
#include "snapshot_cards.h"
#include "verify.h"

/* Exit statuses beyond enum err_kind, for cron: mail only when it matters. */
#define AUDIT_EXIT_RETROACTIVE 10   /* diff: changes in closed periods */
#define AUDIT_EXIT_DISAGREE 11      /* verify: KSM's figures disagree */

static const char usage_line[] =
    "czynsze audit log | diff [FROM [TO]] [--json] [--closed-before YYYY-MM] |\n"
    "       report [FROM [TO]] (--html FILE | --json) [--closed-before YYYY-MM] |\n"
    "       verify [SNAPSHOT] [--json] | snapshot [--full] [--no-gc] [--jobs N] |\n"
    "       gc [--full]";

static void
help(void)
{
	(void)printf("usage: %s\n\n"
	    "The auditors' view of HOME/" HOME_SNAPSHOTS ": one git commit per imported\n"
	    "export, tagged ksm-YYYYMMDD, dated with the export's own timestamp.\n\n"
	    "  log      snapshots on the main branch, newest first: tag, export time,\n"
	    "           summary\n"
	    "  diff     what changed from FROM to TO (default: the newest snapshot and\n"
	    "           the one before it; a single argument is FROM, TO the newest).\n"
	    "           Bookings added, deleted, changed (fields old -> new) by\n"
	    "           id_operacji; balances; people, premises, cards, charge\n"
	    "           components, announcements, warnings; meter readings (by\n"
	    "           id_odczytu) and documents (by id) of format 2 exports.  A\n"
	    "           booking or component whose billing period (old or new) is\n"
	    "           before the closing month, and a reading changed or deleted\n"
	    "           whose date (old or new) is, is a change in a CLOSED period,\n"
	    "           listed first.  The closing month is --closed-before YYYY-MM,\n"
	    "           by default TO's export month: for an export of 2021-12-29,\n"
	    "           periods up to 2021-11 are closed.\n"
	    "  verify   recompute every card's balance from its bookings and every\n"
	    "           month's NAL from its charge components (default: the newest\n"
	    "           snapshot) and list where KSM's figures disagree\n"
	    "  report   one document for auditors, FROM and TO as for diff: the two\n"
	    "           exports and their manifests, counts of changes, the changes in\n"
	    "           closed periods first (old -> new), the others, balances, verify's\n"
	    "           disagreements for TO, charts and tables of monthly totals, the\n"
	    "           snapshots in between.  --html FILE writes one self-contained\n"
	    "           HTML file (owner-only; prints on A4), --json prints JSON\n"
	    "  snapshot commit the snapshot of HOME/" HOME_DB " now (import does this\n"
	    "           itself; for the nightly job and after import --no-snapshot).\n"
	    "           Only cards whose data changed are written again; --full\n"
	    "           writes every file from the database (the same tree and commit);\n"
	    "           --jobs N writes the cards on N threads (default: one per\n"
	    "           processor, at most %d; the same tree, commit and pack)\n"
	    "  gc       pack loose objects into a new pack (done automatically after a\n"
	    "           commit leaves more than %d of them); --full repacks everything\n"
	    "           into one pack with deltas between nights (slow; monthly)\n\n"
	    "Snapshots are named as git names them: ksm-20211228, a commit id, main~1.\n"
	    "--json prints a machine-readable report instead (closed_period is 0/1).\n\n"
	    "Exit status: 0 nothing notable; %d diff found changes in closed periods;\n"
	    "%d verify found disagreements; otherwise as every czynsze command\n"
	    "(2 usage, 4 system error, ...).\n", usage_line, SNAPSHOT_THREADS_MAX, SNAPSHOT_LOOSE_MAX,
	    AUDIT_EXIT_RETROACTIVE, AUDIT_EXIT_DISAGREE);
}

static int
print_buf(struct buf *b, struct err *e)
{
	if (b->len > 0 && fwrite(b->data, 1, b->len, stdout) != b->len)
		return err_sys(e, "stdout");
	if (fflush(stdout) != 0)
		return err_sys(e, "stdout");
	return 0;
}

static int
log_one(void *ctx, const struct snapshot_info *s, struct err *e)
{
	(void)ctx;
	(void)e;
	(void)printf("%-20s %s  %.12s  %s\n", s->tag[0] != '\0' ? s->tag : "(untagged)",
	    s->generated_at, s->commit, s->summary);
	return 0;
}

static int
run_log(struct snapshot_repo *repo, struct err *e)
{
	if (snapshot_log(repo, log_one, NULL, e) == -1)
		return cli_fail(e);
	return fflush(stdout) == 0 ? 0 : ERR_SYSTEM;
}

static int
run_diff(struct snapshot_repo *repo, const char *from_rev, const char *to_rev, int json,
    const char *closed_before, struct err *e)
{
	struct snapshot_info from, to;
	struct audit_diff d;
	struct buf out = BUF_INIT;
	int status;

	memset(&d, 0, sizeof d);
	if (snapshot_resolve(repo, to_rev, &to, e) == -1 ||
	    (from_rev != NULL ? snapshot_resolve(repo, from_rev, &from, e) :
	    snapshot_parent(repo, &to, &from, e)) == -1 ||
	    audit_diff_run(&d, repo, &from, &to, closed_before, e) == -1) {
		status = cli_fail(e);
		goto out;
	}
	if ((json ? audit_diff_json(&out, &d) : audit_diff_text(&out, &d)) == -1) {
		err_set(e, ERR_SYSTEM, "audit diff: out of memory");
		status = cli_fail(e);
		goto out;
	}
	if (print_buf(&out, e) == -1) {
		status = cli_fail(e);
		goto out;
	}
	status = d.closed > 0 ? AUDIT_EXIT_RETROACTIVE : 0;
out:
	buf_free(&out);
	audit_diff_free(&d);
	return status;
}

static int
run_verify(struct snapshot_repo *repo, const char *rev, int json, struct err *e)
{
	struct snapshot_info s;
	struct audit_verify v;
	struct buf out = BUF_INIT;
	int status;

	memset(&v, 0, sizeof v);
	if (snapshot_resolve(repo, rev, &s, e) == -1 || audit_verify_run(&v, repo, &s, e) == -1) {
		status = cli_fail(e);
		goto out;
	}
	if ((json ? audit_verify_json(&out, &v) : audit_verify_text(&out, &v)) == -1) {
		err_set(e, ERR_SYSTEM, "audit verify: out of memory");
		status = cli_fail(e);
		goto out;
	}
	if (print_buf(&out, e) == -1) {
		status = cli_fail(e);
		goto out;
	}
	status = v.nfindings > 0 ? AUDIT_EXIT_DISAGREE : 0;
out:
	buf_free(&out);
	audit_verify_free(&v);
	return status;
}

static int
run_report(struct snapshot_repo *repo, const char *from_rev, const char *to_rev,
    const char *html_file, int json, const char *closed_before, struct err *e)
{
	struct snapshot_info from, to;
	struct audit_report r;
	struct buf out = BUF_INIT;
	int status = 0;

	memset(&r, 0, sizeof r);
	if (snapshot_resolve(repo, to_rev, &to, e) == -1 ||
	    (from_rev != NULL ? snapshot_resolve(repo, from_rev, &from, e) :
	    snapshot_parent(repo, &to, &from, e)) == -1 ||
	    audit_report_run(&r, repo, &from, &to, closed_before, e) == -1) {
		status = cli_fail(e);
		goto out;
	}
	if (html_file != NULL) {
		if (audit_report_html(&out, &r) == -1) {
			err_set(e, ERR_SYSTEM, "audit report: out of memory");
			status = cli_fail(e);
			goto out;
		}
		/* Names and addresses: owner-only, like the rest of the home. */
		if (write_file_atomic(html_file, out.data, out.len, 0600, e) == -1) {
			status = cli_fail(e);
			goto out;
		}
		buf_reset(&out);
	}
	if (json && (audit_report_json(&out, &r) == -1 || print_buf(&out, e) == -1)) {
		if (out.len == 0)
			err_set(e, ERR_SYSTEM, "audit report: out of memory");
		status = cli_fail(e);
	}
out:
	buf_free(&out);
	audit_report_free(&r);
	return status;
}

/* gc and snapshot write the repository: they hold the home's lock (and
 * leave the logins' files alone: nightly_lock_db). */
static int
run_locked(const struct home *h, int wait, int gc, int full, int no_gc, unsigned jobs,
    struct err *e)
{
	struct snapshot_gc_result g;
	struct snapshot_result r;
	char lock_path[PATH_BYTES_MAX];
	int lock_fd = -1, status = 0;

	if (home_path(h, HOME_LOCK, lock_path, e) == -1 ||
	    nightly_lock_db(&lock_fd, lock_path, h, wait, e) == -1)
		return cli_fail(e);
	if (gc) {
		if (snapshot_gc(h, full, &g, e) == -1)
			status = cli_fail(e);
		else
			(void)printf("packed %zu objects (%zu were loose); %zu loose objects left\n",
			    g.packed, g.loose_before, g.loose_after);
	} else if (snapshot_commit_flags(h, (full ? SNAPSHOT_FULL : 0) |
	    (no_gc ? SNAPSHOT_NO_GC : 0), jobs, &r, e) == -1) {
		status = cli_fail(e);
	} else {
		(void)printf("%s %s: commit %s, tree %s, %zu files (%zu cards unchanged, "
		    "%zu more with charges unchanged), %zu new objects in one pack, "
		    "%zu folders unchanged, %zu table files unchanged%s%s\n", r.tag,
		    r.created ? "committed" : "already present", r.commit, r.tree, r.files,
		    r.reused, r.charges_reused, r.new_objects, r.folders_reused, r.files_reused,
		    r.packs_merged > 0 ? "; packs merged" : "",
		    r.gc_ran ? "; loose objects packed" : "");
	}
	lock_release(lock_fd);
	return status;
}

int
cmd_audit(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "html", required_argument, NULL, 'T' },
		{ "closed-before", required_argument, NULL, 'c' },
		{ "wait", no_argument, NULL, 'w' },
		{ "full", no_argument, NULL, 'F' },
		{ "no-gc", no_argument, NULL, 'G' },
		{ "jobs", required_argument, NULL, 'J' },
		{ "home", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct snapshot_repo *repo = NULL;
	const char *sub, *closed_before = NULL, *html_file = NULL;
	struct home h;
	struct err e;
	int ch, json = 0, wait = 0, full = 0, no_gc = 0, status, nargs;
	unsigned jobs = 0;
	char **args;

	/* GNU getopt permutes: options may follow the operands. */
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j': json = 1; break;
		case 'T': html_file = optarg; break;
		case 'c': closed_before = optarg; break;
		case 'w': wait = 1; break;
		case 'F': full = 1; break;
		case 'G': no_gc = 1; break;
		case 'J':
			if (cli_number(&jobs, optarg, 1, SNAPSHOT_THREADS_MAX) == -1)
				return cli_usage(usage_line, "--jobs: 1 to %d threads (%s)",
				    SNAPSHOT_THREADS_MAX, optarg);
			break;
		case 'H': c->home_opt = optarg; break;
		case 'h': help(); return 0;
		default: return cli_usage(usage_line, "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage(usage_line, "audit needs a subcommand");
	sub = argv[optind];
	args = argv + optind + 1;
	nargs = argc - optind - 1;
	err_clear(&e);
	if ((status = cli_home(&h, c, &e)) != 0)
		return status;
	if (strcmp(sub, "gc") == 0 || strcmp(sub, "snapshot") == 0) {
		if (nargs != 0)
			return cli_usage(usage_line, "%s takes no arguments", sub);
		return run_locked(&h, wait, strcmp(sub, "gc") == 0, full, no_gc, jobs, &e);
	}
	if (strcmp(sub, "report") == 0 && html_file == NULL && !json)
		return cli_usage(usage_line, "report needs --html FILE or --json");
	if (strcmp(sub, "log") != 0 && strcmp(sub, "diff") != 0 && strcmp(sub, "verify") != 0 &&
	    strcmp(sub, "report") != 0)
		return cli_usage(usage_line, "'%s' is not an audit subcommand", sub);
	if ((strcmp(sub, "log") == 0 && nargs != 0) ||
	    (strcmp(sub, "verify") == 0 && nargs > 1) || nargs > 2)
		return cli_usage(usage_line, "too many arguments");
	if (snapshot_open(&repo, &h, &e) == -1)
		return cli_fail(&e);
	if (strcmp(sub, "log") == 0)
		status = run_log(repo, &e);
	else if (strcmp(sub, "report") == 0)
		status = run_report(repo, nargs > 0 ? args[0] : NULL, nargs > 1 ? args[1] : NULL,
		    html_file, json, closed_before, &e);
	else if (strcmp(sub, "diff") == 0)
		status = run_diff(repo, nargs > 0 ? args[0] : NULL, nargs > 1 ? args[1] : NULL,
		    json, closed_before, &e);
	else
		status = run_verify(repo, nargs > 0 ? args[0] : NULL, json, &e);
	snapshot_close(repo);
	return status;
}
