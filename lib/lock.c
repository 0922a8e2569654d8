#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int
lock_acquire_mode(int *fd_out, const char *path, enum lock_mode mode, int wait,
    struct err *e)
{
	char pid[32] = "";
	ssize_t n;
	int fd, len;
	int op = mode == LOCK_SHARED ? LOCK_SH : LOCK_EX;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1)
		return err_sys(e, "open %s", path);
	while (flock(fd, op | (wait ? 0 : LOCK_NB)) == -1) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK) {
			n = pread(fd, pid, sizeof pid - 1, 0);
			pid[n > 0 ? n : 0] = '\0';
			pid[strcspn(pid, "\n")] = '\0';
			(void)close(fd);
			return err_set(e, ERR_LOCKED, "another czynsze run is in progress "
			    "(%s held by %s%s); try again when it has finished",
			    path, pid[0] ? "pid " : "readers", pid[0] ? pid : "");
		}
		err_sys(e, "lock %s", path);
		(void)close(fd);
		return -1;
	}
	if (mode == LOCK_EXCLUSIVE) {
		len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
		if (ftruncate(fd, 0) == -1 || pwrite(fd, pid, (size_t)len, 0) != len) {
			err_sys(e, "write %s", path);
			(void)close(fd);
			return -1;
		}
	}
	*fd_out = fd;
	return 0;
}

int
lock_acquire(int *fd_out, const char *path, int wait, struct err *e)
{
	return lock_acquire_mode(fd_out, path, LOCK_EXCLUSIVE, wait, e);
}

void
lock_release(int fd)
{
	if (fd != -1)
		(void)close(fd);
}
