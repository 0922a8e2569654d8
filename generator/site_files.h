/*
 * site_files.h — how the generator writes and lists files of the site.
 *
 * site_write_file is the one way a file of the output folder is written:
 * only when its bytes change (lib/fsutil.h write_file_if_changed), to a
 * temporary file renamed over the old one, so a reader (nginx) sees the
 * old file or the new one and a file hard-linked into another generation
 * (nightly/generation.h) is never written in place.  Not fsynced one by
 * one: whoever publishes the folder calls sync_filesystem() first
 * (generate_run does, once).
 *
 * One struct site_writer per thread: it counts what it wrote and keeps a
 * worker's verbose lines until the run prints them in order.
 */
#ifndef CZYNSZE_SITE_FILES_H
#define CZYNSZE_SITE_FILES_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

struct site_writer {
	const char *out_dir;        /* OUT, created by the caller */
	int verbose;                /* a line "wrote REL" per file written */
	struct buf *log;            /* where those lines go; NULL: stdout */
	unsigned long written, unchanged;
	int owner_only;             /* folders 0700, files 0600 (generate --plain:
	                               statements in clear); else 0755/0644, for
	                               the web server */
};

/* Writes OUT/rel (creating folders) unless it already holds exactly
 * data[0..n); counts written/unchanged.  ERR_SYSTEM for I/O and memory;
 * on error OUT/rel is the old file or missing, never a part. */
int site_write_file(struct site_writer *w, const char *rel, const void *data, size_t n,
    struct err *e);

/* With verbose, the line "WHAT REL" (where "wrote" lines go): what a
 * resident's file was made by ("rendered", "re-sealed"). */
int site_note(struct site_writer *w, const char *what, const char *rel, struct err *e);

/* A list of names (file names, person ids), each a malloc'd string the
 * list owns.  Start from NAMES_INIT; names_free releases all. */
struct names {
	char **v;
	size_t n, cap;
};
#define NAMES_INIT { NULL, 0, 0 }

/* Appends a copy of s; -1 with ERR_SYSTEM when out of memory (the list
 * unchanged). */
int names_add(struct names *ns, const char *s, struct err *e);
/* Sorts by strcmp. */
void names_sort(struct names *ns);
/* 1 when s is in ns (sorted), else 0. */
int names_has(const struct names *ns, const char *s);
void names_free(struct names *ns);

enum list_what { LIST_FILES, LIST_DIRS, LIST_BOTH };

/* Appends the entries of dir (no dot files), sorted: regular files,
 * folders or both.  A missing dir gives none. */
int list_dir(struct names *out, const char *dir, enum list_what what, struct err *e);

#endif
