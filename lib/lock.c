#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int
lock_acquire(int *fd_out, const char *path, int wait, struct err *e)
{
	char pid[32] = "";
	ssize_t n;
	int fd, len;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1)
		return err_sys(e, "open %s", path);
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) == -1) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK) {
			n = pread(fd, pid, sizeof pid - 1, 0);
			pid[n > 0 ? n : 0] = '\0';
			pid[strcspn(pid, "\n")] = '\0';
			(void)close(fd);
			return err_set(e, ERR_LOCKED, "another czynsze run is in progress "
			    "(%s held by pid %s); try again when it has finished",
			    path, pid[0] ? pid : "?");
		}
		err_sys(e, "lock %s", path);
		(void)close(fd);
		return -1;
	}
	len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, pid, (size_t)len, 0) != len) {
		err_sys(e, "write %s", path);
		(void)close(fd);
		return -1;
	}
	*fd_out = fd;
	return 0;
}

void
lock_release(int fd)
{
	if (fd != -1)
		(void)close(fd);
}
