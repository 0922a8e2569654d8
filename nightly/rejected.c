/* rejected.c — exports a rollback rejected (see rejected.h). */
#include "rejected.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "generation.h"

#define REJECTED_MAX_BYTES (1024 * 1024)

static int
is_sha(const char *s)
{
	size_t i;

	for (i = 0; i < REJECTED_SHA_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* The file's text into *text ("" when it does not exist). */
static int
load(const struct home *h, char path[PATH_BYTES_MAX], char **text, struct err *e)
{
	size_t n;

	*text = NULL;
	if (home_path(h, REJECTED_FILE, path, e) == -1)
		return -1;
	if (access(path, F_OK) == -1) {
		if (errno != ENOENT)
			return err_sys(e, "%s", path);
		*text = calloc(1, 1);
		return *text == NULL ? err_set(e, ERR_SYSTEM, "out of memory") : 0;
	}
	return read_file(text, &n, path, REJECTED_MAX_BYTES, e);
}

/* The line of text starting with sha256, or NULL. */
static const char *
line_of(const char *text, const char *sha256)
{
	const char *p, *nl;

	for (p = text; *p != '\0'; p = nl != NULL ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		if (strncmp(p, sha256, REJECTED_SHA_LEN) == 0 && p[REJECTED_SHA_LEN] == ' ')
			return p;
	}
	return NULL;
}

int
rejected_find(const struct home *h, const char *sha256, int *found, char when_out[21],
    struct err *e)
{
	char path[PATH_BYTES_MAX];
	char *text = NULL;
	const char *line, *when;
	size_t len;

	*found = 0;
	when_out[0] = '\0';
	if (load(h, path, &text, e) == -1)
		return -1;
	if (strlen(sha256) == REJECTED_SHA_LEN && (line = line_of(text, sha256)) != NULL) {
		*found = 1;
		/* "SHA GEN WHEN": the last field */
		len = strcspn(line, "\n");
		when = line + len;
		while (when > line && when[-1] != ' ')
			when--;
		(void)snprintf(when_out, 21, "%.*s", (int)(line + len - when), when);
	}
	free(text);
	return 0;
}

int
rejected_add(const struct home *h, const char *sha256, const char *gen, struct err *e)
{
	char path[PATH_BYTES_MAX], now[21];
	char *text = NULL;
	struct buf out = BUF_INIT;
	int rc = -1;

	if (strlen(sha256) != REJECTED_SHA_LEN || !is_sha(sha256))
		return err_set(e, ERR_USAGE, "not a SHA-256 digest (%s)", sha256);
	if (load(h, path, &text, e) == -1)
		return -1;
	if (line_of(text, sha256) != NULL) {
		rc = 0;
		goto out;
	}
	utc_now(now);
	if (buf_adds(&out, text) == -1 ||
	    buf_printf(&out, "%s %s %s\n", sha256, gen[0] != '\0' ? gen : "-", now) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	rc = write_file_atomic(path, out.data, out.len, 0600, e);
out:
	buf_free(&out);
	free(text);
	return rc;
}

int
rejected_remove(const struct home *h, const char *sha256, struct err *e)
{
	char path[PATH_BYTES_MAX];
	char *text = NULL;
	const char *line, *rest;
	struct buf out = BUF_INIT;
	int rc = -1;

	if (load(h, path, &text, e) == -1)
		return -1;
	if (strlen(sha256) != REJECTED_SHA_LEN || (line = line_of(text, sha256)) == NULL) {
		rc = 0;
		goto out;
	}
	rest = line + strcspn(line, "\n");
	if (*rest == '\n')
		rest++;
	if (buf_add(&out, text, (size_t)(line - text)) == -1 || buf_adds(&out, rest) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	rc = write_file_atomic(path, out.data, out.len, 0600, e);
out:
	buf_free(&out);
	free(text);
	return rc;
}

int
rejected_generation_sha(const struct home *h, const char *gen,
    char out[REJECTED_SHA_LEN + 1], struct err *e)
{
	char rel[PATH_BYTES_MAX], path[PATH_BYTES_MAX];
	char *text = NULL;
	size_t n;

	out[0] = '\0';
	if ((size_t)snprintf(rel, sizeof rel, SITES_DIR "/%s/" REJECTED_GEN_FILE, gen) >= sizeof rel)
		return err_set(e, ERR_USAGE, "generation name too long");
	if (home_path(h, rel, path, e) == -1)
		return -1;
	if (access(path, F_OK) == -1)
		return errno == ENOENT ? 0 : err_sys(e, "%s", path);
	if (read_file(&text, &n, path, 256, e) == -1)
		return -1;
	if (n >= REJECTED_SHA_LEN && is_sha(text))
		(void)snprintf(out, REJECTED_SHA_LEN + 1, "%.*s", REJECTED_SHA_LEN, text);
	free(text);
	return 0;
}
