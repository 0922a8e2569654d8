/*
 * manifest.h — eksport.xml: who exported, when, and what each file holds.
 */
#ifndef CZYNSZE_MANIFEST_H
#define CZYNSZE_MANIFEST_H

#include <stdint.h>

#include "diag.h"
#include "digest.h"
#include "err.h"

#define MANIFEST_FILE "eksport.xml"
#define MANIFEST_TEXT_MAX 256
#define MANIFEST_BYTES_MAX (1u << 20)               /* eksport.xml */
#define EXPORT_FILE_BYTES_MAX (UINT64_C(4) << 30)   /* each data file: 4 GiB */

enum export_file {
	FILE_LOKALE, FILE_OSOBY, FILE_KARTOTEKI, FILE_OBROTY, FILE_NALICZENIA,
	FILE_KOMUNIKATY, FILE_COUNT
};

/* "lokale.csv", ... in enum order. */
extern const char *const export_file_names[FILE_COUNT];

struct manifest_file {
	int listed;
	uint64_t rows;
	char sha256[SHA256_HEX_LEN + 1];
};

struct manifest {
	char system[MANIFEST_TEXT_MAX];
	char version[MANIFEST_TEXT_MAX];
	char generated_at[20];            /* "2021-12-28T02:00:13" */
	char coop_name[MANIFEST_TEXT_MAX];
	char coop_nip[16];
	char coop_street[MANIFEST_TEXT_MAX];
	char coop_postcode[8];
	char coop_town[MANIFEST_TEXT_MAX];
	struct manifest_file file[FILE_COUNT];
	char digest[SHA256_HEX_LEN + 1];  /* of eksport.xml itself */
};

/* Reads and checks dir/eksport.xml (a regular file of at most
 * MANIFEST_BYTES_MAX; structure, every data file listed once).  Returns 0, or -1 with e set (ERR_DATA for a bad manifest). */
int manifest_read(struct manifest *out, const char *dir, struct diag *diag, struct err *e);

/* Checks that every data file exists, is a regular file of at most
 * EXPORT_FILE_BYTES_MAX, and has the listed SHA-256.  The
 * row counts are checked by the loaders.  Returns 0 or -1. */
int manifest_verify_files(const struct manifest *m, const char *dir, struct err *e);

/* Only the cheap part for file f: a regular file (not a FIFO or a
 * device, which would block a reader) of at most EXPORT_FILE_BYTES_MAX. */
int manifest_check_file(const char *dir, enum export_file f, struct err *e);

/* The same for file f alone. */
int manifest_verify_file(const struct manifest *m, const char *dir, enum export_file f,
    struct err *e);

/* Checks that hex, the SHA-256 of file f as read, is the listed one;
 * -1 with the message manifest_verify_file gives when it is not. */
int manifest_check_sha256(const struct manifest *m, enum export_file f,
    const char hex[SHA256_HEX_LEN + 1], struct err *e);

#endif
