/*
 * site_details.h — the cooperative's details from HOME/czynsze.conf as
 * template values (template.h), for the footer of every page and the
 * legal pages.
 *
 * Values set (text, escaped when used): site_url, contact_email,
 * contact_phone, office_hours, office_room, office_floor, dpo, due_day
 * ("10"), accessibility_published, accessibility_updated,
 * regulamin_date, rodo_date (dates as DD.MM.RRRR).
 */
#ifndef CZYNSZE_SITE_DETAILS_H
#define CZYNSZE_SITE_DETAILS_H

#include "config.h"
#include "err.h"
#include "template.h"

/* ERR_USAGE naming the missing setting when one is not set
 * (config_require_site); ERR_SYSTEM when out of memory. */
int site_details_vars(struct tpl_vars *vs, const struct config *c, struct err *e);

#endif
