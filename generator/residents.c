/*
 * residents.c — every resident's file, by a pool of worker threads
 * (residents.h).
 */
#include "residents.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "config.h"
#include "cpus.h"
#include "crypto.h"
#include "digest.h"
#include "render_statement.h"
#include "digests.h"
#include "site_resident.h"
#include "statement.h"

/* One worker: residents [from, to) of ids.  Reads the run's settings
 * (g), owns its connections unless borrowed (one worker on g's own), its
 * writer, its lists and its error. */
struct worker {
	const struct generate *g;
	const struct names *ids;
	size_t from, to;
	const struct digests *old;              /* last run's, sorted; read only */
	const unsigned char *identity;          /* SHA-256 of this program */
	struct db *db;
	struct access *access;
	int borrowed;                           /* db and access are g's */
	struct buf log;                         /* verbose lines, printed in order */
	struct site_writer site;
	struct names written;                   /* names under OUT/r/ */
	struct digests now;                     /* this run's, for .digests */
	unsigned long residents, skipped, resealed;
	struct err e;
	int rc;
	pthread_t thread;
};

/* Sealed: writes one resident's bundle, or finds it unchanged since the
 * last run.  Who changed is told by a few rows per person
 * (statement_digest); the ledger is read only for those who did.  For a
 * new export, the unchanged are re-sealed with its header, not rendered. */
static int
sealed_resident(struct worker *w, const struct site_resident *r, const char *id,
    struct err *e)
{
	unsigned char input[CRYPTO_SHA256_BYTES * 2], tag[ACCESS_TAG_BYTES];
	char login[ACCESS_LOGIN_BYTES];
	struct site_resident_file file = SITE_RESIDENT_FILE_INIT;
	struct buf rel = BUF_INIT;
	const struct digest *hit = NULL;
	struct statement *docs = NULL;
	struct digest x;
	int found, kept = 0, resealed = 0, rc = -1;

	memcpy(input, w->identity, CRYPTO_SHA256_BYTES);
	if (statement_digest(r->q, id, input + CRYPTO_SHA256_BYTES, e) == -1)
		goto out;
	found = access_resident_tag(w->access, id, input, sizeof input, tag, login, e);
	if (found == -1)
		goto out;
	if (found == 0) {
		rc = 0;         /* no live login: nothing to publish */
		goto out;
	}
	crypto_hex(x.tag, tag, sizeof tag);
	if (buf_printf(&rel, GENERATE_RESIDENT_DIR "/%s" GENERATE_BUNDLE_SUFFIX, login) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (names_add(&w->written, rel.data + sizeof GENERATE_RESIDENT_DIR, e) == -1)
		goto out;
	if (!w->g->full)
		hit = digests_find(w->old, x.tag);
	if (hit != NULL && digests_same_export(w->old, &w->g->head)) {
		/* the same bundle would come out, if it is still there */
		if ((kept = digests_bundle_matches(w->g->out_dir, rel.data, hit, e)) == -1)
			goto out;
	} else if (hit != NULL) {
		/* a new export: the same statement, sealed anew */
		resealed = site_reseal_resident(r, id, rel.data + sizeof GENERATE_RESIDENT_DIR,
		    hit->gcm_tag, hit->size, &file, e);
		if (resealed == -1 ||
		    (resealed && site_note(&w->site, "re-sealed", rel.data, e) == -1))
			goto out;
	}
	if (kept) {
		x = *hit;
		w->site.unchanged++;
		w->skipped++;
	} else {
		if (resealed) {
			w->skipped++;
			w->resealed++;
		} else {
			if (site_write_resident(r, id, &file, e) == -1)
				goto out;
			if (file.name.len == 0) {
				err_set(e, ERR_INTERNAL, "%s: login vanished", id);
				goto out;
			}
			if (site_note(&w->site, "rendered", rel.data, e) == -1)
				goto out;
		}
		memcpy(x.gcm_tag, file.gcm_tag, sizeof x.gcm_tag);
		x.size = file.size;
	}
	if (digests_add(&w->now, &x, e) == -1)
		goto out;
	/* the documents: sealed once per key version, kept after that */
	if (statement_load_documents(&docs, r->q, id, e) == -1 ||
	    site_write_documents(r, docs, &w->written, e) == -1)
		goto out;
	rc = 0;
out:
	statement_free(docs);
	buf_free(&file.name);
	buf_free(&rel);
	return rc;
}

/* --plain: every card holder's printable page, always rendered. */
static int
plain_resident(struct worker *w, const struct site_resident *r, const char *id,
    struct err *e)
{
	struct site_resident_file file = SITE_RESIDENT_FILE_INIT;
	int rc = -1;

	if (site_write_resident(r, id, &file, e) == -1)
		goto out;
	if (file.name.len > 0 && names_add(&w->written, file.name.data, e) == -1)
		goto out;
	rc = 0;
out:
	buf_free(&file.name);
	return rc;
}

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	struct site_resident r = { &w->site, NULL, w->g->plain, w->access, &w->g->head,
	    w->g->statement_page, &w->g->vars, w->g->config->due_day, w->g->home };
	size_t i;

	w->rc = -1;
	if (statement_query_open(&r.q, w->db, &w->e) == -1)
		goto out;
	for (i = w->from; i < w->to; i++) {
		if ((w->g->plain ? plain_resident(w, &r, w->ids->v[i], &w->e) :
		    sealed_resident(w, &r, w->ids->v[i], &w->e)) == -1)
			goto out;
		w->residents++;
	}
	w->rc = 0;
out:
	statement_query_close(r.q);
	return NULL;
}

/* Worker k of nw over ids: its share, its writer, its own connections
 * (the database in a read transaction of its own: nothing writes it while
 * the lock is held; keys.db), or g's when g gives no path to open more. */
static int
worker_init(struct worker *w, const struct generate *g, size_t k, size_t nw,
    const struct names *ids, const struct digests *old, const unsigned char *identity,
    struct err *e)
{
	w->g = g;
	w->ids = ids;
	w->from = ids->n * k / nw;
	w->to = ids->n * (k + 1) / nw;
	w->old = old;
	w->identity = identity;
	w->site.out_dir = g->out_dir;
	w->site.owner_only = g->plain;
	w->site.verbose = g->verbose;
	w->site.log = &w->log;
	err_clear(&w->e);
	if (g->db_path == NULL) {
		w->borrowed = 1;
		w->db = g->db;
		w->access = g->access;
		return 0;
	}
	if (db_open(&w->db, g->db_path, DB_READONLY, e) == -1 ||
	    db_exec(w->db, "PRAGMA mmap_size = 4294967296; PRAGMA cache_size = -65536; BEGIN",
	    e) == -1)
		return -1;
	if (!g->plain && access_open(&w->access, g->keys_db_path, e) == -1)
		return -1;
	return 0;
}

static void
worker_close(struct worker *w)
{
	if (!w->borrowed) {
		access_close(w->access);
		if (w->db != NULL) {
			db_rollback(w->db);
			db_close(w->db);
		}
	}
	names_free(&w->written);
	digests_free(&w->now);
	buf_free(&w->log);
}

/* The number of workers: g->jobs, or the processors online but never
 * more than one per GENERATE_JOB_MIN residents; at most GENERATE_JOBS_MAX,
 * and not more than residents.  One without a path to open connections. */
static size_t
worker_count(const struct generate *g, size_t residents)
{
	size_t n = g->jobs > 0 ? (size_t)g->jobs : cpus_online(GENERATE_JOBS_MAX);

	if (g->db_path == NULL)
		return 1;
	if (n > GENERATE_JOBS_MAX)
		n = GENERATE_JOBS_MAX;
	if (g->jobs == 0 && n > 1 && residents / n < GENERATE_JOB_MIN)
		n = residents / GENERATE_JOB_MIN > 0 ? residents / GENERATE_JOB_MIN : 1;
	if (n > residents)
		n = residents > 0 ? residents : 1;
	return n;
}

/* Everyone holding a card, by person id. */
static int
list_residents(struct names *ids, struct db *db, struct err *e)
{
	struct db_stmt *people = NULL;
	int r, rc = -1;

	if (db_prepare(&people, db, "SELECT DISTINCT person_id FROM card ORDER BY person_id",
	    e) == -1)
		goto out;
	while ((r = db_step(people, NULL, e)) == 1)
		if (names_add(ids, db_col_text(people, 0), e) == -1)
			goto out;
	if (r == -1)
		goto out;
	rc = 0;
out:
	db_finalize(people);
	return rc;
}

/* The SHA-256 of this program's own bytes (a new generator may render
 * differently, digests.h) and of what is past due on the export's day
 * (render_due_context): a fragment changes when a due day passes. */
static int
program_identity(unsigned char out[CRYPTO_SHA256_BYTES], const struct generate *g,
    struct err *e)
{
	unsigned char mixed[CRYPTO_SHA256_BYTES + RENDER_DUE_CONTEXT_BYTES];
	char hex[SHA256_HEX_LEN + 1], due[RENDER_DUE_CONTEXT_BYTES];

	if (sha256_file(hex, NULL, "/proc/self/exe", e) == -1)
		return -1;
	if (crypto_unhex(mixed, hex, CRYPTO_SHA256_BYTES) == -1)
		return err_set(e, ERR_INTERNAL, "sha256_file gave no hex (%s)", hex);
	render_due_context(due, g->export_date, g->config->due_day);
	memcpy(mixed + CRYPTO_SHA256_BYTES, due, strlen(due));
	return crypto_sha256(out, mixed, CRYPTO_SHA256_BYTES + strlen(due), e);
}

/* Starts workers [0, nw); returns how many started (nw, or fewer with e
 * set). */
static size_t
workers_start(struct worker *w, size_t nw, struct err *e)
{
	size_t k;

	for (k = 0; k < nw; k++)
		if ((errno = pthread_create(&w[k].thread, NULL, worker_run, &w[k])) != 0) {
			err_sys(e, "pthread_create");
			break;
		}
	return k;
}

/* In worker order, up to the first that failed (whose error it returns):
 * prints the verbose lines, adds up the counters, gathers the names and
 * digests. */
static int
workers_collect(struct worker *w, size_t nw, struct generate *g, struct site_writer *site,
    struct names *written, struct digests *now, struct err *e)
{
	size_t k, i;

	for (k = 0; k < nw; k++) {
		if (w[k].rc == -1) {
			*e = w[k].e;
			return -1;
		}
		if (w[k].log.len > 0)
			(void)fputs(w[k].log.data, stdout);
		site->written += w[k].site.written;
		site->unchanged += w[k].site.unchanged;
		g->residents += w[k].residents;
		g->skipped += w[k].skipped;
		g->resealed += w[k].resealed;
		for (i = 0; i < w[k].written.n; i++)
			if (names_add(written, w[k].written.v[i], e) == -1)
				return -1;
		if (digests_add_all(now, &w[k].now, e) == -1)
			return -1;
	}
	return 0;
}

int
residents_write(struct generate *g, struct site_writer *site, struct names *written,
    struct err *e)
{
	struct names ids = NAMES_INIT;
	struct digests old = DIGESTS_INIT, now = DIGESTS_INIT;
	struct worker *w = NULL;
	unsigned char identity[CRYPTO_SHA256_BYTES] = { 0 };
	size_t k, nw = 0, started;
	int rc = -1;

	if (!g->plain && (program_identity(identity, g, e) == -1 ||
	    digests_load(&old, g->out_dir, e) == -1))
		goto out;
	if (list_residents(&ids, g->db, e) == -1)
		goto out;
	nw = worker_count(g, ids.n);
	if ((w = calloc(nw, sizeof *w)) == NULL) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	for (k = 0; k < nw; k++)
		if (worker_init(&w[k], g, k, nw, &ids, &old, identity, e) == -1)
			goto out;
	started = workers_start(w, nw, e);
	for (k = 0; k < started; k++)
		(void)pthread_join(w[k].thread, NULL);
	if (started < nw || workers_collect(w, nw, g, site, written, &now, e) == -1)
		goto out;
	if (!g->plain && digests_write(&now, &g->head, site, e) == -1)
		goto out;
	rc = 0;
out:
	for (k = 0; w != NULL && k < nw; k++)
		worker_close(&w[k]);
	free(w);
	digests_free(&old);
	digests_free(&now);
	names_free(&ids);
	return rc;
}
