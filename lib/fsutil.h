/*
 * fsutil.h — files that survive crashes: durable renames, atomic writes.
 */
#ifndef CZYNSZE_FSUTIL_H
#define CZYNSZE_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

#define PATH_BYTES_MAX 4096

/* out = a "/" b; -1 with ERR_USAGE when it does not fit. */
int path_join(char out[PATH_BYTES_MAX], const char *a, const char *b, struct err *e);

/* Creates dir and missing parents with exactly mode, whatever the umask
 * (existing ones are left as they are; a setgid bit inherited from the
 * parent is kept).  Returns 0 or -1. */
int mkdir_p(const char *dir, mode_t mode, struct err *e);

/* chmod(path, mode), keeping a folder's setgid bit (the group a web
 * server reads through, docs/security.md "Modes"). */
int chmod_keep_sgid(const char *path, mode_t mode, struct err *e);

/* fsync(2) of a file or directory by path. */
int fsync_path(const char *path, struct err *e);

/* rename(from, to), then fsync of to's directory. */
int rename_durable(const char *from, const char *to, struct err *e);

/* Writes data to path through path.tmp-PID + fsync + rename: readers see
 * the old file or the new one, never a part.  mode e.g. 0600. */
int write_file_atomic(const char *path, const void *data, size_t n, mode_t mode,
    struct err *e);

/*
 * The same, atomic but not durable: no fsync of the file nor of its
 * folder, so a crash may leave the old file, the new one, or (on some
 * file systems) an empty new one.  For writers of many files that make
 * them durable together afterwards with sync_filesystem() before anyone
 * relies on them (generate: the site is published by one rename later).
 */
int write_file_atomic_nosync(const char *path, const void *data, size_t n, mode_t mode,
    struct err *e);
/*
 * Writes data to path like write_file_atomic (durable) or
 * write_file_atomic_nosync (FS_NOSYNC), unless path already is a regular
 * file holding exactly data[0..n): then nothing is written, not even its
 * times.  Returns 1 when written, 0 when unchanged, -1 on error (ERR_SYSTEM;
 * path is then the old file or missing).
 */
enum fs_sync { FS_SYNC, FS_NOSYNC };
int write_file_if_changed(const char *path, const void *data, size_t n, mode_t mode,
    enum fs_sync sync, struct err *e);
/* syncfs(2) of the file system holding path: everything written there
 * so far, data and folders, reaches the disk.  Returns 0 or -1. */
int sync_filesystem(const char *path, struct err *e);
/* Reads a whole file of at most max bytes into *out (NUL-terminated,
 * caller frees).  -1 with ERR_SYSTEM on I/O, ERR_DATA when too large. */
int read_file(char **out, size_t *n, const char *path, size_t max, struct err *e);

/* Reads up to want bytes from fd into buf, fewer only at the end of the
 * file (retrying short reads and EINTR); *got says how many.  Returns 0,
 * or -1 with errno set. */
int fd_read_full(int fd, void *buf, size_t want, size_t *got);

/* Removes a file; a missing file is not an error. */
int unlink_if_exists(const char *path, struct err *e);

/* Removes a directory tree (no symlinks followed); missing is fine. */
int remove_tree(const char *path, struct err *e);

/* Removes (remove_tree) every entry of dir whose name starts with prefix;
 * a missing dir is fine.  Used to clear leftovers of interrupted runs. */
int remove_prefixed(const char *dir, const char *prefix, struct err *e);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into out[21]. */
void utc_now(char out[21]);

#endif
