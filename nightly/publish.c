/* publish.c — rsync of HOME/sites to another host, then its switch. */
#include "publish.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsutil.h"
#include "access_live.h"
#include "generation.h"

#define ARGS_MAX 16
#define DEST_BYTES_MAX 1024

/* Runs argv (no shell) and waits.  0 when it exited 0. */
static int
run(char *const argv[], int verbose, struct err *e)
{
	pid_t pid;
	int status, i;

	if (verbose) {
		for (i = 0; argv[i] != NULL; i++)
			(void)fprintf(stderr, "%s%s", i ? " " : "publish: ", argv[i]);
		(void)fputc('\n', stderr);
	}
	(void)fflush(NULL);
	pid = fork();
	if (pid == -1)
		return err_sys(e, "fork");
	if (pid == 0) {
		execvp(argv[0], argv);
		(void)fprintf(stderr, "czynsze: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return err_sys(e, "waitpid %s", argv[0]);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(e, ERR_SYSTEM, "%s failed (%s %d); nothing was switched on the "
		    "web server", argv[0], WIFEXITED(status) ? "exit status" : "signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return 0;
}

/* Splits "host:/path" (host may be user@host); host "" for a local dest. */
static int
split_dest(const char *dest, char host[DEST_BYTES_MAX], char path[DEST_BYTES_MAX],
    struct err *e)
{
	const char *colon = strchr(dest, ':'), *slash = strchr(dest, '/');
	size_t i;

	host[0] = '\0';
	if (colon != NULL && (slash == NULL || colon < slash)) {
		if ((size_t)(colon - dest) >= DEST_BYTES_MAX || colon == dest)
			return err_set(e, ERR_USAGE, "bad destination (%s)", dest);
		(void)memcpy(host, dest, (size_t)(colon - dest));
		host[colon - dest] = '\0';
		dest = colon + 1;
		for (i = 0; dest[i] != '\0'; i++)
			if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._-/", dest[i]) == NULL)
				return err_set(e, ERR_USAGE, "remote path may hold letters, digits "
				    "and . _ - / only (%s)", dest);
		if (host[0] == '-' || strchr(host, ' ') != NULL)
			return err_set(e, ERR_USAGE, "bad host (%s)", host);
	}
	if (dest[0] == '\0' || (size_t)snprintf(path, DEST_BYTES_MAX, "%s", dest) >= DEST_BYTES_MAX)
		return err_set(e, ERR_USAGE, "bad destination path (%s)", dest);
	return 0;
}

/* DEST/link -> target (e.g. site -> sites/NAME), locally by rename of a
 * fresh symlink, remotely over ssh (ln -sfn to a temporary name, mv -T). */
static int
switch_remote(const char *host, const char *path, const char *link, const char *target,
    int verbose, struct err *e)
{
	char cmd[3 * DEST_BYTES_MAX], at[PATH_BYTES_MAX], tmp[PATH_BYTES_MAX];

	if (host[0] == '\0') {
		if (path_join(at, path, link, e) == -1 ||
		    (size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%ld", at, (long)getpid()) >= sizeof tmp)
			return err_set(e, ERR_USAGE, "path too long (%s)", path);
		if (unlink_if_exists(tmp, e) == -1)
			return -1;
		if (symlink(target, tmp) == -1)
			return err_sys(e, "symlink %s", tmp);
		if (rename_durable(tmp, at, e) == -1) {
			(void)unlink(tmp);
			return -1;
		}
		return 0;
	}
	if ((size_t)snprintf(cmd, sizeof cmd, "cd '%s' && ln -sfn '%s' '%s.tmp' && "
	    "mv -Tf '%s.tmp' '%s'", path, target, link, link, link) >= sizeof cmd)
		return err_set(e, ERR_USAGE, "destination too long");
	{
		char *argv[] = { "ssh", "--", (char *)host, cmd, NULL };

		return run(argv, verbose, e);
	}
}

/* HOME/access's target, "access.d/N" ("" when there is none yet). */
static int
access_target(const struct home *h, char out[64], struct err *e)
{
	char link[PATH_BYTES_MAX];
	ssize_t n;

	out[0] = '\0';
	if (home_path(h, ACCESS_LINK, link, e) == -1)
		return -1;
	n = readlink(link, out, 63);
	if (n == -1)
		return errno == ENOENT ? 0 : err_sys(e, "readlink %s", link);
	out[n] = '\0';
	if (strncmp(out, ACCESS_DIRS "/", sizeof ACCESS_DIRS) != 0 ||
	    strspn(out + sizeof ACCESS_DIRS, "0123456789") != strlen(out + sizeof ACCESS_DIRS))
		return err_set(e, ERR_SYSTEM, "%s points to %s, not to " ACCESS_DIRS "/N", link, out);
	return 0;
}

int
publish_site(const struct home *h, const char *dest, int verbose, struct err *e)
{
	char host[DEST_BYTES_MAX], path[DEST_BYTES_MAX], live[GENERATION_NAME_MAX];
	char src[PATH_BYTES_MAX], dst[3 * DEST_BYTES_MAX], sites[PATH_BYTES_MAX];
	char asrc[PATH_BYTES_MAX], adst[3 * DEST_BYTES_MAX], acc[PATH_BYTES_MAX];
	char access_to[64], site_to[GENERATION_NAME_MAX + sizeof SITES_DIR];

	if (split_dest(dest, host, path, e) == -1 || generation_live(h, live, e) == -1 ||
	    access_target(h, access_to, e) == -1)
		return -1;
	if (live[0] == '\0')
		return err_set(e, ERR_USAGE, "nothing to publish: no live site yet "
		    "(run czynsze nightly first)");
	if (home_path(h, SITES_DIR, sites, e) == -1 ||
	    (size_t)snprintf(src, sizeof src, "%s/", sites) >= sizeof src ||
	    (size_t)snprintf(dst, sizeof dst, "%s%s%s/" SITES_DIR "/", host,
	    host[0] ? ":" : "", path) >= sizeof dst ||
	    home_path(h, ACCESS_DIRS, acc, e) == -1 ||
	    (size_t)snprintf(asrc, sizeof asrc, "%s/", acc) >= sizeof asrc ||
	    (size_t)snprintf(adst, sizeof adst, "%s%s%s/" ACCESS_DIRS "/", host,
	    host[0] ? ":" : "", path) >= sizeof adst)
		return err_set(e, ERR_USAGE, "path too long (%s)", dest);
	(void)snprintf(site_to, sizeof site_to, SITES_DIR "/%s", live);
	if (host[0] == '\0' && mkdir_p(path, 0755, e) == -1)
		return -1;
	{
		char *copy[] = { "rsync", "-aH", "--exclude=/.*", verbose ? "-v" : "-q",
			"--mkpath", src, dst, NULL };
		char *prune[] = { "rsync", "-aH", "--exclude=/.*", verbose ? "-v" : "-q",
			"--delete-after", src, dst, NULL };
		char *acopy[] = { "rsync", "-aH", "--exclude=/.*", verbose ? "-v" : "-q",
			"--mkpath", asrc, adst, NULL };
		char *aprune[] = { "rsync", "-aH", "--exclude=/.*", verbose ? "-v" : "-q",
			"--delete-after", asrc, adst, NULL };

		/* The logins (HOME/access, access_live.h) go beside the
		 * generations and switch by their own symlink. */
		if (run(copy, verbose, e) == -1 ||
		    (access_to[0] != '\0' && run(acopy, verbose, e) == -1) ||
		    switch_remote(host, path, SITE_LINK, site_to, verbose, e) == -1 ||
		    (access_to[0] != '\0' &&
		    switch_remote(host, path, ACCESS_LINK, access_to, verbose, e) == -1) ||
		    run(prune, verbose, e) == -1 ||
		    (access_to[0] != '\0' && run(aprune, verbose, e) == -1))
			return -1;
	}
	return 0;
}
