/*
 * runlog.h — the nightly job's log: HOME/czynsze.log and, on request,
 * syslog(3) (facility LOG_DAEMON, ident "czynsze").
 *
 * Each line in the file: "2021-12-29T02:10:03Z nightly[4121]: MESSAGE",
 * UTC, appended (O_APPEND: whole lines even with a concurrent writer),
 * file mode 0600.  Logging never fails the job: a line that cannot be
 * written is dropped (the status file and the exit status still tell).
 */
#ifndef CZYNSZE_RUNLOG_H
#define CZYNSZE_RUNLOG_H

#include "err.h"
#include "home.h"

#define RUNLOG_FILE "czynsze.log"
#define RUNLOG_LINE_BYTES_MAX 4096

struct runlog {
	int fd;             /* -1: no file */
	int syslog;         /* also to syslog */
	const char *who;    /* "nightly", "rollback", ... */
};

enum runlog_level { RUNLOG_INFO, RUNLOG_WARNING, RUNLOG_ERROR };

/* Opens HOME/czynsze.log (created 0600).  On failure the log is off and
 * e says why; the caller may go on. */
int runlog_open(struct runlog *l, const struct home *h, const char *who, int use_syslog,
    struct err *e);

/* One line (printf-style; newlines in it become spaces).  Can't fail. */
void runlog_printf(struct runlog *l, enum runlog_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Every line of text (e.g. the import's list of errors) as its own line. */
void runlog_lines(struct runlog *l, enum runlog_level level, const char *text);

/* NULL-safe; can't fail. */
void runlog_close(struct runlog *l);

#endif
