/*
 * snapshot.c — the auditors' git repository (see snapshot.h).
 *
 * The project's only user of libgit2: every git_* call is here, and its
 * "< 0 is an error" convention becomes ours (0 / -1 with a struct err).
 */
#include "snapshot.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>

#include "arena.h"
#include "array.h"
#include "buf.h"
#include "cpus.h"
#include "date.h"
#include "db.h"
#include "fsutil.h"
#include "lock.h"
#include "snapshot_cache.h"
#include "snapshot_cards.h"
#include "snapshot_pack.h"

struct tag_ref {
	git_oid commit;
	char name[SNAPSHOT_TAG_BYTES];
};

struct snapshot_repo {
	int lock_fd;                        /* HOME/SNAPSHOT_LOCK, shared */
	git_repository *git;
	struct tag_ref *tags;
	size_t ntags;
};

/* Fills e from libgit2's last error. */
static int
git_fail(struct err *e, const char *what)
{
	const git_error *g = git_error_last();

	return err_set(e, ERR_INTERNAL, "snapshot: %s: %s", what,
	    g != NULL && g->message != NULL ? g->message : "libgit2 error");
}

/*
 * Initialises libgit2 for writing (pair with git_libgit2_shutdown()).
 * Objects, packs and refs are fsynced before a ref or a deletion depends
 * on them: a crash leaves the repository as it was, never naming objects
 * that did not reach the disk.
 */
static int
start_writing(struct err *e)
{
	if (git_libgit2_init() < 0)
		return git_fail(e, "init");
	if (git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1) < 0) {
		(void)git_libgit2_shutdown();
		return git_fail(e, "fsync option");
	}
	/* Blobs go straight into the night's pack (snapshot_pack.h), which
	 * libgit2 sees only once it is committed: the tree builder must not
	 * look them up.  Every id it is given was computed from the bytes
	 * just written, or read from the previous snapshot's trees. */
	if (git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0) < 0) {
		(void)git_libgit2_shutdown();
		return git_fail(e, "object creation option");
	}
	return 0;
}

static void
oid_hex(char out[SNAPSHOT_OID_HEX], const git_oid *id)
{
	(void)git_oid_tostr(out, SNAPSHOT_OID_HEX, id);
}

/* ---- writing a snapshot ---- */

struct entry {
	const char *path;
	git_oid id;
	int reused;                        /* taken from the card cache */
};

/*
 * The repository side of a snapshot: libgit2 started, the repository
 * opened (made on the first night), its object database, and the
 * night's pack begun (every new blob, tree and commit goes in it).  Opened on
 * a thread of its own while the calling thread opens the database and
 * reads the card cache: libgit2's start alone takes 10 ms (it parses the
 * system's CA certificates), an eighth of a quiet night.  What it made is
 * the caller's to release whatever rc says (snapshot_write's out:).
 */
struct git_side {
	const char *repopath, *objdir;     /* in */
	pthread_t thread;
	int started, joined;               /* the thread runs; it was joined */
	int init;                          /* git_libgit2_init succeeded */
	git_repository *git;
	git_odb *odb;
	struct spack *pack;
	int rc;
	struct err e;
};

struct writer {
	struct git_side *side;             /* opens the below; writer_pack joins it */
	git_repository *git;
	git_odb *odb;
	struct spack *pack;                /* the night's new blobs, as they are made */
	int init;                          /* git_libgit2_init succeeded: shutdown owed */
	int cache_foreign;                 /* old names a tree the repository lacks */
	struct arena arena;
	struct entry *entries;
	size_t n, cap;
	const struct snapshot_cache *old;  /* NULL: --full */
	struct snapshot_cache next;        /* the cache after this snapshot */
	uint64_t bookings, components;     /* in the cards' files */
	size_t reused;                     /* cards taken from the cache */
	size_t charges_reused;             /* of the others, charges/ files taken from it */
	size_t folders_reused;             /* trees taken from the cache */
	size_t files_reused;               /* top-level files taken from it */
	const char *pending;               /* the file have() was last asked about */
	unsigned char pending_digest[CANON_DIGEST_BYTES];
};

static int
push_entry(struct writer *w, const char *path, const git_oid *id, int reused, struct err *e)
{
	struct entry *grown;

	if ((grown = array_grow(w->entries, &w->cap, w->n + 1, sizeof *grown, 1024)) == NULL)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	w->entries = grown;
	if ((w->entries[w->n].path = arena_strdup(&w->arena, path)) == NULL)
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	git_oid_cpy(&w->entries[w->n].id, id);
	w->entries[w->n].reused = reused;
	w->n++;
	return 0;
}

/*
 * The repository side, once git_side_open is done (joined here the first
 * time: everything before it ran beside libgit2's start).  What the
 * thread made becomes the writer's, to be released by snapshot_write
 * whatever the outcome.  Then whether the card cache describes a tree of
 * this repository: until now it was trusted unchecked, so a foreign one
 * makes the caller write the night again without it (cache_foreign).
 * 0, or -1 with e set.
 */
static int
writer_join(struct writer *w, struct err *e)
{
	struct git_side *g = w->side;

	if (g == NULL || g->joined)
		return 0;
	if (g->started && pthread_join(g->thread, NULL) != 0) {
		g->joined = 1;           /* its objects stay unreleased: a leak, not a crash */
		return err_set(e, ERR_INTERNAL, "snapshot: cannot join a thread");
	}
	g->joined = 1;
	w->init = g->init;
	w->git = g->git;
	w->odb = g->odb;
	w->pack = g->pack;
	if (g->rc == -1) {
		*e = g->e;
		return -1;
	}
	if (w->old != NULL && w->old->ncards + w->old->nfolders + w->old->nfiles > 0 &&
	    !git_odb_exists(w->odb, &w->old->tree))
		w->cache_foreign = 1;
	return 0;
}

/* snapshot_cards: the night's pack, when the first card is to go in. */
static struct spack *
writer_pack(void *ctx, struct err *e)
{
	struct writer *w = ctx;

	return writer_join(w, e) == -1 ? NULL : w->pack;
}

static int
writer_emit(void *ctx, const char *path, const char *data, size_t n, struct err *e)
{
	struct writer *w = ctx;
	git_oid id;

	if (writer_join(w, e) == -1)
		return -1;

	/* Into the pack only when neither it nor the repository has it. */
	if (spack_add(w->pack, GIT_OBJECT_BLOB, data, n, 0, &id, e) == -1)
		return err_prefix(e, "%s", path);
	if (w->pending != NULL && strcmp(w->pending, path) == 0) {
		if (snapshot_cache_add_file(&w->next, path, w->pending_digest, &id, e) == -1)
			return -1;
		w->pending = NULL;
	}
	return push_entry(w, path, &id, 0, e);
}

/* canon_write_tables: a file the cache has, written from the same
 * table digest, is taken from it; any other one with a digest is
 * remembered for writer_emit to cache. */
static int
writer_have(void *ctx, const char *path, const unsigned char *digest, struct err *e)
{
	struct writer *w = ctx;
	const struct cached_file *f;

	w->pending = NULL;
	if (digest == NULL)
		return 0;
	f = w->old != NULL ? snapshot_cache_file(w->old, path) : NULL;
	if (f != NULL && memcmp(f->digest, digest, CANON_DIGEST_BYTES) == 0) {
		if (snapshot_cache_add_file(&w->next, path, digest, &f->blob, e) == -1 ||
		    push_entry(w, path, &f->blob, 1, e) == -1)
			return -1;
		w->files_reused++;
		return 1;
	}
	w->pending = path;
	memcpy(w->pending_digest, digest, CANON_DIGEST_BYTES);
	return 0;
}

static const git_oid no_oid;

/* snapshot_cards: each of a card's files that the cache has, written
 * from the same digest half (and card line), is taken from it. */
static int
writer_lookup(void *ctx, const struct canon_card *card, struct snapshot_card_files *f,
    struct err *e)
{
	struct writer *w = ctx;
	const struct cached_card *hit;

	(void)e;
	if (card->bookings_digest == NULL || w->old == NULL ||
	    (hit = snapshot_cache_card(w->old, card->id)) == NULL)
		return 0;
	if (memcmp(hit->bookings_digest, card->bookings_digest, CANON_DIGEST_BYTES) == 0 &&
	    hit->line_len + 1 == card->line_len &&
	    memcmp(hit->line, card->line, hit->line_len) == 0) {
		git_oid_cpy(&f->cards, &hit->cards);
		f->bookings = hit->bookings;
		f->have |= CANON_CARDS_FILE;
	}
	if (memcmp(hit->charges_digest, card->charges_digest, CANON_DIGEST_BYTES) == 0) {
		git_oid_cpy(&f->charges, &hit->charges);
		f->components = hit->components;
		f->have |= CANON_CHARGES_FILE;
	}
	return 0;
}

/* snapshot_cards: a card's files go into the tree and the next cache. */
static int
writer_card_done(void *ctx, const struct canon_card *card, const struct snapshot_card_files *f,
    struct err *e)
{
	struct writer *w = ctx;
	struct cached_card k;

	if (push_entry(w, card->cards_path, &f->cards, (f->have & CANON_CARDS_FILE) != 0,
	    e) == -1 ||
	    (!git_oid_equal(&f->charges, &no_oid) && push_entry(w, card->charges_path,
	    &f->charges, (f->have & CANON_CHARGES_FILE) != 0, e) == -1))
		return -1;
	if (card->bookings_digest != NULL) {
		memset(&k, 0, sizeof k);
		k.id = card->id;
		k.line = card->line;
		k.line_len = card->line_len - 1;   /* without the '\n' canon_cards_next ends it with */
		memcpy(k.bookings_digest, card->bookings_digest, CANON_DIGEST_BYTES);
		memcpy(k.charges_digest, card->charges_digest, CANON_DIGEST_BYTES);
		git_oid_cpy(&k.cards, &f->cards);
		git_oid_cpy(&k.charges, &f->charges);
		k.bookings = f->bookings;
		k.components = f->components;
		if (snapshot_cache_add_card(&w->next, &k, e) == -1)
			return -1;
	}
	w->bookings += f->bookings;
	w->components += f->components;
	w->reused += f->have == SNAPSHOT_CARD_BOTH;
	w->charges_reused += (f->have & CANON_CHARGES_FILE) != 0 && f->have != SNAPSHOT_CARD_BOTH;
	return 0;
}

static const struct snapshot_cards_ops writer_cards = {
	writer_lookup, writer_card_done, writer_pack
};

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

/*
 * The folder entries[lo].path[0..off) of the last snapshot, when this one
 * has the same entries: as many, every one taken from the card cache
 * (found by path, so each was in that folder).  NULL otherwise.
 */
static const struct cached_folder *
unchanged_folder(const struct writer *w, size_t lo, size_t hi, size_t off)
{
	const struct cached_folder *hit;
	char path[CANON_PATH_MAX];
	size_t i;

	if (w->old == NULL || off >= sizeof path)
		return NULL;
	for (i = lo; i < hi; i++)
		if (!w->entries[i].reused)
			return NULL;
	memcpy(path, w->entries[lo].path, off);
	path[off] = '\0';
	hit = snapshot_cache_folder(w->old, path);
	return hit != NULL && hit->entries == hi - lo ? hit : NULL;
}

/*
 * An unchanged folder (one of w->old->folders) and every folder below it
 * go into the next cache as they were, each counted as reused, so that the night after this one
 * can take any of them again.  They follow it in the old cache: sorted
 * paths keep a folder's subfolders right after it.
 */
static int
carry_folders(struct writer *w, const struct cached_folder *same, struct err *e)
{
	const struct cached_folder *f, *end = w->old->folders + w->old->nfolders;
	size_t len = strlen(same->path);

	for (f = same; f < end && strncmp(f->path, same->path, len) == 0; f++) {
		if (snapshot_cache_add_folder(&w->next, f->path, strlen(f->path), &f->tree,
		    f->entries, e) == -1)
			return -1;
		w->folders_reused++;
	}
	return 0;
}

/* Appends one entry to a tree object being made: git's "MODE NAME\0"
 * and the 20 bytes of the id. */
static int
tree_entry(struct buf *t, const char *mode, const char *name, const git_oid *id)
{
	return buf_adds(t, mode) == -1 || buf_addc(t, ' ') == -1 ||
	    buf_add(t, name, strlen(name) + 1) == -1 ||
	    buf_add(t, id->id, GIT_OID_RAWSZ) == -1 ? -1 : 0;
}

/*
 * Writes the tree of entries[lo, hi), whose paths all start with the
 * same off bytes (a folder prefix ending in '/', or nothing), straight
 * into the night's pack.  Sorted paths keep every folder's entries
 * together, and in git's order for a tree: a folder "a" sorts as "a/",
 * which is where its paths "a/..." sort among the others'.  A folder
 * unchanged since the last snapshot is that snapshot's tree
 * (unchanged_folder); every folder goes into the next cache.
 */
static int
write_tree(git_oid *out, struct writer *w, size_t lo, size_t hi, size_t off, struct err *e)
{
	const struct cached_folder *same;
	struct buf t = BUF_INIT;
	char name[CANON_PATH_MAX];
	size_t i = lo, j;
	int rc = -1;

	if (off > 0 && (same = unchanged_folder(w, lo, hi, off)) != NULL) {
		git_oid_cpy(out, &same->tree);
		return carry_folders(w, same, e);
	}
	while (i < hi) {
		const char *rest = w->entries[i].path + off;
		const char *slash = strchr(rest, '/');
		size_t len = slash != NULL ? (size_t)(slash - rest) : strlen(rest);
		git_oid sub;

		if (len == 0 || len >= sizeof name) {
			err_set(e, ERR_INTERNAL, "snapshot: bad path %s", w->entries[i].path);
			goto out;
		}
		memcpy(name, rest, len);
		name[len] = '\0';
		if (slash == NULL) {
			if (tree_entry(&t, "100644", name, &w->entries[i].id) == -1)
				goto nomem;
			i++;
			continue;
		}
		for (j = i + 1; j < hi; j++) {
			const char *r2 = w->entries[j].path + off;

			if (strncmp(r2, rest, len + 1) != 0)
				break;
		}
		if (write_tree(&sub, w, i, j, off + len + 1, e) == -1)
			goto out;
		if (tree_entry(&t, "40000", name, &sub) == -1)
			goto nomem;
		i = j;
	}
	if (spack_add(w->pack, GIT_OBJECT_TREE, t.data != NULL ? t.data : "", t.len, 0, out,
	    e) == -1 ||
	    (off > 0 && snapshot_cache_add_folder(&w->next, w->entries[lo].path, off, out, hi - lo,
	    e) == -1))
		goto out;
	rc = 0;
	goto out;
nomem:
	err_set(e, ERR_SYSTEM, "snapshot: out of memory");
out:
	buf_free(&t);
	return rc;
}

static int
open_or_init(git_repository **out, const char *path, struct err *e)
{
	git_repository_init_options o;
	int r;

	if (git_repository_init_options_init(&o, GIT_REPOSITORY_INIT_OPTIONS_VERSION) < 0)
		return git_fail(e, "init options");
	r = git_repository_open_bare(out, path);
	if (r == 0)
		return 0;
	if (r != GIT_ENOTFOUND)
		return git_fail(e, path);
	o.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH |
	    GIT_REPOSITORY_INIT_NO_REINIT;
	o.initial_head = "main";
	o.description = "KSM export snapshots (czynsze audit)";
	if (git_repository_init_ext(out, path, &o) < 0)
		return git_fail(e, path);
	return 0;
}

/* The message; its format 2 lines only for a v2 export, so that a v1
 * export's commit id stays what it was. */
static int
commit_message(struct buf *b, const struct canon_counts *c)
{
	return buf_printf(b, "KSM export %s: %" PRIu64 " cards, %" PRIu64 " bookings, "
	    "%" PRIu64 " warnings\n\n"
	    "Manifest SHA-256: %s\n"
	    "Premises: %" PRIu64 "\n"
	    "People: %" PRIu64 "\n"
	    "Cards: %" PRIu64 "\n"
	    "Bookings: %" PRIu64 "\n"
	    "Charge components: %" PRIu64 "\n"
	    "Announcements: %" PRIu64 "\n"
	    "Warnings: %" PRIu64 " balance mismatch(es), %" PRIu64 " charge mismatch(es)\n",
	    c->generated_at, c->cards, c->bookings, c->warnings_balance + c->warnings_charge,
	    c->manifest_sha256, c->premises, c->people, c->cards, c->bookings, c->components,
	    c->announcements, c->warnings_balance, c->warnings_charge) == -1 ||
	    (c->format >= 2 && buf_printf(b, "Meter readings: %" PRIu64 " on %" PRIu64
	    " premises, %" PRIu64 " warning(s)\n"
	    "Documents: %" PRIu64 "\n", c->readings, c->premises_with_readings,
	    c->reading_warnings, c->documents) == -1) ? -1 : 0;
}

/*
 * The commit object: git's header lines, then the message.  Author and
 * committer are SNAPSHOT_NAME <SNAPSHOT_EMAIL> at the export's time, in
 * UTC, written as git writes them ("NAME <EMAIL> SECONDS +0000").
 */
static int
commit_object(struct buf *b, const git_oid *tree, const git_oid *parent, long long when,
    const struct canon_counts *c)
{
	char hex[GIT_OID_HEXSZ + 1];

	buf_reset(b);
	if (buf_printf(b, "tree %s\n", git_oid_tostr(hex, sizeof hex, tree)) == -1 ||
	    (parent != NULL &&
	    buf_printf(b, "parent %s\n", git_oid_tostr(hex, sizeof hex, parent)) == -1) ||
	    buf_printf(b, "author %s <%s> %lld +0000\n"
	    "committer %s <%s> %lld +0000\n\n", SNAPSHOT_NAME, SNAPSHOT_EMAIL, when,
	    SNAPSHOT_NAME, SNAPSHOT_EMAIL, when) == -1)
		return -1;
	return commit_message(b, c);
}

/* *found = 1 when refname exists and peels to a commit with tree `tree`;
 * 0 when it does not exist; -1 when it exists with another tree. */
static int
ref_has_tree(int *found, git_oid *commit_out, git_repository *git, const char *refname,
    const git_oid *tree, struct err *e)
{
	git_reference *ref = NULL;
	git_object *obj = NULL;
	int r, rc = -1;

	*found = 0;
	r = git_reference_lookup(&ref, git, refname);
	if (r == GIT_ENOTFOUND)
		return 0;
	if (r < 0)
		return git_fail(e, refname);
	if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) < 0) {
		git_fail(e, refname);
		goto out;
	}
	*found = git_oid_equal(git_commit_tree_id((git_commit *)obj), tree) ? 1 : -1;
	git_oid_cpy(commit_out, git_object_id(obj));
	rc = 0;
out:
	git_object_free(obj);
	git_reference_free(ref);
	return rc;
}

static int
count_loose(size_t *out, git_oid *ids, size_t cap, const char *objdir, struct err *e);

int
snapshot_commit(const struct home *h, struct snapshot_result *r, struct err *e)
{
	return snapshot_commit_flags(h, 0, 0, r, e);
}

int
snapshot_commit_flags(const struct home *h, unsigned flags, unsigned threads,
    struct snapshot_result *r, struct err *e)
{
	char repopath[PATH_BYTES_MAX], objdir[PATH_BYTES_MAX];
	size_t loose;

	if (snapshot_write(h, flags, threads, r, e) == -1 ||
	    home_path(h, HOME_SNAPSHOTS, repopath, e) == -1 ||
	    path_join(objdir, repopath, "objects", e) == -1 ||
	    count_loose(&loose, NULL, 0, objdir, e) == -1)
		return -1;
	/* Loose objects come only from a czynsze before packs per night. */
	if ((flags & SNAPSHOT_NO_GC) != 0 || loose <= SNAPSHOT_LOOSE_MAX)
		return 0;
	r->gc_ran = 1;
	return snapshot_gc(h, 0, &r->gc, e);
}

/*
 * Every file of the night into w and its pack: the cards first (their
 * listing runs while libgit2 still starts: snapshot_cards asks for the
 * pack only when a card's files are made), then the other files.  0, or
 * -1 with e set.
 */
static int
write_files(struct writer *w, struct db *db, const char *dbpath, unsigned threads,
    struct snapshot_result *r, struct err *e)
{
	uint64_t cards = 0;
	/* A night on top of a cache stores its few changed cards undeflated
	 * (the next pack merge deflates them); the first snapshot, --full and
	 * a night without a cache write nearly every card: deflated. */
	enum spack_level level = w->old != NULL && w->old->ncards > 0 ? SPACK_STORE :
	    SPACK_DEFLATE;

	if (snapshot_cards_write(db, dbpath, threads > 0 ? threads :
	    cpus_online(SNAPSHOT_THREADS_MAX), level, &writer_cards, w, &cards, e) == -1 ||
	    canon_write_tables(db, writer_emit, writer_have, w, &r->counts, e) == -1)
		return -1;
	r->counts.cards = cards;
	return 0;
}

/* Forgets the files w was given (the pack keeps the objects: they are
 * right, and it does not take an object twice). */
static void
writer_reset(struct writer *w)
{
	free(w->entries);
	w->entries = NULL;
	w->n = w->cap = 0;
	arena_free(&w->arena);
	snapshot_cache_free(&w->next);
	w->bookings = w->components = 0;
	w->reused = w->charges_reused = w->folders_reused = w->files_reused = 0;
	w->pending = NULL;
	w->cache_foreign = 0;
}

/* Points refname at id: created, or moved from old (NULL: must not exist). */
static int
set_ref(git_repository *git, const char *refname, const git_oid *id, const git_oid *old,
    struct err *e)
{
	git_reference *ref = NULL;
	int r;

	if (old != NULL)
		r = git_reference_create_matching(&ref, git, refname, id, 1, old, "czynsze snapshot");
	else
		r = git_reference_create(&ref, git, refname, id, 0, "czynsze snapshot");
	git_reference_free(ref);
	return r < 0 ? git_fail(e, refname) : 0;
}

static void *
git_side_open(void *arg)
{
	struct git_side *g = arg;

	g->rc = -1;
	if (start_writing(&g->e) == -1)
		return NULL;
	g->init = 1;
	if (open_or_init(&g->git, g->repopath, &g->e) == -1)
		return NULL;
	if (git_repository_odb(&g->odb, g->git) < 0) {
		git_fail(&g->e, "object database");
		return NULL;
	}
	if (spack_begin(&g->pack, g->objdir, g->odb, &g->e) == -1)
		return NULL;
	g->rc = 0;
	return NULL;
}

int
snapshot_write(const struct home *h, unsigned flags, unsigned threads,
    struct snapshot_result *r, struct err *e)
{
	struct writer w;
	struct snapshot_cache old;
	char dbpath[PATH_BYTES_MAX], repopath[PATH_BYTES_MAX], lockpath[PATH_BYTES_MAX];
	char cachepath[PATH_BYTES_MAX], objdir[PATH_BYTES_MAX];
	char refname[SNAPSHOT_TAG_BYTES + 16];
	struct db *db = NULL;
	struct buf msg = BUF_INIT;
	git_commit *parent = NULL;
	git_oid tree_id, commit_id, parent_id;
	struct spack_stats ps;
	int found = 0, have_parent = 0, rc = -1, lock_fd = -1, tag_only = 0;
	long long when;
	struct git_side gs;

	memset(r, 0, sizeof *r);
	memset(&w, 0, sizeof w);
	memset(&old, 0, sizeof old);
	if (home_path(h, HOME_DB, dbpath, e) == -1 ||
	    home_path(h, HOME_SNAPSHOTS, repopath, e) == -1 ||
	    home_path(h, SNAPSHOT_LOCK, lockpath, e) == -1 ||
	    path_join(cachepath, repopath, SNAPSHOT_CACHE, e) == -1 ||
	    path_join(objdir, repopath, "objects", e) == -1)
		return -1;
	if (lock_acquire_mode(&lock_fd, lockpath, LOCK_EXCLUSIVE, 1, e) == -1)
		return -1;
	memset(&gs, 0, sizeof gs);
	gs.repopath = repopath;
	gs.objdir = objdir;
	err_clear(&gs.e);
	w.side = &gs;
	if (pthread_create(&gs.thread, NULL, git_side_open, &gs) != 0)
		(void)git_side_open(&gs);      /* no thread: the same, here */
	else
		gs.started = 1;
	/* Meanwhile: the database and the cache (the thread touches neither). */
	if (db_open(&db, dbpath, DB_READONLY, e) == -1)
		goto out;
	if ((flags & SNAPSHOT_FULL) == 0) {
		if (snapshot_cache_load(&old, cachepath, e) == -1)
			goto out;
		w.old = &old;
	}
	if (write_files(&w, db, dbpath, threads, r, e) == -1 || writer_join(&w, e) == -1)
		goto out;
	if (w.cache_foreign) {
		/* Another repository's cache: this night again, without it. */
		writer_reset(&w);
		w.old = NULL;
		if (write_files(&w, db, dbpath, threads, r, e) == -1)
			goto out;
	}
	r->counts.bookings = w.bookings;
	r->counts.components = w.components;
	r->files = w.n;
	r->reused = w.reused;
	r->charges_reused = w.charges_reused;
	r->files_reused = w.files_reused;
	if (w.n > 0)
		qsort(w.entries, w.n, sizeof *w.entries, entry_cmp);
	if (write_tree(&tree_id, &w, 0, w.n, 0, e) == -1)
		goto out;
	r->folders_reused = w.folders_reused;
	oid_hex(r->tree, &tree_id);

	/* The tag: ksm-YYYYMMDD, or with the time when that day is taken. */
	(void)snprintf(r->tag, sizeof r->tag, SNAPSHOT_TAG_PREFIX "%.4s%.2s%.2s",
	    r->counts.generated_at, r->counts.generated_at + 5, r->counts.generated_at + 8);
	(void)snprintf(refname, sizeof refname, "refs/tags/%s", r->tag);
	if (ref_has_tree(&found, &commit_id, w.git, refname, &tree_id, e) == -1)
		goto out;
	if (found == -1) {
		(void)snprintf(r->tag, sizeof r->tag, SNAPSHOT_TAG_PREFIX "%.4s%.2s%.2sT%.2s%.2s%.2s",
		    r->counts.generated_at, r->counts.generated_at + 5, r->counts.generated_at + 8,
		    r->counts.generated_at + 11, r->counts.generated_at + 14,
		    r->counts.generated_at + 17);
		(void)snprintf(refname, sizeof refname, "refs/tags/%s", r->tag);
		if (ref_has_tree(&found, &commit_id, w.git, refname, &tree_id, e) == -1)
			goto out;
		if (found == -1) {
			err_set(e, ERR_DATA, "snapshot: tag %s already names another snapshot", r->tag);
			goto out;
		}
	}
	if (found == 1) {
		oid_hex(r->commit, &commit_id);
		goto done;
	}

	when = timestamp_to_epoch(r->counts.generated_at);
	if (ref_has_tree(&found, &parent_id, w.git, SNAPSHOT_BRANCH, &tree_id, e) == -1)
		goto out;
	if (found != 0) {
		if (git_commit_lookup(&parent, w.git, &parent_id) < 0) {
			git_fail(e, "branch head");
			goto out;
		}
		have_parent = 1;
	}
	if (found == 1 && git_commit_time(parent) == (git_time_t)when) {
		/* The head is this export's snapshot, only its tag is missing. */
		git_oid_cpy(&commit_id, &parent_id);
		tag_only = 1;
	} else {
		if (commit_object(&msg, &tree_id, have_parent ? &parent_id : NULL, when,
		    &r->counts) == -1) {
			err_set(e, ERR_SYSTEM, "snapshot: out of memory");
			goto out;
		}
		/* No ref yet: the branch moves once the pack is on disk. */
		if (spack_add(w.pack, GIT_OBJECT_COMMIT, msg.data, msg.len, 0, &commit_id,
		    e) == -1)
			goto out;
		r->created = 1;
	}
	/* Every new object, one pack, durable before any ref names it. */
	r->new_objects = spack_objects(w.pack);
	if (spack_commit(w.pack, NULL, e) == -1)
		goto out;
	if (git_odb_refresh(w.odb) < 0) {
		git_fail(e, "object database");
		goto out;
	}
	oid_hex(r->commit, &commit_id);
	if ((!tag_only && set_ref(w.git, SNAPSHOT_BRANCH, &commit_id,
	    have_parent ? &parent_id : NULL, e) == -1) ||
	    set_ref(w.git, refname, &commit_id, NULL, e) == -1)
		goto out;
done:
	if (snapshot_cache_save(&w.next, cachepath, &tree_id, e) == -1)
		goto out;
	if ((flags & SNAPSHOT_NO_GC) == 0) {
		if (spack_consolidate(w.odb, objdir, &ps, e) == -1)
			goto out;
		r->packs_merged = ps.packs_before > ps.packs_after ? ps.packs_before - ps.packs_after : 0;
	}
	rc = 0;
out:
	/* The thread's objects are the writer's once joined (here at the
	 * latest, when a failure came first). */
	if (w.side != NULL && !w.side->joined) {
		struct err ignored;

		(void)writer_join(&w, &ignored);
	}
	spack_free(w.pack);
	buf_free(&msg);
	git_commit_free(parent);
	git_odb_free(w.odb);
	git_repository_free(w.git);
	free(w.entries);
	arena_free(&w.arena);
	snapshot_cache_free(&w.next);
	snapshot_cache_free(&old);
	db_close(db);
	if (w.init)
		(void)git_libgit2_shutdown();
	lock_release(lock_fd);
	return rc;
}

/* ---- packing ---- */

static int
is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[n] == '\0';
}

/* Counts the loose objects in objdir/sub (sub: two hex digits); with
 * ids, stores them from ids[*n] while *n < cap. */
static int
count_loose_in(size_t *n, git_oid *ids, size_t cap, const char *objdir, const char *sub,
    struct err *e)
{
	char path[PATH_BYTES_MAX], hex[GIT_OID_HEXSZ + 1];
	DIR *dir;
	struct dirent *de;
	int rc = -1;

	if (path_join(path, objdir, sub, e) == -1)
		return -1;
	if ((dir = opendir(path)) == NULL)
		return errno == ENOENT || errno == ENOTDIR ? 0 : err_sys(e, "%s", path);
	while ((de = readdir(dir)) != NULL) {
		if (!is_hex(de->d_name, GIT_OID_HEXSZ - 2))
			continue;
		if (ids != NULL && *n < cap) {
			memcpy(hex, sub, 2);
			memcpy(hex + 2, de->d_name, GIT_OID_HEXSZ - 2);
			hex[GIT_OID_HEXSZ] = '\0';
			if (git_oid_fromstr(&ids[*n], hex) < 0) {
				git_fail(e, hex);
				goto out;
			}
		}
		(*n)++;
	}
	rc = 0;
out:
	(void)closedir(dir);
	return rc;
}

/* Counts loose objects under objdir (in its two-hex-digit folders, of
 * which a packed repository has none); with ids, stores up to cap of
 * them. */
static int
count_loose(size_t *out, git_oid *ids, size_t cap, const char *objdir, struct err *e)
{
	DIR *dir;
	struct dirent *de;
	size_t n = 0;
	int rc = -1;

	if ((dir = opendir(objdir)) == NULL) {
		if (errno != ENOENT)
			return err_sys(e, "%s", objdir);
		*out = 0;
		return 0;
	}
	while ((de = readdir(dir)) != NULL)
		if (is_hex(de->d_name, 2) &&
		    count_loose_in(&n, ids, cap, objdir, de->d_name, e) == -1)
			goto out;
	*out = n;
	rc = 0;
out:
	(void)closedir(dir);
	return rc;
}

static int
oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/*
 * Removes objects/pack/pack-* files except those of the pack named keep:
 * the indexes first (a pack without its index is invisible to readers),
 * then the rest.
 */
static int
remove_other_packs(const char *objdir, const char *keep, struct err *e)
{
	char dir[PATH_BYTES_MAX], path[PATH_BYTES_MAX];
	DIR *d;
	struct dirent *de;
	int pass, rc = 0;

	if (path_join(dir, objdir, "pack", e) == -1)
		return -1;
	for (pass = 0; pass < 2 && rc == 0; pass++) {
		if ((d = opendir(dir)) == NULL)
			return err_sys(e, "%s", dir);
		while ((de = readdir(d)) != NULL) {
			/* "pack-" + 40 hex + "." + extension */
			if (strncmp(de->d_name, "pack-", 5) != 0 || strlen(de->d_name) < 46 ||
			    strncmp(de->d_name + 5, keep, 40) == 0 ||
			    (strcmp(de->d_name + 45, ".idx") == 0) != (pass == 0))
				continue;
			if (path_join(path, dir, de->d_name, e) == -1 ||
			    unlink_if_exists(path, e) == -1) {
				rc = -1;
				break;
			}
		}
		(void)closedir(d);
	}
	return rc;
}

int
snapshot_gc(const struct home *h, int full, struct snapshot_gc_result *r, struct err *e)
{
	char repopath[PATH_BYTES_MAX], objdir[PATH_BYTES_MAX], path[PATH_BYTES_MAX];
	char hex[GIT_OID_HEXSZ + 1];
	git_repository *git = NULL;
	git_packbuilder *pb = NULL;
	git_revwalk *walk = NULL;
	git_oid *ids = NULL;
	size_t n = 0, i, cap;
	char lockpath[PATH_BYTES_MAX];
	int rc = -1, init = 0, lock_fd = -1;

	memset(r, 0, sizeof *r);
	if (home_path(h, HOME_SNAPSHOTS, repopath, e) == -1 ||
	    home_path(h, SNAPSHOT_LOCK, lockpath, e) == -1 ||
	    path_join(objdir, repopath, "objects", e) == -1)
		return -1;
	if (lock_acquire_mode(&lock_fd, lockpath, LOCK_EXCLUSIVE, 1, e) == -1)
		return -1;
	if (start_writing(e) == -1)
		goto out;
	init = 1;
	if (git_repository_open_bare(&git, repopath) < 0) {
		git_fail(e, repopath);
		goto out;
	}
	if (count_loose(&cap, NULL, 0, objdir, e) == -1)
		goto out;
	r->loose_before = cap;
	if (cap == 0 && !full) {
		rc = 0;
		goto out;
	}
	if ((ids = calloc(cap + 1, sizeof *ids)) == NULL) {
		err_set(e, ERR_SYSTEM, "snapshot gc: out of memory");
		goto out;
	}
	if (count_loose(&n, ids, cap, objdir, e) == -1)
		goto out;
	if (n > cap)
		n = cap;   /* objects written meanwhile wait for the next run */
	qsort(ids, n, sizeof *ids, oid_cmp);
	if (git_packbuilder_new(&pb, git) < 0) {
		git_fail(e, "pack builder");
		goto out;
	}
	(void)git_packbuilder_set_threads(pb, 0);
	if (full) {
		/* Everything the tags and branches reach, deltas across nights. */
		if (git_revwalk_new(&walk, git) < 0 || git_revwalk_push_glob(walk, "refs/*") < 0 ||
		    git_packbuilder_insert_walk(pb, walk) < 0) {
			git_fail(e, "walking the snapshots");
			goto out;
		}
	} else {
		for (i = 0; i < n; i++) {
			if (git_packbuilder_insert(pb, &ids[i], NULL) < 0) {
				git_oid_tostr(hex, sizeof hex, &ids[i]);
				git_fail(e, hex);
				goto out;
			}
		}
	}
	r->packed = git_packbuilder_object_count(pb);
	if (git_packbuilder_write(pb, NULL, 0, NULL, NULL) < 0) {
		git_fail(e, "writing pack");
		goto out;
	}
	if (full && remove_other_packs(objdir, git_packbuilder_name(pb), e) == -1)
		goto out;
	/* The pack and its index are in place: the loose copies can go.  A full
	 * pack holds every reachable object; loose ones it lacks were garbage
	 * (a snapshot interrupted before its commit). */
	for (i = 0; i < n; i++) {
		git_oid_tostr(hex, sizeof hex, &ids[i]);
		if (snprintf(path, sizeof path, "%s/%.2s/%s", objdir, hex, hex + 2) >=
		    (int)sizeof path) {
			err_set(e, ERR_SYSTEM, "%s: path too long", objdir);
			goto out;
		}
		if (unlink_if_exists(path, e) == -1)
			goto out;
	}
	for (i = 0; i < 256; i++) {
		if (snprintf(path, sizeof path, "%s/%02zx", objdir, i) < (int)sizeof path)
			(void)rmdir(path);   /* only empty ones go */
	}
	if (count_loose(&r->loose_after, NULL, 0, objdir, e) == -1)
		goto out;
	rc = 0;
out:
	git_revwalk_free(walk);
	git_packbuilder_free(pb);
	free(ids);
	git_repository_free(git);
	if (init)
		(void)git_libgit2_shutdown();
	lock_release(lock_fd);
	return rc;
}

/* ---- reading ---- */

static int
collect_tag(const char *name, git_oid *id, void *payload)
{
	struct snapshot_repo *repo = payload;
	const char *shortname = name;
	git_object *obj = NULL, *peeled = NULL;
	struct tag_ref *grown;

	if (strncmp(shortname, "refs/tags/", 10) == 0)
		shortname += 10;
	if (strlen(shortname) >= SNAPSHOT_TAG_BYTES)
		return 0;
	if (git_object_lookup(&obj, repo->git, id, GIT_OBJECT_ANY) < 0)
		return 0;   /* a tag pointing nowhere is no snapshot */
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		git_object_free(obj);
		return 0;
	}
	if ((grown = realloc(repo->tags, (repo->ntags + 1) * sizeof *grown)) == NULL) {
		git_object_free(peeled);
		git_object_free(obj);
		return -1;
	}
	repo->tags = grown;
	git_oid_cpy(&grown[repo->ntags].commit, git_object_id(peeled));
	(void)snprintf(grown[repo->ntags].name, SNAPSHOT_TAG_BYTES, "%s", shortname);
	repo->ntags++;
	git_object_free(peeled);
	git_object_free(obj);
	return 0;
}

int
snapshot_open(struct snapshot_repo **out, const struct home *h, struct err *e)
{
	char repopath[PATH_BYTES_MAX], lockpath[PATH_BYTES_MAX];
	struct snapshot_repo *repo;
	int r, fd = -1;

	if (home_path(h, HOME_SNAPSHOTS, repopath, e) == -1 ||
	    home_path(h, SNAPSHOT_LOCK, lockpath, e) == -1)
		return -1;
	if (access(repopath, F_OK) != 0)
		return err_set(e, ERR_USAGE, "no snapshots yet (%s); import an export first",
		    repopath);
	/* Waits while a snapshot is written or packs are merged. */
	if (lock_acquire_mode(&fd, lockpath, LOCK_SHARED, 1, e) == -1)
		return -1;
	if ((repo = calloc(1, sizeof *repo)) == NULL) {
		lock_release(fd);
		return err_set(e, ERR_SYSTEM, "snapshot: out of memory");
	}
	repo->lock_fd = fd;
	if (git_libgit2_init() < 0) {
		lock_release(fd);
		free(repo);
		return git_fail(e, "init");
	}
	if (git_repository_open_bare(&repo->git, repopath) < 0) {
		git_fail(e, repopath);
		snapshot_close(repo);
		return -1;
	}
	r = git_tag_foreach(repo->git, collect_tag, repo);
	if (r < 0) {
		git_fail(e, "tags");
		snapshot_close(repo);
		return -1;
	}
	*out = repo;
	return 0;
}

void
snapshot_close(struct snapshot_repo *repo)
{
	if (repo == NULL)
		return;
	git_repository_free(repo->git);
	free(repo->tags);
	lock_release(repo->lock_fd);
	free(repo);
	(void)git_libgit2_shutdown();
}

static void
fill_info(struct snapshot_repo *repo, const git_commit *c, struct snapshot_info *out)
{
	time_t t = (time_t)git_commit_time(c);
	const char *summary;
	struct tm tm;
	size_t i;

	memset(out, 0, sizeof *out);
	oid_hex(out->commit, git_commit_id(c));
	oid_hex(out->tree, git_commit_tree_id(c));
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out->generated_at, sizeof out->generated_at, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		(void)snprintf(out->generated_at, sizeof out->generated_at, "?");
	summary = git_commit_summary((git_commit *)c);
	(void)snprintf(out->summary, sizeof out->summary, "%s", summary != NULL ? summary : "");
	out->has_parent = git_commit_parentcount(c) > 0;
	/* The smallest tag name pointing at c, for a stable answer. */
	for (i = 0; i < repo->ntags; i++)
		if (git_oid_equal(&repo->tags[i].commit, git_commit_id(c)) &&
		    (out->tag[0] == '\0' || strcmp(repo->tags[i].name, out->tag) < 0))
			(void)snprintf(out->tag, sizeof out->tag, "%s", repo->tags[i].name);
}

int
snapshot_resolve(struct snapshot_repo *repo, const char *rev, struct snapshot_info *out,
    struct err *e)
{
	git_object *obj = NULL, *peeled = NULL;
	int r;

	if (rev == NULL)
		rev = SNAPSHOT_BRANCH;
	r = git_revparse_single(&obj, repo->git, rev);
	if (r == GIT_ENOTFOUND || r == GIT_EINVALIDSPEC || r == GIT_EAMBIGUOUS)
		return err_set(e, ERR_USAGE, "no snapshot %s", rev);
	if (r < 0)
		return git_fail(e, rev);
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		git_object_free(obj);
		return err_set(e, ERR_USAGE, "%s is not a snapshot", rev);
	}
	fill_info(repo, (git_commit *)peeled, out);
	git_object_free(peeled);
	git_object_free(obj);
	return 0;
}

static int
lookup_commit(git_commit **out, struct snapshot_repo *repo, const char *hex, struct err *e)
{
	git_oid id;

	if (git_oid_fromstr(&id, hex) < 0 || git_commit_lookup(out, repo->git, &id) < 0)
		return git_fail(e, hex);
	return 0;
}

int
snapshot_parent(struct snapshot_repo *repo, const struct snapshot_info *s,
    struct snapshot_info *out, struct err *e)
{
	git_commit *c = NULL, *p = NULL;
	int rc = -1;

	if (lookup_commit(&c, repo, s->commit, e) == -1)
		return -1;
	if (git_commit_parentcount(c) == 0) {
		err_set(e, ERR_USAGE, "%s is the first snapshot; nothing to compare it with",
		    s->tag[0] != '\0' ? s->tag : s->commit);
		goto out;
	}
	if (git_commit_parent(&p, c, 0) < 0) {
		git_fail(e, "parent");
		goto out;
	}
	fill_info(repo, p, out);
	rc = 0;
out:
	git_commit_free(p);
	git_commit_free(c);
	return rc;
}

int
snapshot_log(struct snapshot_repo *repo,
    int (*fn)(void *ctx, const struct snapshot_info *s, struct err *e),
    void *ctx, struct err *e)
{
	struct snapshot_info info;
	git_commit *c = NULL, *p;
	git_oid head;
	int r, rc = -1;

	r = git_reference_name_to_id(&head, repo->git, SNAPSHOT_BRANCH);
	if (r == GIT_ENOTFOUND)
		return 0;
	if (r < 0 || git_commit_lookup(&c, repo->git, &head) < 0)
		return git_fail(e, SNAPSHOT_BRANCH);
	for (;;) {
		fill_info(repo, c, &info);
		if ((r = fn(ctx, &info, e)) != 0) {
			rc = r < 0 ? -1 : 0;
			goto out;
		}
		if (git_commit_parentcount(c) == 0)
			break;
		if (git_commit_parent(&p, c, 0) < 0) {
			git_fail(e, "parent");
			goto out;
		}
		git_commit_free(c);
		c = p;
	}
	rc = 0;
out:
	git_commit_free(c);
	return rc;
}

static int
commit_tree(git_tree **out, struct snapshot_repo *repo, const struct snapshot_info *s,
    struct err *e)
{
	git_oid id;

	if (git_oid_fromstr(&id, s->tree) < 0 || git_tree_lookup(out, repo->git, &id) < 0)
		return git_fail(e, s->tree);
	return 0;
}

struct diff_walk {
	git_repository *git;
	int (*fn)(void *, const char *, struct snapshot_blob, struct snapshot_blob, struct err *);
	void *ctx;
	struct err *e;
};

static int
blob_of(git_blob **out, struct snapshot_blob *b, git_repository *git, const git_tree_entry *te,
    struct err *e)
{
	*out = NULL;
	b->data = NULL;
	b->len = 0;
	if (te == NULL)
		return 0;
	if (git_blob_lookup(out, git, git_tree_entry_id(te)) < 0)
		return git_fail(e, git_tree_entry_name(te));
	b->data = git_blob_rawcontent(*out);
	b->len = (size_t)git_blob_rawsize(*out);
	if (b->data == NULL)
		b->data = "";
	return 0;
}

static int diff_trees(struct diff_walk *w, const git_tree *a, const git_tree *b,
    const char *prefix);

/* Compares one name present in a, b or both (entries NULL when absent). */
static int
diff_entry(struct diff_walk *w, const git_tree_entry *ea, const git_tree_entry *eb,
    const char *prefix)
{
	const git_tree_entry *any = ea != NULL ? ea : eb;
	char path[CANON_PATH_MAX];
	int ta = ea != NULL && git_tree_entry_type(ea) == GIT_OBJECT_TREE;
	int tb = eb != NULL && git_tree_entry_type(eb) == GIT_OBJECT_TREE;
	int rc = -1;

	if (ea != NULL && eb != NULL && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)))
		return 0;
	if (snprintf(path, sizeof path, "%s%s", prefix, git_tree_entry_name(any)) >=
	    (int)sizeof path)
		return err_set(w->e, ERR_DATA, "snapshot: path too long");
	if ((ea != NULL && eb != NULL && ta != tb)) {
		/* A file became a folder or back: all gone, then all new. */
		return diff_entry(w, ea, NULL, prefix) == -1 ? -1 : diff_entry(w, NULL, eb, prefix);
	}
	if (ta || tb) {
		git_tree *sa = NULL, *sb = NULL;

		if ((ea != NULL && git_tree_lookup(&sa, w->git, git_tree_entry_id(ea)) < 0) ||
		    (eb != NULL && git_tree_lookup(&sb, w->git, git_tree_entry_id(eb)) < 0)) {
			git_fail(w->e, path);
		} else if (strlen(path) + 2 > sizeof path) {
			err_set(w->e, ERR_DATA, "snapshot: path too long");
		} else {
			size_t len = strlen(path);

			path[len] = '/';
			path[len + 1] = '\0';
			rc = diff_trees(w, sa, sb, path);
		}
		git_tree_free(sa);
		git_tree_free(sb);
		return rc;
	} else {
		git_blob *ba = NULL, *bb = NULL;
		struct snapshot_blob oa, ob;

		if (blob_of(&ba, &oa, w->git, ea, w->e) == 0 &&
		    blob_of(&bb, &ob, w->git, eb, w->e) == 0)
			rc = w->fn(w->ctx, path, oa, ob, w->e);
		git_blob_free(ba);
		git_blob_free(bb);
		return rc;
	}
}

static int
diff_trees(struct diff_walk *w, const git_tree *a, const git_tree *b, const char *prefix)
{
	size_t i, n;

	n = a != NULL ? git_tree_entrycount(a) : 0;
	for (i = 0; i < n; i++) {
		const git_tree_entry *ea = git_tree_entry_byindex(a, i);
		const git_tree_entry *eb = b != NULL ?
		    git_tree_entry_byname(b, git_tree_entry_name(ea)) : NULL;

		if (diff_entry(w, ea, eb, prefix) == -1)
			return -1;
	}
	n = b != NULL ? git_tree_entrycount(b) : 0;
	for (i = 0; i < n; i++) {
		const git_tree_entry *eb = git_tree_entry_byindex(b, i);

		if (a != NULL && git_tree_entry_byname(a, git_tree_entry_name(eb)) != NULL)
			continue;
		if (diff_entry(w, NULL, eb, prefix) == -1)
			return -1;
	}
	return 0;
}

int
snapshot_diff_files(struct snapshot_repo *repo, const struct snapshot_info *a,
    const struct snapshot_info *b,
    int (*fn)(void *ctx, const char *path, struct snapshot_blob old_file,
        struct snapshot_blob new_file, struct err *e),
    void *ctx, struct err *e)
{
	struct diff_walk w = { repo->git, fn, ctx, e };
	git_tree *ta = NULL, *tb = NULL;
	int rc = -1;

	if (commit_tree(&ta, repo, a, e) == 0 && commit_tree(&tb, repo, b, e) == 0)
		rc = diff_trees(&w, ta, tb, "");
	git_tree_free(ta);
	git_tree_free(tb);
	return rc;
}

struct foreach_walk {
	git_repository *git;
	int (*fn)(void *, const char *, struct snapshot_blob, struct err *);
	void *ctx;
	struct err *e;
};

static int
foreach_tree(struct foreach_walk *w, const git_tree *t, const char *prefix)
{
	char path[CANON_PATH_MAX];
	size_t i, n = git_tree_entrycount(t);

	for (i = 0; i < n; i++) {
		const git_tree_entry *te = git_tree_entry_byindex(t, i);
		int rc = -1;

		if (snprintf(path, sizeof path, "%s/%s", prefix, git_tree_entry_name(te)) >=
		    (int)sizeof path)
			return err_set(w->e, ERR_DATA, "snapshot: path too long");
		if (git_tree_entry_type(te) == GIT_OBJECT_TREE) {
			git_tree *sub = NULL;

			if (git_tree_lookup(&sub, w->git, git_tree_entry_id(te)) < 0)
				git_fail(w->e, path);
			else
				rc = foreach_tree(w, sub, path);
			git_tree_free(sub);
		} else {
			git_blob *blob = NULL;
			struct snapshot_blob b;

			if (blob_of(&blob, &b, w->git, te, w->e) == 0)
				rc = w->fn(w->ctx, path, b, w->e);
			git_blob_free(blob);
		}
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* The entry at path in s's tree: 1 found (*te: free it), 0 absent, -1 error. */
static int
entry_at(git_tree_entry **te, struct snapshot_repo *repo, const struct snapshot_info *s,
    const char *path, struct err *e)
{
	git_tree *root = NULL;
	int r;

	*te = NULL;
	if (commit_tree(&root, repo, s, e) == -1)
		return -1;
	r = git_tree_entry_bypath(te, root, path);
	git_tree_free(root);
	if (r == GIT_ENOTFOUND)
		return 0;
	if (r < 0)
		return git_fail(e, path);
	return 1;
}

int
snapshot_foreach_file(struct snapshot_repo *repo, const struct snapshot_info *s,
    const char *dir,
    int (*fn)(void *ctx, const char *path, struct snapshot_blob file, struct err *e),
    void *ctx, struct err *e)
{
	struct foreach_walk w = { repo->git, fn, ctx, e };
	git_tree *sub = NULL;
	git_tree_entry *te = NULL;
	int r, rc = -1;

	if ((r = entry_at(&te, repo, s, dir, e)) <= 0)
		return r;
	if (git_tree_lookup(&sub, repo->git, git_tree_entry_id(te)) < 0)
		git_fail(e, dir);
	else
		rc = foreach_tree(&w, sub, dir);
	git_tree_free(sub);
	git_tree_entry_free(te);
	return rc;
}

int
snapshot_read(struct snapshot_repo *repo, const struct snapshot_info *s, const char *path,
    char **out, size_t *n, struct err *e)
{
	git_tree_entry *te = NULL;
	git_blob *blob = NULL;
	int r, rc = -1;

	*out = NULL;
	*n = 0;
	if ((r = entry_at(&te, repo, s, path, e)) <= 0)
		return r;
	if (git_blob_lookup(&blob, repo->git, git_tree_entry_id(te)) < 0) {
		git_fail(e, path);
		goto out;
	}
	*n = (size_t)git_blob_rawsize(blob);
	if ((*out = malloc(*n + 1)) == NULL) {
		err_set(e, ERR_SYSTEM, "%s: out of memory", path);
		goto out;
	}
	if (*n > 0)
		memcpy(*out, git_blob_rawcontent(blob), *n);
	(*out)[*n] = '\0';
	rc = 0;
out:
	git_blob_free(blob);
	git_tree_entry_free(te);
	return rc;
}
