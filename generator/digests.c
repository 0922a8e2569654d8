/*
 * digests.c — the OUT/r/.digests cache (digests.h).
 */
#include "digests.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "fsutil.h"
#include "generate.h"

static int
cmp_digest(const void *a, const void *b)
{
	return strcmp(((const struct digest *)a)->tag, ((const struct digest *)b)->tag);
}

int
digests_add(struct digests *d, const struct digest *x, struct err *e)
{
	struct digest *grown = array_grow(d->v, &d->cap, d->n + 1, sizeof *d->v, 256);

	if (grown == NULL)
		return err_set(e, ERR_SYSTEM, "out of memory");
	d->v = grown;
	d->v[d->n++] = *x;
	return 0;
}

int
digests_add_all(struct digests *d, const struct digests *from, struct err *e)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		if (digests_add(d, &from->v[i], e) == -1)
			return -1;
	return 0;
}

/* One line "TAG GCM SIZE" (without its newline) into x; 0 when damaged. */
static int
parse_line(struct digest *x, const char *line, const char *nl)
{
	const size_t t = 2 * ACCESS_TAG_BYTES, g = 2 * CRYPTO_GCM_TAG_BYTES;
	char *end;

	if ((size_t)(nl - line) < t + 1 + g + 2 || line[t] != ' ' || line[t + 1 + g] != ' ' ||
	    !crypto_is_hex(line, t) || !crypto_is_hex(line + t + 1, g))
		return 0;
	memcpy(x->tag, line, t);
	x->tag[t] = '\0';
	memcpy(x->gcm_tag, line + t + 1, g);
	x->gcm_tag[g] = '\0';
	x->size = strtoull(line + t + 1 + g + 1, &end, 10);
	return end == nl;
}

int
digests_load(struct digests *d, const char *out_dir, struct err *e)
{
	char path[PATH_BYTES_MAX], *data = NULL, *line, *nl;
	struct digest x;
	struct err ignored;
	size_t n;
	int rc = -1;

	if (path_join(path, out_dir, DIGESTS_FILE, e) == -1)
		return -1;
	if (read_file(&data, &n, path, GENERATE_FILE_BYTES_MAX, &ignored) == -1)
		return 0;
	/* "export EXPORTED_AT ID": without it (a file of an older
	 * generator), a full run */
	if ((nl = strchr(data, '\n')) == NULL || strncmp(data, "export ", 7) != 0 ||
	    (size_t)(nl - data) < 7 + BUNDLE_EXPORTED_AT_LEN + 2 ||
	    data[7 + BUNDLE_EXPORTED_AT_LEN] != ' ') {
		rc = 0;
		goto out;
	}
	*nl = '\0';
	if (bundle_head_set(&d->head, data + 7, data + 8 + BUNDLE_EXPORTED_AT_LEN,
	    &ignored) == -1 || strcmp(d->head.generation, data + 8 + BUNDLE_EXPORTED_AT_LEN) != 0) {
		memset(&d->head, 0, sizeof d->head);
		rc = 0;
		goto out;
	}
	for (line = nl + 1; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		if (!parse_line(&x, line, nl) ||
		    (d->n > 0 && strcmp(d->v[d->n - 1].tag, x.tag) >= 0)) {
			d->n = 0;       /* damaged: a full run */
			break;
		}
		if (digests_add(d, &x, e) == -1)
			goto out;
	}
	rc = 0;
out:
	free(data);
	return rc;
}

const struct digest *
digests_find(const struct digests *d, const char *tag)
{
	struct digest key = { "", "", 0 };

	if (d->n == 0)
		return NULL;
	memcpy(key.tag, tag, sizeof key.tag);
	return bsearch(&key, d->v, d->n, sizeof key, cmp_digest);
}

int
digests_bundle_matches(const char *out_dir, const char *rel, const struct digest *want,
    struct err *e)
{
	unsigned char end[CRYPTO_GCM_TAG_BYTES];
	char path[PATH_BYTES_MAX], hex[2 * CRYPTO_GCM_TAG_BYTES + 1];
	struct stat st;
	ssize_t r;
	int fd, same = 0;

	if (path_join(path, out_dir, rel, e) == -1)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size == want->size && st.st_size >= (off_t)sizeof end) {
		r = pread(fd, end, sizeof end, st.st_size - (off_t)sizeof end);
		if (r == (ssize_t)sizeof end) {
			crypto_hex(hex, end, sizeof end);
			same = strcmp(hex, want->gcm_tag) == 0;
		}
	}
	(void)close(fd);
	return same;
}

int
digests_same_export(const struct digests *d, const struct bundle_head *head)
{
	return strcmp(d->head.exported_at, head->exported_at) == 0 &&
	    strcmp(d->head.generation, head->generation) == 0;
}

int
digests_write(struct digests *d, const struct bundle_head *head, struct site_writer *w,
    struct err *e)
{
	struct buf b = BUF_INIT;
	size_t i;
	int rc = -1;

	if (d->n > 0)
		qsort(d->v, d->n, sizeof *d->v, cmp_digest);
	if (buf_printf(&b, "export %s %s\n", head->exported_at, head->generation) == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	for (i = 0; i < d->n; i++)
		if (buf_printf(&b, "%s %s %llu\n", d->v[i].tag, d->v[i].gcm_tag, d->v[i].size) == -1) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto out;
		}
	rc = site_write_file(w, DIGESTS_FILE, b.data, b.len, e);
out:
	buf_free(&b);
	return rc;
}

void
digests_free(struct digests *d)
{
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}
