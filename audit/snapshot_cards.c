/* snapshot_cards.c — card files on several threads (see snapshot_cards.h). */
#include "snapshot_cards.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Cards in flight per worker: enough that no worker waits for the
 * calling thread to take a finished card, and that the listing goes on
 * while the pack is not open yet (ops->pack), few enough to stay small
 * (a job holds one card's files). */
#define JOBS_PER_WORKER 16

/* One card being written: a copy of it, then what was made of it. */
struct job {
	int done;                        /* made, for the calling thread to take */
	struct canon_card card;          /* its strings point into the below */
	struct buf id, head;
	unsigned char bookings_digest[CANON_DIGEST_BYTES], charges_digest[CANON_DIGEST_BYTES];
	struct snapshot_card_files f;    /* what the caller had, then all */
	struct spack_made cards, charges;
	int has_charges;                 /* a charges file was made */
	int rc;
	struct err e;
};

struct pool;

/* A thread's own connection, statements, compressor and text buffers.
 * A worker thread opens them itself, beside the others and the listing;
 * when it cannot, every job it takes fails with why (open_e). */
struct worker {
	struct pool *pool;
	pthread_t thread;
	int started;
	int open_rc;                     /* worker_open's outcome: 0 or -1 */
	struct err open_e;
	struct db *db;                   /* NULL: the calling thread's db, not owned */
	struct canon_card_writer *writer;
	struct spack_maker *maker;
	struct buf cards, charges;
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;       /* a job queued; a job done */
	struct job *jobs;
	size_t njobs;
	uint64_t submitted, taken;       /* job numbers; job k is jobs[k % njobs] */
	int listed;                      /* every card submitted: idle workers end */
	int stop;
	const char *dbpath;              /* what worker threads open */
	enum spack_level level;
	struct worker *workers;
	size_t nworkers;
};

static int
job_set_card(struct job *j, const struct canon_card *c, struct err *e)
{
	buf_reset(&j->id);
	buf_reset(&j->head);
	if (buf_add(&j->id, c->id, strlen(c->id) + 1) == -1 ||
	    buf_add(&j->head, c->head, c->head_len) == -1)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	j->card = *c;                    /* the paths are arrays: copied */
	j->card.id = j->id.data;
	j->card.head = j->head.data;
	j->card.line = j->head.data + (c->line - c->head);
	j->card.bookings_digest = j->card.charges_digest = NULL;
	if (c->bookings_digest != NULL && c->charges_digest != NULL) {
		memcpy(j->bookings_digest, c->bookings_digest, CANON_DIGEST_BYTES);
		memcpy(j->charges_digest, c->charges_digest, CANON_DIGEST_BYTES);
		j->card.bookings_digest = j->bookings_digest;
		j->card.charges_digest = j->charges_digest;
	}
	return 0;
}

static void
job_free(struct job *j)
{
	buf_free(&j->id);
	buf_free(&j->head);
	buf_free(&j->cards.entry);
	buf_free(&j->charges.entry);
}

/* Writes, names and deflates the files of the job's card the caller did
 * not have; the outcome in j->rc, j->e. */
static void
run_job(struct worker *w, struct job *j)
{
	const struct canon_card *c = &j->card;
	unsigned missing = SNAPSHOT_CARD_BOTH & ~j->f.have;

	err_clear(&j->e);
	j->rc = -1;
	j->has_charges = 0;
	if (w->open_rc == -1) {
		j->e = w->open_e;
		return;
	}
	if (canon_card_write(w->writer, c, missing, &w->cards, &w->charges, &j->f.bookings,
	    &j->f.components, &j->e) == -1) {
		err_prefix(&j->e, "card %s", c->id);
		return;
	}
	if ((missing & CANON_CARDS_FILE) && spack_make(w->maker, GIT_OBJECT_BLOB,
	    w->cards.data, w->cards.len, &j->cards, &j->e) == -1) {
		err_prefix(&j->e, "%s", c->cards_path);
		return;
	}
	j->has_charges = (missing & CANON_CHARGES_FILE) && w->charges.len > 0;
	if (j->has_charges && spack_make(w->maker, GIT_OBJECT_BLOB, w->charges.data,
	    w->charges.len, &j->charges, &j->e) == -1) {
		err_prefix(&j->e, "%s", c->charges_path);
		return;
	}
	j->rc = 0;
}

static int worker_open(struct worker *w, struct pool *p, struct db *shared,
    const char *dbpath, enum spack_level level, struct err *e);
static void worker_close(struct worker *w);

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	struct job *j;

	err_clear(&w->open_e);
	w->open_rc = worker_open(w, p, NULL, p->dbpath, p->level, &w->open_e);
	(void)pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && !p->listed && p->taken == p->submitted)
			(void)pthread_cond_wait(&p->work, &p->mu);
		if (p->stop || p->taken == p->submitted)
			break;
		j = &p->jobs[p->taken++ % p->njobs];
		(void)pthread_mutex_unlock(&p->mu);
		run_job(w, j);
		(void)pthread_mutex_lock(&p->mu);
		j->done = 1;
		(void)pthread_cond_signal(&p->done);
	}
	(void)pthread_mutex_unlock(&p->mu);
	/* Its connection closes (unmaps) here, beside the others'. */
	worker_close(w);
	return NULL;
}

static int
worker_open(struct worker *w, struct pool *p, struct db *shared, const char *dbpath,
    enum spack_level level, struct err *e)
{
	w->pool = p;
	if (shared == NULL && db_open(&w->db, dbpath, DB_READONLY, e) == -1)
		return -1;
	if (canon_card_writer_open(&w->writer, shared != NULL ? shared : w->db, e) == -1 ||
	    spack_maker_new(&w->maker, level, e) == -1)
		return -1;
	return 0;
}

/* Releases what worker_open made; again is harmless. */
static void
worker_close(struct worker *w)
{
	canon_card_writer_close(w->writer);
	spack_maker_free(w->maker);
	db_close(w->db);
	buf_free(&w->cards);
	buf_free(&w->charges);
	w->writer = NULL;
	w->maker = NULL;
	w->db = NULL;
}

/* Stops and joins the started workers. */
static void
pool_stop(struct pool *p)
{
	size_t i;

	(void)pthread_mutex_lock(&p->mu);
	p->stop = 1;
	(void)pthread_cond_broadcast(&p->work);
	(void)pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nworkers && p->workers != NULL; i++)
		if (p->workers[i].started)
			(void)pthread_join(p->workers[i].thread, NULL);
}

/* Appends a finished job's objects to the pack (*pack: asked for the
 * first time here) and tells the caller. */
static int
take_job(struct job *j, struct spack **packp, const struct snapshot_cards_ops *ops,
    void *ctx, struct err *e)
{
	struct snapshot_card_files *f = &j->f;
	struct spack *pack;

	if (j->rc == -1) {
		*e = j->e;
		return -1;
	}
	if (*packp == NULL && (*packp = ops->pack(ctx, e)) == NULL)
		return -1;
	pack = *packp;
	if (!(f->have & CANON_CARDS_FILE)) {
		if (spack_add_made(pack, &j->cards, 0, e) == -1)
			return err_prefix(e, "%s", j->card.cards_path);
		git_oid_cpy(&f->cards, &j->cards.id);
	}
	if (!(f->have & CANON_CHARGES_FILE)) {
		memset(&f->charges, 0, sizeof f->charges);
		if (j->has_charges) {
			if (spack_add_made(pack, &j->charges, 0, e) == -1)
				return err_prefix(e, "%s", j->card.charges_path);
			git_oid_cpy(&f->charges, &j->charges.id);
		}
	}
	return ops->done(ctx, &j->card, f, e);
}

int
snapshot_cards_write(struct db *db, const char *dbpath, unsigned threads,
    enum spack_level level, const struct snapshot_cards_ops *ops, void *ctx, uint64_t *ncards,
    struct err *e)
{
	struct spack *pack = NULL;
	struct pool p;
	struct worker inline_worker;
	struct canon_cards *list = NULL;
	struct canon_card card;
	struct snapshot_card_files f;
	struct job *j;
	uint64_t taken = 0;
	size_t i;
	int listed = 0, r, rc = -1, synced = 0;

	*ncards = 0;
	memset(&p, 0, sizeof p);
	memset(&inline_worker, 0, sizeof inline_worker);
	if (threads < 1 || threads > SNAPSHOT_THREADS_MAX) {
		err_set(e, ERR_USAGE, "snapshot: 1 to %d threads, not %u", SNAPSHOT_THREADS_MAX,
		    threads);
		goto out;
	}
	if (pthread_mutex_init(&p.mu, NULL) != 0)
		goto nosync;
	synced = 1;
	if (pthread_cond_init(&p.work, NULL) != 0)
		goto nosync;
	synced = 2;
	if (pthread_cond_init(&p.done, NULL) != 0)
		goto nosync;
	synced = 3;
	p.nworkers = threads > 1 ? threads : 0;
	p.njobs = threads > 1 ? JOBS_PER_WORKER * (size_t)threads : 1;
	if ((p.jobs = calloc(p.njobs, sizeof *p.jobs)) == NULL ||
	    (p.nworkers > 0 && (p.workers = calloc(p.nworkers, sizeof *p.workers)) == NULL)) {
		err_set(e, ERR_SYSTEM, "snapshot: out of memory");
		goto out;
	}
	p.dbpath = dbpath;
	p.level = level;
	if (p.nworkers == 0 && worker_open(&inline_worker, &p, db, dbpath, level, e) == -1)
		goto out;
	for (i = 0; i < p.nworkers; i++)
		p.workers[i].pool = &p;
	for (i = 0; i < p.nworkers; i++) {
		if (pthread_create(&p.workers[i].thread, NULL, worker_main, &p.workers[i]) != 0) {
			err_set(e, ERR_SYSTEM, "snapshot: cannot start a thread");
			goto out;
		}
		p.workers[i].started = 1;
	}
	if (canon_cards_open(&list, db, e) == -1)
		goto out;
	for (;;) {
		if (!listed && p.submitted - taken < p.njobs) {
			if ((r = canon_cards_next(list, &card, e)) == -1)
				goto out;
			if (r == 0) {
				listed = 1;
				(void)pthread_mutex_lock(&p.mu);
				p.listed = 1;
				(void)pthread_cond_broadcast(&p.work);
				(void)pthread_mutex_unlock(&p.mu);
				continue;
			}
			(*ncards)++;
			memset(&f, 0, sizeof f);
			if (ops->lookup(ctx, &card, &f, e) == -1)
				goto out;
			if (f.have == SNAPSHOT_CARD_BOTH) {
				if (ops->done(ctx, &card, &f, e) == -1)
					goto out;
				continue;
			}
			j = &p.jobs[p.submitted % p.njobs];
			if (job_set_card(j, &card, e) == -1)
				goto out;
			j->f = f;
			j->done = 0;
			if (p.nworkers == 0) {
				run_job(&inline_worker, j);
				j->done = 1;
				p.submitted++;
				continue;
			}
			(void)pthread_mutex_lock(&p.mu);
			p.submitted++;
			(void)pthread_cond_signal(&p.work);
			(void)pthread_mutex_unlock(&p.mu);
			continue;
		}
		if (taken == p.submitted)
			break;               /* listed, and nothing in flight */
		j = &p.jobs[taken % p.njobs];
		(void)pthread_mutex_lock(&p.mu);
		while (!j->done)
			(void)pthread_cond_wait(&p.done, &p.mu);
		(void)pthread_mutex_unlock(&p.mu);
		r = take_job(j, &pack, ops, ctx, e);
		taken++;
		if (r == -1)
			goto out;
	}
	rc = 0;
	goto out;
nosync:
	err_set(e, ERR_SYSTEM, "snapshot: cannot make a mutex or condition variable");
out:
	if (synced == 3)
		pool_stop(&p);
	if (synced >= 3)
		(void)pthread_cond_destroy(&p.done);
	if (synced >= 2)
		(void)pthread_cond_destroy(&p.work);
	if (synced >= 1)
		(void)pthread_mutex_destroy(&p.mu);
	canon_cards_close(list);
	for (i = 0; i < p.nworkers && p.workers != NULL; i++)
		worker_close(&p.workers[i]);
	worker_close(&inline_worker);
	for (i = 0; i < p.njobs && p.jobs != NULL; i++)
		job_free(&p.jobs[i]);
	free(p.workers);
	free(p.jobs);
	return rc;
}
