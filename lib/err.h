/*
 * err.h — error detail passed down by the caller.
 *
 * Fallible functions in this project return 0 on success and -1 on error;
 * on error they fill the `struct err` the caller passed (never a global).
 * Messages are lowercase, without a full stop, what failed first and where:
 *
 *     obroty.csv:1203: field wn: not an amount (12.345,67)
 *
 * `kind` tells main() which exit status to use (see enum err_kind).
 */
#ifndef CZYNSZE_ERR_H
#define CZYNSZE_ERR_H

#include <stddef.h>

enum err_kind {
	ERR_NONE = 0,
	ERR_DATA = 1,     /* bad input: the export (or a file given) is wrong */
	ERR_USAGE = 2,    /* wrong command line */
	ERR_LOCKED = 3,   /* another run holds the lock */
	ERR_SYSTEM = 4,   /* the environment failed: I/O, disk full, memory */
	ERR_INTERNAL = 5, /* a library reported what should not happen */
	ERR_REFUSED = 6,  /* refused by policy (older export without --force) */
	ERR_NOT_READY = 7, /* the export is still arriving (manifest missing, files
	                      changing): nothing was tried, try again later */
};

#define ERR_MSG_MAX 1024

struct err {
	enum err_kind kind;
	char msg[ERR_MSG_MAX];
};

/* Clears e.  Can't fail. */
void err_clear(struct err *e);

/* Sets kind and message (printf-style, truncated to ERR_MSG_MAX).
 * Always returns -1 so that callers can write `return err_set(...)`. */
int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like err_set with ERR_SYSTEM, appending ": strerror(errno)". */
int err_sys(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Both always return -1; saying so where they are called lets the static
 * analyzer (which sees one file at a time) follow `return err_set(...)`
 * as the failure it is.  (err.c defines the functions themselves.) */
#ifndef CZYNSZE_ERR_C
static inline int err_minus_one(void) { return -1; }
#define err_set(...) (err_set(__VA_ARGS__), err_minus_one())
#define err_sys(...) (err_sys(__VA_ARGS__), err_minus_one())
#endif

/* Prefixes the existing message with "prefix: ".  Returns -1. */
int err_prefix(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
