/* site_details.c — the cooperative's details as template values (see site_details.h). */
#include "site_details.h"

#include <stdio.h>

#include "date.h"

static int
set_date(struct tpl_vars *vs, const char *name, const char *iso, struct err *e)
{
	char pl[DATE_ISO_LEN + 1];

	date_iso_to_pl(pl, iso);
	return tpl_set_text(vs, name, pl, e);
}

int
site_details_vars(struct tpl_vars *vs, const struct config *c, struct err *e)
{
	char due[16];

	if (config_require_site(c, e) == -1)
		return -1;
	(void)snprintf(due, sizeof due, "%d", c->due_day);
	if (tpl_set_text(vs, "site_url", c->site_url, e) == -1 ||
	    tpl_set_text(vs, "contact_email", c->contact_email, e) == -1 ||
	    tpl_set_text(vs, "contact_phone", c->contact_phone, e) == -1 ||
	    tpl_set_text(vs, "office_hours", c->office_hours, e) == -1 ||
	    tpl_set_text(vs, "office_room", c->office_room, e) == -1 ||
	    tpl_set_text(vs, "office_floor", c->office_floor, e) == -1 ||
	    tpl_set_text(vs, "dpo", c->dpo, e) == -1 ||
	    tpl_set_text(vs, "due_day", due, e) == -1 ||
	    set_date(vs, "accessibility_published", c->accessibility_published, e) == -1 ||
	    set_date(vs, "accessibility_updated", c->accessibility_updated, e) == -1 ||
	    set_date(vs, "regulamin_date", c->regulamin_date, e) == -1 ||
	    set_date(vs, "rodo_date", c->rodo_date, e) == -1)
		return -1;
	return 0;
}
