#include "diag.h"

int
diag_error(struct diag *d, const struct err *e)
{
	d->errors++;
	if (d->errors <= DIAG_ERRORS_MAX)
		(void)buf_printf(&d->error_text, "%s\n", e->msg); /* best effort */
	return d->errors < DIAG_ERRORS_MAX ? 0 : -1;
}

void
diag_free(struct diag *d)
{
	buf_free(&d->error_text);
}
