/* test_lock.c — lib/lock: shared locks together, exclusive alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lock.h"
#include "tap.h"

int
main(void)
{
	char dir[] = "/tmp/czynsze-lock.XXXXXX", path[64];
	int a = -1, b = -1, c = -1;
	struct err e;

	tap_plan(8);
	err_clear(&e);
	if (mkdtemp(dir) == NULL)
		return 1;
	(void)snprintf(path, sizeof path, "%s/lock", dir);
	/* flock locks belong to open files: two opens in one process conflict
	 * as two processes would. */
	ok(lock_acquire_mode(&a, path, LOCK_SHARED, 0, &e) == 0, "a reader takes the lock shared");
	ok(lock_acquire_mode(&b, path, LOCK_SHARED, 0, &e) == 0, "... and a second reader beside it");
	ok(lock_acquire_mode(&c, path, LOCK_EXCLUSIVE, 0, &e) == -1 && e.kind == ERR_LOCKED,
	    "a writer is refused while readers hold it");
	lock_release(a);
	ok(lock_acquire(&c, path, 0, &e) == -1 && e.kind == ERR_LOCKED,
	    "... while one reader is left");
	lock_release(b);
	ok(lock_acquire(&c, path, 0, &e) == 0, "the writer gets it once the readers left");
	err_clear(&e);
	ok(lock_acquire_mode(&a, path, LOCK_SHARED, 0, &e) == -1 && e.kind == ERR_LOCKED,
	    "a reader is refused while the writer holds it");
	ok(strstr(e.msg, "pid ") != NULL, "... naming the writer's pid");
	lock_release(c);
	ok(lock_acquire_mode(&a, path, LOCK_SHARED, 1, &e) == 0, "a waiting reader gets it after");
	lock_release(a);
	(void)unlink(path);
	(void)rmdir(dir);
	return tap_done();
}
