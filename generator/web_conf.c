/* web_conf.c — the checks both web server configurations use (web_conf.h). */
#include "web_conf.h"

#include <string.h>

int
web_safe_path(const char *s)
{
	if (s == NULL || s[0] != '/')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || strchr("\"';{}$\\#", *s) != NULL ||
		    (unsigned char)*s == 0x7f)
			return 0;
	return 1;
}

int
web_safe_word(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || strchr(".:[]_*-", *s) != NULL))
			return 0;
	return 1;
}
