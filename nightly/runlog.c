/* runlog.c — log file and syslog for the nightly job. */
#include "runlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "fsutil.h"

int
runlog_open(struct runlog *l, const struct home *h, const char *who, int use_syslog,
    struct err *e)
{
	char path[PATH_BYTES_MAX];

	l->fd = -1;
	l->syslog = use_syslog;
	l->who = who;
	if (use_syslog)
		openlog("czynsze", LOG_PID, LOG_DAEMON);
	if (home_path(h, RUNLOG_FILE, path, e) == -1)
		return -1;
	l->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (l->fd == -1)
		return err_sys(e, "open %s", path);
	return 0;
}

static void
write_line(struct runlog *l, enum runlog_level level, const char *msg)
{
	static const int prio[] = { LOG_INFO, LOG_WARNING, LOG_ERR };
	static const char *const tag[] = { "", "warning: ", "error: " };
	char line[RUNLOG_LINE_BYTES_MAX], now[21];
	size_t n, i;
	int len;

	if (l->syslog)
		syslog(prio[level], "%s: %s%s", l->who, tag[level], msg);
	if (l->fd == -1)
		return;
	utc_now(now);
	len = snprintf(line, sizeof line - 1, "%s %s[%ld]: %s%s", now, l->who, (long)getpid(),
	    tag[level], msg);
	if (len < 0)
		return;
	n = (size_t)len < sizeof line - 1 ? (size_t)len : sizeof line - 2;
	for (i = 0; i < n; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	line[n++] = '\n';
	/* one write(2) per line: O_APPEND keeps lines whole */
	if (write(l->fd, line, n) == -1)
		return;
}

void
runlog_printf(struct runlog *l, enum runlog_level level, const char *fmt, ...)
{
	char msg[RUNLOG_LINE_BYTES_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	write_line(l, level, msg);
}

void
runlog_lines(struct runlog *l, enum runlog_level level, const char *text)
{
	char msg[RUNLOG_LINE_BYTES_MAX];
	const char *p = text, *nl;
	size_t n;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (n >= sizeof msg)
			n = sizeof msg - 1;
		(void)memcpy(msg, p, n);
		msg[n] = '\0';
		if (n > 0)
			write_line(l, level, msg);
		p = nl != NULL ? nl + 1 : NULL;
	}
}

void
runlog_close(struct runlog *l)
{
	if (l == NULL)
		return;
	if (l->fd != -1)
		(void)close(l->fd);
	l->fd = -1;
	if (l->syslog)
		closelog();
	l->syslog = 0;
}
