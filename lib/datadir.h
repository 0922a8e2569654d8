/*
 * datadir.h — where an installed czynsze finds what it ships with.
 *
 * `make install PREFIX=P` puts the binary in P/bin and the site templates
 * in P/share/czynsze/site-templates.  The binary finds them relative to
 * itself (/proc/self/exe), so any PREFIX works without rebuilding.
 */
#ifndef CZYNSZE_DATADIR_H
#define CZYNSZE_DATADIR_H

#include "err.h"
#include "fsutil.h"

/* The first folder that exists of: EXE_DIR/../share/czynsze/site-templates
 * (installed), EXE_DIR/../site-templates and EXE_DIR/../../site-templates
 * (build/czynsze, build/asan/czynsze in a source tree), ./site-templates.
 * -1 with ERR_USAGE when none does. */
int datadir_templates(char out[PATH_BYTES_MAX], struct err *e);

#endif
