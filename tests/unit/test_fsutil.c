/* test_fsutil.c — write_file_if_changed (lib/fsutil.h): unchanged bytes
 * write nothing; changed bytes go to a new file renamed over the old one,
 * so a hard link to the old file (another generation of the site) keeps
 * its bytes. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "tap.h"

static int
holds(const char *path, const char *want)
{
	struct err e;
	char *data = NULL;
	size_t n;
	int same;

	if (read_file(&data, &n, path, 1024, &e) == -1)
		return 0;
	same = n == strlen(want) && memcmp(data, want, n) == 0;
	free(data);
	return same;
}

int
main(void)
{
	char dir[] = "/tmp/czynsze-test-fsutil.XXXXXX", path[PATH_BYTES_MAX],
	    other[PATH_BYTES_MAX];
	struct stat a, b;
	struct err e;

	tap_plan(9);
	if (mkdtemp(dir) == NULL || path_join(path, dir, "f", &e) == -1 ||
	    path_join(other, dir, "g", &e) == -1)
		return 1;
	is_int(write_file_if_changed(path, "one", 3, 0644, FS_NOSYNC, &e), 1, "a new file is written");
	ok(holds(path, "one"), "... with its bytes");
	ok(stat(path, &a) == 0 && (a.st_mode & 0777) == 0644, "... and its mode");
	is_int(write_file_if_changed(path, "one", 3, 0644, FS_SYNC, &e), 0,
	    "the same bytes again: unchanged");
	ok(stat(path, &b) == 0 && b.st_ino == a.st_ino, "... the very same file");
	ok(link(path, other) == 0, "a hard link to it (another generation)");
	is_int(write_file_if_changed(path, "two!", 4, 0644, FS_NOSYNC, &e), 1,
	    "other bytes: written");
	ok(holds(path, "two!") && stat(path, &b) == 0 && b.st_ino != a.st_ino,
	    "... as a new file in its place");
	ok(holds(other, "one"), "... the hard link keeps the old bytes");
	(void)unlink(path);
	(void)unlink(other);
	(void)rmdir(dir);
	return tap_done();
}
