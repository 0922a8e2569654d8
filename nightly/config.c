/* config.c — HOME/czynsze.conf (see config.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
config_number(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static char *
trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static int
set_text(char *dst, size_t max, const char *v, const char *path, int line, struct err *e)
{
	if ((size_t)snprintf(dst, max, "%s", v) >= max)
		return err_set(e, ERR_USAGE, "%s:%d: value too long", path, line);
	return 0;
}

static int
set_number(int *dst, const char *v, long min, long max, const char *path, int line,
    struct err *e)
{
	long n;

	if (config_number(v, min, max, &n) == -1)
		return err_set(e, ERR_USAGE, "%s:%d: not a number from %ld to %ld (%s)", path,
		    line, min, max, v);
	*dst = (int)n;
	return 0;
}

static int
set_date(char dst[DATE_ISO_LEN + 1], const char *v, const char *path, int line,
    struct err *e)
{
	if (date_parse_pl(dst, v, strlen(v)) == -1)
		return err_set(e, ERR_USAGE, "%s:%d: not a date DD.MM.RRRR (%s)", path, line, v);
	return 0;
}

static int
apply(struct config *c, const char *key, const char *v, const char *path, int line,
    struct err *e)
{
	int n = 0;

	if (strcmp(key, "site_url") == 0)
		return set_text(c->site_url, sizeof c->site_url, v, path, line, e);
	if (strcmp(key, "audit_closing_day") == 0)
		return set_number(&c->audit_closing_day, v, 1, 28, path, line, e);
	if (strcmp(key, "keep_generations") == 0)
		return set_number(&c->keep_generations, v, 1, 100, path, line, e);
	if (strcmp(key, "keep_exports") == 0)
		return set_number(&c->keep_exports, v, 0, 1000, path, line, e);
	if (strcmp(key, "export_inbox") == 0)
		return set_text(c->export_inbox, sizeof c->export_inbox, v, path, line, e);
	if (strcmp(key, "templates") == 0)
		return set_text(c->templates, sizeof c->templates, v, path, line, e);
	if (strcmp(key, "publish_to") == 0)
		return set_text(c->publish_to, sizeof c->publish_to, v, path, line, e);
	if (strcmp(key, "contact_email") == 0)
		return set_text(c->contact_email, sizeof c->contact_email, v, path, line, e);
	if (strcmp(key, "contact_phone") == 0)
		return set_text(c->contact_phone, sizeof c->contact_phone, v, path, line, e);
	if (strcmp(key, "office_hours") == 0)
		return set_text(c->office_hours, sizeof c->office_hours, v, path, line, e);
	if (strcmp(key, "office_room") == 0)
		return set_text(c->office_room, sizeof c->office_room, v, path, line, e);
	if (strcmp(key, "office_floor") == 0)
		return set_text(c->office_floor, sizeof c->office_floor, v, path, line, e);
	if (strcmp(key, "dpo") == 0)
		return set_text(c->dpo, sizeof c->dpo, v, path, line, e);
	if (strcmp(key, "accessibility_published") == 0)
		return set_date(c->accessibility_published, v, path, line, e);
	if (strcmp(key, "accessibility_updated") == 0)
		return set_date(c->accessibility_updated, v, path, line, e);
	if (strcmp(key, "regulamin_date") == 0)
		return set_date(c->regulamin_date, v, path, line, e);
	if (strcmp(key, "rodo_date") == 0)
		return set_date(c->rodo_date, v, path, line, e);
	if (strcmp(key, "due_day") == 0)
		return set_number(&c->due_day, v, 1, 28, path, line, e);
	if (strcmp(key, "settle_ms") == 0) {
		if (set_number(&n, v, 0, 600000, path, line, e) == -1)
			return -1;
		c->settle_ms = (unsigned)n;
		return 0;
	}
	if (strcmp(key, "syslog") == 0) {
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
			return err_set(e, ERR_USAGE, "%s:%d: syslog is yes or no (%s)", path, line, v);
		c->syslog = strcmp(v, "yes") == 0;
		return 0;
	}
	return err_set(e, ERR_USAGE, "%s:%d: unknown setting '%s' (see czynsze(1), CONFIGURATION)",
	    path, line, key);
}

int
config_load(struct config *c, const struct home *h, struct err *e)
{
	char path[PATH_BYTES_MAX];
	char *doc = NULL, *p, *nl, *eq;
	size_t n;
	int line = 0, rc = -1;

	memset(c, 0, sizeof *c);
	c->keep_generations = KEEP_GENERATIONS_DEFAULT;
	c->keep_exports = KEEP_EXPORTS_DEFAULT;
	c->settle_ms = SETTLE_MS_DEFAULT;
	c->due_day = DUE_DAY_DEFAULT;
	if (home_path(h, CONFIG_FILE, path, e) == -1)
		return -1;
	if (access(path, F_OK) == -1 && errno == ENOENT)
		return 0;
	if (read_file(&doc, &n, path, CONFIG_BYTES_MAX, e) == -1)
		return -1;
	for (p = doc; p != NULL && *p != '\0'; p = nl) {
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		line++;
		p = trim(p);
		if (*p == '\0' || *p == '#')
			continue;
		eq = strchr(p, '=');
		if (eq == NULL) {
			err_set(e, ERR_USAGE, "%s:%d: expected key = value", path, line);
			goto out;
		}
		*eq = '\0';
		if (apply(c, trim(p), trim(eq + 1), path, line, e) == -1)
			goto out;
	}
	rc = 0;
out:
	free(doc);
	return rc;
}

int
config_require_site(const struct config *c, struct err *e)
{
	const struct {
		const char *key, *value, *what;
	} need[] = {
		{ "site_url", c->site_url, "the site's address" },
		{ "contact_email", c->contact_email, "the cooperative's e-mail" },
		{ "contact_phone", c->contact_phone, "the cooperative's phone" },
		{ "office_hours", c->office_hours, "the office's opening hours" },
		{ "office_room", c->office_room, "the office's room number" },
		{ "office_floor", c->office_floor, "the office's floor" },
		{ "dpo", c->dpo, "the data protection officer, or \"nie wyznaczono\"" },
		{ "accessibility_published", c->accessibility_published,
		    "the accessibility statement's publication date" },
		{ "accessibility_updated", c->accessibility_updated,
		    "the accessibility statement's last update" },
		{ "regulamin_date", c->regulamin_date, "the date the Regulamin is in force from" },
		{ "rodo_date", c->rodo_date, "the information clause's date" },
	};
	size_t i;

	for (i = 0; i < sizeof need / sizeof need[0]; i++)
		if (need[i].value[0] == '\0')
			return err_set(e, ERR_USAGE, CONFIG_FILE ": %s is not set (%s, shown on "
			    "every page; see examples/czynsze.conf)", need[i].key, need[i].what);
	return 0;
}
