#define CZYNSZE_ERR_C /* the real err_set/err_sys, not the macros */
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
err_clear(struct err *e)
{
	e->kind = ERR_NONE;
	e->msg[0] = '\0';
}

int
err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	e->kind = kind;
	va_start(ap, fmt);
	(void)vsnprintf(e->msg, sizeof e->msg, fmt, ap); /* truncation is fine */
	va_end(ap);
	return -1;
}

/* Appends s to the message, truncating at ERR_MSG_MAX. */
static void
append(struct err *e, const char *s)
{
	size_t n = strnlen(e->msg, sizeof e->msg - 1), k = strlen(s);

	if (k > sizeof e->msg - 1 - n)
		k = sizeof e->msg - 1 - n;
	memcpy(e->msg + n, s, k);
	/* n + k <= sizeof e->msg - 1 (n is at most that by strnlen) */
	/* cppcheck-suppress arrayIndexOutOfBoundsCond */
	e->msg[n + k] = '\0';
}

int
err_sys(struct err *e, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	e->kind = ERR_SYSTEM;
	va_start(ap, fmt);
	(void)vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	append(e, ": ");
	append(e, strerror(saved));
	return -1;
}

int
err_prefix(struct err *e, const char *fmt, ...)
{
	char prefix[ERR_MSG_MAX], old[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof old);
	e->msg[0] = '\0';
	append(e, prefix);
	append(e, ": ");
	append(e, old);
	return -1;
}
