/*
 * public_pages.h — the pages everyone sees, and the values every page
 * may use (generate.h lists them): the cooperative's details, the data's
 * date, the announcements in force on the export date.
 */
#ifndef CZYNSZE_PUBLIC_PAGES_H
#define CZYNSZE_PUBLIC_PAGES_H

#include "bundle.h"
#include "date.h"
#include "db.h"
#include "err.h"
#include "site_files.h"
#include "template.h"

/* Sets the values from the database (in a read transaction) into vars,
 * and the export's date ("2021-12-28") into export_date, and into head
 * the export's header every bundle seals (bundle.h).  ERR_DATA for a
 * database holding no export or a malformed one. */
int site_values_load(struct tpl_vars *vars, char export_date[DATE_ISO_LEN + 1],
    struct bundle_head *head, struct db *db,
    struct err *e);

/* Renders every TEMPLATES/NAME.html but partials (_*.html) and
 * statement.html as OUT/NAME.html, then copies every file of every
 * subfolder of TEMPLATES (css/, js/) as it is.  ERR_DATA for a template
 * error, ERR_SYSTEM for I/O. */
int public_pages_write(struct site_writer *w, const char *templates_dir,
    const struct tpl_vars *vars, struct err *e);

#endif
