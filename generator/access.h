/*
 * access.h — what the generator needs from keys.db to lock the site:
 * sealed bundles per resident, the htpasswd file, the public salt shards.
 *
 * Use (one struct access per thread: it holds a prepared statement):
 *
 *   struct access *a;
 *   access_open(&a, "HOME/keys.db", &e);
 *   for each resident:
 *       r = access_seal_resident(a, person_id, &head, frag, frag_n, &bundle, login, &e);
 *       r == 1: write bundle.data[0..bundle.len) to OUT/r/<login>.bin
 *               (login is the bundle's stem: "LOGIN", or "LOGIN.V" after
 *               V-1 resets, see access_bundle_stem)
 *       r == 0: the person has no live login: write nothing for them
 *   access_write_files(a, OUT, "HOME/htpasswd.d", &e);
 *   access_close(a);
 *
 * Files access_write_files writes (atomically, deterministic bytes: the
 * same keys.db gives the same files):
 *
 *   OUT/auth/00.json .. OUT/auth/ff.json   (0644, all 256, even when empty)
 *       {"<sha256(login) hex>":{"salt":"<base64url>","iterations":600000},...}
 *       plus "v":V for a login whose key version V is above 1 (after a
 *       reset): its bundle is r/LOGIN.V.bin
 *       keyed by SHA-256 of the login, in the shard named by the hash's first
 *       byte, sorted.  The browser fetches its shard to learn the salt; for a
 *       login not listed it derives a fake salt, so an unknown login fails
 *       exactly like a wrong password (docs/security.md).
 *   htpasswd_dir/NN  (directory 0750, files 0640: nginx's workers read them
 *       at every request; give them the web server's group, e.g. make
 *       htpasswd_dir group www-data with the setgid bit so new files
 *       inherit it)  login:{SSHA}... per live login, sorted, in the file
 *       named by the login's first ACCESS_HTPASSWD_PREFIX characters; one
 *       file for every prefix over [a-z0-9] (1296), empty ones included,
 *       and an empty file "_" for user names that are not logins.  Why
 *       split: nginx reads the user file line by line at every request; one
 *       file of 30,000 logins cut throughput to ~450 requests/s on 2 cores,
 *       one of ~25 lines serves thousands (tests/bench/nginx.sh).  The nginx
 *       configuration picks the file from $remote_user (nginx_conf.h).
 *       Keep the directory outside the document root.
 *   htpasswd_dir/all  every line of the files above in one file, for
 *       Apache (apache_conf.h), which cannot pick a file per user name.
 *       Verifiers: {SHA} (both servers), or {SSHA} for logins issued
 *       before the Apache support (nginx only, until reset).
 *
 * Files whose bytes would not change are not rewritten.
 *
 * Revoked logins appear in neither file and get no bundle; the generator
 * writes each generation afresh, so their old folder disappears with it.
 */
#ifndef CZYNSZE_ACCESS_H
#define CZYNSZE_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "bundle.h"
#include "buf.h"
#include "err.h"

/* A bundle's stem, "LOGIN" or "LOGIN.V" (V up to CRED_VERSION_MAX), + NUL. */
#define ACCESS_LOGIN_BYTES (BUNDLE_LOGIN_MAX + 12)
#define ACCESS_SHARDS 256
#define ACCESS_HTPASSWD_PREFIX 2
/* Inside an access folder (access_write_dir): the salt shards and the
 * htpasswd files, with the modes the web server needs (every other file
 * in the data home is owner-only: docs/security.md). */
#define ACCESS_AUTH "auth"
#define ACCESS_HTPASSWD "htpasswd.d"
#define ACCESS_PUBLIC_DIR_MODE 0755
#define ACCESS_PUBLIC_MODE 0644
#define ACCESS_HTPASSWD_DIR_MODE 0750
#define ACCESS_HTPASSWD_MODE 0640
#define ACCESS_HTPASSWD_ALL "all"

struct access;

/* Opens keys.db at path (created empty, 0600, when missing). */
int access_open(struct access **out, const char *keys_db_path, struct err *e);
/* NULL-safe. */
void access_close(struct access *a);

/*
 * Seals fragment[0..n) (the resident's statement, an HTML fragment in
 * UTF-8) with header h (bundle.h: the export it comes from) for person_id.  Returns 1 with *bundle_out replaced by the bundle
 * and login_out set to the folder name to use under OUT/r/; 0 when the
 * person has no live login (bundle_out emptied, login_out ""); -1 on error
 * (ERR_DATA for a fragment over BUNDLE_FRAGMENT_BYTES_MAX or a damaged
 * keys.db row).  No password-based derivation happens here: it costs one
 * gzip, one HKDF, one HMAC and AES-GCM.
 */
int access_seal_resident(struct access *a, const char *person_id,
    const struct bundle_head *h, const void *fragment, size_t n, struct buf *bundle_out,
    char login_out[ACCESS_LOGIN_BYTES], struct err *e);

/*
 * The same for a statement not rendered again: old[0..old_n) is the
 * person's last bundle, whose compressed statement is sealed anew with
 * header h (bundle_reseal: one AES-GCM open and one seal, no rendering,
 * no gzip).  Returns as access_seal_resident; -1 with ERR_DATA when old
 * does not open with the person's data key (render it afresh then).
 */
int access_reseal_resident(struct access *a, const char *person_id,
    const struct bundle_head *h, const void *old, size_t old_n, struct buf *bundle_out,
    char login_out[ACCESS_LOGIN_BYTES], struct err *e);

/*
 * A tag for skipping unchanged residents (generate.h): HMAC-SHA256 under
 * the person's data key of everything bundle_seal takes from their keys
 * (login, iterations, salt, wrapped key) and input[0..n) (what the
 * fragment is made from).  Same tag: the same bundle would be sealed.
 * Keyed by a secret, it tells nothing about the data to whoever reads
 * it.  Returns 1 with tag_out and login_out set, 0 when the person has
 * no live login, -1 on error.
 */
#define ACCESS_TAG_BYTES 32
int access_resident_tag(struct access *a, const char *person_id, const void *input, size_t n,
    unsigned char tag_out[ACCESS_TAG_BYTES], char login_out[ACCESS_LOGIN_BYTES],
    struct err *e);

/* Writes the salt shards under site_dir/auth/ and the htpasswd files
 * under htpasswd_dir (both created when missing). */
int access_write_files(struct access *a, const char *site_dir, const char *htpasswd_dir,
    struct err *e);

/* Fills the new folder dir (which must exist, empty) with dir/auth/ and
 * dir/htpasswd.d/ for keys.db as it is now, without fsync (the caller
 * makes the folder durable as a whole).  With live (the folder in use,
 * or NULL), files whose bytes are unchanged are hard links to live's and
 * *changed counts the others: 0 means dir says what live says. */
int access_write_dir(struct access *a, const char *dir, const char *live,
    unsigned long *changed, struct err *e);

/* What access_write_dir would find changed against the folder live,
 * without writing anything: *changed gets the number of files whose bytes
 * would differ (0: live is what keys.db says).  Reads keys.db and live. */
int access_compare_dir(struct access *a, const char *live, unsigned long *changed,
    struct err *e);

/* The bundle's name under OUT/r/ without ".bin": the login for key
 * version 1, "LOGIN.V" after a reset.  -1 when it does not fit. */
int access_bundle_stem(char out[ACCESS_LOGIN_BYTES], const char *login, uint32_t version);

#endif
