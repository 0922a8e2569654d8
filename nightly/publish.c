/* publish.c — rsync of HOME/sites to another host, then its switch. */
#include "publish.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsutil.h"
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

/* DEST/site -> sites/NAME, locally by rename, remotely over ssh. */
static int
switch_remote(const char *host, const char *path, const char *name, int verbose,
    struct err *e)
{
	char cmd[3 * DEST_BYTES_MAX];
	struct home dest_home;

	if (host[0] == '\0') {
		if ((size_t)snprintf(dest_home.dir, sizeof dest_home.dir, "%s", path) >=
		    sizeof dest_home.dir)
			return err_set(e, ERR_USAGE, "path too long (%s)", path);
		return generation_switch(&dest_home, name, e);
	}
	if ((size_t)snprintf(cmd, sizeof cmd, "cd '%s' && ln -sfn '" SITES_DIR "/%s' "
	    "'" SITE_LINK ".tmp' && mv -Tf '" SITE_LINK ".tmp' '" SITE_LINK "'", path, name) >=
	    sizeof cmd)
		return err_set(e, ERR_USAGE, "destination too long");
	{
		char *argv[] = { "ssh", "--", (char *)host, cmd, NULL };

		return run(argv, verbose, e);
	}
}

int
publish_site(const struct home *h, const char *dest, int verbose, struct err *e)
{
	char host[DEST_BYTES_MAX], path[DEST_BYTES_MAX], live[GENERATION_NAME_MAX];
	char src[PATH_BYTES_MAX], dst[3 * DEST_BYTES_MAX], sites[PATH_BYTES_MAX];

	if (split_dest(dest, host, path, e) == -1 || generation_live(h, live, e) == -1)
		return -1;
	if (live[0] == '\0')
		return err_set(e, ERR_USAGE, "nothing to publish: no live site yet "
		    "(run czynsze nightly first)");
	if (home_path(h, SITES_DIR, sites, e) == -1 ||
	    (size_t)snprintf(src, sizeof src, "%s/", sites) >= sizeof src ||
	    (size_t)snprintf(dst, sizeof dst, "%s%s%s/" SITES_DIR "/", host,
	    host[0] ? ":" : "", path) >= sizeof dst)
		return err_set(e, ERR_USAGE, "path too long (%s)", dest);
	if (host[0] == '\0' && mkdir_p(path, 0755, e) == -1)
		return -1;
	{
		char *copy[] = { "rsync", "-aH", "--exclude=/.*", verbose ? "-v" : "-q",
			"--mkpath", src, dst, NULL };
		char *prune[] = { "rsync", "-aH", "--exclude=/.*", verbose ? "-v" : "-q",
			"--delete-after", src, dst, NULL };

		/* Each generation carries its htpasswd files (generation.h). */
		if (run(copy, verbose, e) == -1 ||
		    switch_remote(host, path, live, verbose, e) == -1 ||
		    run(prune, verbose, e) == -1)
			return -1;
	}
	return 0;
}
