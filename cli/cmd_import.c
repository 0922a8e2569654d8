/* cmd_import.c — czynsze import EXPORT_DIR */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "nightly.h"
#include "db.h"
#include "decimal.h"
#include "import.h"
#include "lock.h"
#include "snapshot.h"

static const char usage_line[] = "czynsze import [--home DIR] [--force] [--wait] [--no-snapshot] EXPORT_DIR";

static void
help(void)
{
	(void)printf("usage: %s\n\n"
	    "Loads the KSM export in EXPORT_DIR (eksport.xml and the files it lists;\n"
	    "format 2 adds meter readings and documents, whose PDFs go to\n"
	    "HOME/documents) into HOME/" HOME_DB ".  Everything is checked first; the new data\n"
	    "replaces the old in one rename, so a bad export or a crash leaves the\n"
	    "previous import in place.  Importing the same export again changes\n"
	    "nothing, unless the database was built by an older czynsze: then it\n"
	    "is built again.\n\n"
	    "  --force   import even an export older than the one in the database\n"
	    "  --wait    wait for another running czynsze instead of refusing\n"
	    "  --no-snapshot  do not commit the audit snapshot (HOME/" HOME_SNAPSHOTS ")\n"
	    "  --home DIR  data home\n", usage_line);
}

/* Appends v (thousandths) the Polish way: "10,5", "0,25", "3". */
static int
add_e3(struct buf *b, int64_t v)
{
	size_t from = b->len;
	char *dot;

	if (decimal_format(b, v, 3, 0) == -1)
		return -1;
	dot = strchr(b->data + from, '.');
	if (dot != NULL)
		*dot = ',';
	return 0;
}

/* Prints the meter readings' warnings the import stored. */
static void
print_reading_warnings(const struct home *h, uint64_t count)
{
	char path[PATH_BYTES_MAX];
	struct db *db = NULL;
	struct db_stmt *st = NULL;
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct err e;
	int shown = 0;

	if (count == 0 || home_path(h, HOME_DB, path, &e) == -1 ||
	    db_open(&db, path, DB_READONLY, &e) == -1 ||
	    db_prepare(&st, db, "SELECT w.kind, r.premises_id, r.meter, r.medium, r.date, r.id, "
	    "w.expected_e3, w.found_e3 FROM reading_warning w JOIN meter_reading r "
	    "ON r.id = w.reading_id ORDER BY w.rowid", &e) == -1)
		goto out;
	while (shown < 20 && db_step(st, NULL, &e) == 1) {
		buf_reset(&a);
		buf_reset(&b);
		if (add_e3(&a, db_col_int64(st, 6)) == -1 || add_e3(&b, db_col_int64(st, 7)) == -1)
			break;
		if (db_col_text(st, 0)[0] == 'd')
			(void)fprintf(stderr, "czynsze: warning: premises %s, meter %s (%s), reading %s "
			    "of %s: state %s lower than the previous %s\n", db_col_text(st, 1),
			    db_col_text(st, 2), db_col_text(st, 3), db_col_text(st, 5),
			    db_col_text(st, 4), b.data, a.data);
		else
			(void)fprintf(stderr, "czynsze: warning: premises %s, meter %s (%s), reading %s "
			    "of %s: KSM consumption %s, the states give %s\n", db_col_text(st, 1),
			    db_col_text(st, 2), db_col_text(st, 3), db_col_text(st, 5),
			    db_col_text(st, 4), b.data, a.data);
		shown++;
	}
	if (count > (uint64_t)shown)
		(void)fprintf(stderr, "czynsze: ... and %llu more meter reading warnings "
		    "(table reading_warning)\n", (unsigned long long)(count - (uint64_t)shown));
out:
	buf_free(&a);
	buf_free(&b);
	db_finalize(st);
	db_close(db);
}

/* Prints the warnings the import stored (KSM's figures disagree). */
static void
print_warnings(const struct home *h, uint64_t count)
{
	char path[PATH_BYTES_MAX];
	struct db *db = NULL;
	struct db_stmt *st = NULL;
	struct buf ksm = BUF_INIT, rows = BUF_INIT;
	struct err e;
	int shown = 0;

	if (count == 0 || home_path(h, HOME_DB, path, &e) == -1 ||
	    db_open(&db, path, DB_READONLY, &e) == -1 ||
	    db_prepare(&st, db, "SELECT kind, card_id, period, ksm_gr, computed_gr "
	    "FROM warning ORDER BY id", &e) == -1)
		goto out;
	while (shown < 20 && db_step(st, NULL, &e) == 1) {
		int balance = db_col_text(st, 0)[0] == 'b';

		buf_reset(&ksm);
		buf_reset(&rows);
		if (money_format_pl(&ksm, db_col_int64(st, 3), 1) == -1 ||
		    money_format_pl(&rows, db_col_int64(st, 4), 1) == -1)
			break;
		if (balance)
			(void)fprintf(stderr, "czynsze: warning: card %s: KSM balance %s, "
			    "ledger sums to %s\n", db_col_text(st, 1), ksm.data, rows.data);
		else
			(void)fprintf(stderr, "czynsze: warning: card %s, %s: NAL booking %s, "
			    "components sum to %s\n", db_col_text(st, 1), db_col_text(st, 2),
			    ksm.data, rows.data);
		shown++;
	}
	if (count > (uint64_t)shown)
		(void)fprintf(stderr, "czynsze: ... and %llu more warnings (table warning)\n",
		    (unsigned long long)(count - (uint64_t)shown));
out:
	buf_free(&ksm);
	buf_free(&rows);
	db_finalize(st);
	db_close(db);
}

int
cmd_import(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "wait", no_argument, NULL, 'w' },
		{ "no-snapshot", no_argument, NULL, 'S' },
		{ "home", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct import_opts o = { NULL, 0, NULL, 0 };
	struct import_result r;
	struct diag diag = DIAG_INIT;
	struct home h;
	struct err e;
	char lock_path[PATH_BYTES_MAX];
	struct snapshot_result snap;
	int ch, wait = 0, lock_fd = -1, status, snapshot = 1;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': o.force = 1; break;
		case 'w': wait = 1; break;
		case 'S': snapshot = 0; break;
		case 'H': c->home_opt = optarg; break;
		case 'h': help(); return 0;
		default: return cli_usage(usage_line, "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage(usage_line, "import takes one export folder");
	o.export_dir = argv[optind];
	o.progress = c->verbose && isatty(STDERR_FILENO) ? stderr : NULL;
	err_clear(&e);
	if ((status = cli_home(&h, c, &e)) != 0)
		return status;
	if (home_path(&h, HOME_LOCK, lock_path, &e) == -1 ||
	    nightly_lock(&lock_fd, lock_path, &h, wait, &e) == -1)
		return cli_fail(&e);
	if (import_run(&h, &o, &r, &diag, &e) == -1) {
		if (e.kind != ERR_DATA) {
			status = cli_fail(&e);
			goto out;
		}
		/* Every error found, one per line, "FILE:LINE: field NAME: ..." */
		(void)fputs(diag.errors > 0 ? diag.error_text.data : "", stderr);
		if (diag.errors == 0)
			(void)fprintf(stderr, "%s\n", e.msg);
		if (diag.errors > DIAG_ERRORS_MAX)
			(void)fprintf(stderr, "czynsze: ... %zu errors in all\n", diag.errors);
		(void)fprintf(stderr, "czynsze: import failed; nothing was changed\n");
		status = e.kind;
		goto out;
	}
	if (r.outcome == IMPORT_UNCHANGED) {
		if (c->verbose)
			(void)printf("czynsze: export of %s is already imported; nothing to do\n",
			    r.generated_at);
	} else {
		print_warnings(&h, r.warnings);
		print_reading_warnings(&h, r.reading_warnings);
		if (c->verbose)
			(void)printf("czynsze: imported export of %s: %llu premises, %llu people, "
			    "%llu cards, %llu bookings, %llu charge components, %llu announcements, "
			    "%llu warnings\n", r.generated_at,
			    (unsigned long long)r.rows[FILE_LOKALE], (unsigned long long)r.rows[FILE_OSOBY],
			    (unsigned long long)r.rows[FILE_KARTOTEKI], (unsigned long long)r.rows[FILE_OBROTY],
			    (unsigned long long)r.components, (unsigned long long)r.rows[FILE_KOMUNIKATY],
			    (unsigned long long)r.warnings);
		if (c->verbose && (r.rows[FILE_ODCZYTY] > 0 || r.rows[FILE_DOKUMENTY] > 0))
			(void)printf("czynsze: and %llu meter readings (%llu warnings), %llu documents\n",
			    (unsigned long long)r.rows[FILE_ODCZYTY],
			    (unsigned long long)r.reading_warnings,
			    (unsigned long long)r.rows[FILE_DOKUMENTY]);
	}
	/* Also when unchanged: a snapshot missing from an earlier run is made. */
	if (snapshot && snapshot_commit(&h, &snap, &e) == -1) {
		status = cli_fail(&e);
		goto out;
	}
	if (snapshot && c->verbose)
		(void)printf("czynsze: snapshot %s %s (tree %s)%s\n", snap.tag,
		    snap.created ? "committed" : "already present", snap.tree,
		    snap.gc_ran ? "; repository packed" : "");
	status = 0;
out:
	diag_free(&diag);
	lock_release(lock_fd);
	return status;
}
