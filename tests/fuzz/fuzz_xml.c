/*
 * fuzz_xml.c — the XML reader (libxml2 SAX2 push parser, DTD and entity
 * refusal, depth and attribute limits) with the four documents' handlers:
 * the manifest (manifest_read), charge components (load_charges),
 * announcements (load_announcements) and the documents' index
 * (load_documents: it can reach no PDF, the scratch folder has none).
 *
 * The input is written as eksport.xml, naliczenia.xml, komunikaty.xml and
 * dokumenty.xml and read by all four.  The loaders need a database that already holds
 * the cards the components refer to: one is made at start-up in the
 * scratch directory from the good fixture (FUZZ_FIXTURE_DIR, or
 * CZYNSZE_FUZZ_FIXTURE in the environment), and every input is loaded
 * inside a transaction that is rolled back.
 *
 * Properties: no crash or sanitizer report; an error names the file; every
 * message is valid UTF-8 without control characters.
 */
#include <stdint.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "fuzz_util.h"
#include "home.h"
#include "load.h"
#include "manifest.h"
#include "text.h"

#ifndef FUZZ_FIXTURE_DIR
#define FUZZ_FIXTURE_DIR "fixtures/ksm-20211228"
#endif

static struct db *db;
static struct home home;         /* load_documents' document store */

static void
close_db(void)
{
	db_close(db);
	db = NULL;
}

static void
die(const struct err *e)
{
	(void)fprintf(stderr, "fuzz_xml: setup: %s\n", e->msg);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *fix = getenv("CZYNSZE_FUZZ_FIXTURE");
	struct diag diag = DIAG_INIT;
	struct load l;
	struct err e;
	char path[512];

	if (fix == NULL)
		fix = FUZZ_FIXTURE_DIR;
	(void)snprintf(path, sizeof path, "%s/home", fuzz_dir_make());
	if (home_resolve(&home, path, &e) == -1)
		die(&e);
	(void)snprintf(path, sizeof path, "%s/fuzz.db", fuzz_dir_make());
	if (db_open(&db, path, DB_CREATE, &e) == -1 || db_migrate(db, 0, &e) == -1 ||
	    db_exec(db, "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF", &e) == -1)
		die(&e);
	(void)atexit(close_db);
	memset(&l, 0, sizeof l);
	l.db = db;
	l.dir = fix;
	l.diag = &diag;
	if (load_premises(&l, &e) == -1 || load_people(&l, &e) == -1 ||
	    load_cards(&l, &e) == -1)
		die(&e);
	diag_free(&diag);
	return 0;
}

static void
check_diag(const struct diag *d, const char *file)
{
	const char *s = d->error_text.data, *nl;
	char line[ERR_MSG_MAX + 1];

	while (s != NULL && *s != '\0') {
		nl = strchr(s, '\n');
		FUZZ_CHECK(nl != NULL && (size_t)(nl - s) <= ERR_MSG_MAX);
		memcpy(line, s, (size_t)(nl - s));
		line[nl - s] = '\0';
		fuzz_check_message(line, file);
		s = nl + 1;
	}
}

static void
run_loader(int (*loader)(struct load *, struct err *), const char *file)
{
	struct diag diag = DIAG_INIT;
	struct load l;
	struct err e;

	memset(&l, 0, sizeof l);
	l.db = db;
	l.home = &home;
	l.dir = fuzz_dir_make();
	l.diag = &diag;
	err_clear(&e);
	if (db_exec(db, "SAVEPOINT fuzz", &e) == -1)
		die(&e);
	if (loader(&l, &e) == -1 && e.kind == ERR_DATA)
		fuzz_check_message(e.msg, file);
	check_diag(&diag, file);
	if (db_exec(db, "ROLLBACK TO fuzz; RELEASE fuzz", &e) == -1)
		die(&e);
	diag_free(&diag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manifest m;
	struct diag diag = DIAG_INIT;
	struct err e;

	memset(&m, 0, sizeof m); /* manifest_read does too; cppcheck cannot see it */
	fuzz_write(MANIFEST_FILE, data, size);
	fuzz_write(export_file_names[FILE_NALICZENIA], data, size);
	fuzz_write(export_file_names[FILE_KOMUNIKATY], data, size);
	fuzz_write(export_file_names[FILE_DOKUMENTY], data, size);

	err_clear(&e);
	if (manifest_read(&m, fuzz_dir_make(), &diag, &e) == -1) {
		if (e.kind == ERR_DATA)
			fuzz_check_message(e.msg, MANIFEST_FILE);
	} else {
		size_t i;

		FUZZ_CHECK(timestamp_check_iso(m.generated_at) == 0);
		FUZZ_CHECK(strlen(m.coop_nip) == 10);
		for (i = 0; i < FILE_OPTIONAL; i++)
			FUZZ_CHECK(m.file[i].listed && strlen(m.file[i].sha256) == SHA256_HEX_LEN);
		/* format 2's files: listed only in a format 2 manifest (and only
		 * when present, which they are not here) */
		for (; i < FILE_COUNT; i++)
			FUZZ_CHECK(!m.file[i].listed || m.format == 2);
	}
	check_diag(&diag, MANIFEST_FILE);
	diag_free(&diag);

	run_loader(load_charges, export_file_names[FILE_NALICZENIA]);
	run_loader(load_announcements, export_file_names[FILE_KOMUNIKATY]);
	run_loader(load_documents, export_file_names[FILE_DOKUMENTY]);
	return 0;
}
