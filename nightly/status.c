/* status.c — HOME/status.json, written by the nightly job, read by
 * `czynsze status`.  The reader only understands what the writer writes
 * (one "key": value per line), which is all it ever reads. */
#include "status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fsutil.h"
#include "json.h"

static void
kv_text_or_null(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	if (s[0] == '\0')
		json_null(j);
	else
		json_string(j, s);
}

int
status_write(const struct home *h, const struct status *s, struct err *e)
{
	char path[PATH_BYTES_MAX];
	struct buf b = BUF_INIT;
	struct json j;
	int rc = -1;

	if (home_path(h, STATUS_FILE, path, e) == -1)
		return -1;
	json_init(&j, &b, 1);
	json_object_begin(&j);
	json_kv_int(&j, "format", 1);
	json_kv_string(&j, "started_at", s->started_at);
	json_kv_string(&j, "finished_at", s->finished_at);
	json_kv_string(&j, "outcome", s->outcome);
	json_kv_int(&j, "exit_status", s->exit_status);
	kv_text_or_null(&j, "message", s->message);
	json_kv_string(&j, "export_dir", s->export_dir);
	kv_text_or_null(&j, "export_generated_at", s->export_generated_at);
	json_kv_int(&j, "premises", (int64_t)s->premises);
	json_kv_int(&j, "people", (int64_t)s->people);
	json_kv_int(&j, "cards", (int64_t)s->cards);
	json_kv_int(&j, "bookings", (int64_t)s->bookings);
	json_kv_int(&j, "charge_components", (int64_t)s->components);
	json_kv_int(&j, "announcements", (int64_t)s->announcements);
	json_kv_int(&j, "warnings", (int64_t)s->warnings);
	json_kv_int(&j, "files_written", (int64_t)s->files_written);
	json_kv_int(&j, "files_unchanged", (int64_t)s->files_unchanged);
	json_kv_int(&j, "residents", (int64_t)s->residents);
	kv_text_or_null(&j, "live_generation", s->live_generation);
	kv_text_or_null(&j, "last_success_at", s->last_success_at);
	kv_text_or_null(&j, "last_success_export", s->last_success_export);
	json_object_end(&j);
	if (json_finish(&j) == -1 || buf_addc(&b, '\n') == -1) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	rc = write_file_atomic(path, b.data, b.len, 0600, e);
out:
	buf_free(&b);
	return rc;
}

/* The value after "key": on its line, as text (JSON string unescaped for
 * \" \\ \/ \n \t; other escapes kept as they are).  0 found, -1 not. */
static int
find_value(const char *doc, const char *key, char *out, size_t max)
{
	char pat[80];
	const char *p, *v;
	size_t o = 0;

	out[0] = '\0';
	if ((size_t)snprintf(pat, sizeof pat, "\"%s\":", key) >= sizeof pat ||
	    (p = strstr(doc, pat)) == NULL)
		return -1;
	v = p + strlen(pat);
	while (*v == ' ')
		v++;
	if (strncmp(v, "null", 4) == 0)
		return 0;
	if (*v != '"') {
		while (*v != '\0' && *v != ',' && *v != '\n' && o + 1 < max)
			out[o++] = *v++;
		out[o] = '\0';
		return 0;
	}
	for (v++; *v != '\0' && *v != '"' && *v != '\n' && o + 1 < max; v++) {
		if (*v == '\\' && v[1] != '\0') {
			v++;
			switch (*v) {
			case 'n': out[o++] = '\n'; break;
			case 't': out[o++] = '\t'; break;
			case '"': case '\\': case '/': out[o++] = *v; break;
			default: out[o++] = '\\'; if (o + 1 < max) out[o++] = *v; break;
			}
			continue;
		}
		out[o++] = *v;
	}
	out[o] = '\0';
	return 0;
}

static uint64_t
find_count(const char *doc, const char *key)
{
	char v[32];

	if (find_value(doc, key, v, sizeof v) == -1)
		return 0;
	return strtoull(v, NULL, 10);
}

int
status_read(const struct home *h, struct status *s, struct err *e)
{
	char path[PATH_BYTES_MAX], num[32];
	char *doc = NULL;
	size_t n;
	int rc = -1;

	memset(s, 0, sizeof *s);
	if (home_path(h, STATUS_FILE, path, e) == -1 ||
	    read_file(&doc, &n, path, STATUS_BYTES_MAX, e) == -1)
		return -1;
	if (find_value(doc, "format", num, sizeof num) == -1 || strcmp(num, "1") != 0) {
		err_set(e, ERR_DATA, "%s: not a czynsze status file (format 1)", path);
		goto out;
	}
	(void)find_value(doc, "started_at", s->started_at, sizeof s->started_at);
	(void)find_value(doc, "finished_at", s->finished_at, sizeof s->finished_at);
	(void)find_value(doc, "outcome", s->outcome, sizeof s->outcome);
	(void)find_value(doc, "message", s->message, sizeof s->message);
	(void)find_value(doc, "export_dir", s->export_dir, sizeof s->export_dir);
	(void)find_value(doc, "export_generated_at", s->export_generated_at,
	    sizeof s->export_generated_at);
	(void)find_value(doc, "live_generation", s->live_generation, sizeof s->live_generation);
	(void)find_value(doc, "last_success_at", s->last_success_at, sizeof s->last_success_at);
	(void)find_value(doc, "last_success_export", s->last_success_export,
	    sizeof s->last_success_export);
	s->exit_status = (int)find_count(doc, "exit_status");
	s->premises = find_count(doc, "premises");
	s->people = find_count(doc, "people");
	s->cards = find_count(doc, "cards");
	s->bookings = find_count(doc, "bookings");
	s->components = find_count(doc, "charge_components");
	s->announcements = find_count(doc, "announcements");
	s->warnings = find_count(doc, "warnings");
	s->files_written = find_count(doc, "files_written");
	s->files_unchanged = find_count(doc, "files_unchanged");
	s->residents = find_count(doc, "residents");
	rc = 0;
out:
	free(doc);
	return rc;
}
