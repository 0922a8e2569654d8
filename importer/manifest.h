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

/* The data files in load order.  Those from FILE_OPTIONAL on are format
 * 2's (ksm-export-format.md "Format v2"): present exactly when listed. */
enum export_file {
	FILE_LOKALE, FILE_OSOBY, FILE_KARTOTEKI, FILE_OBROTY, FILE_NALICZENIA,
	FILE_KOMUNIKATY, FILE_ODCZYTY, FILE_DOKUMENTY, FILE_COUNT
};
#define FILE_OPTIONAL FILE_ODCZYTY
#define DOCUMENTS_DIR "dokumenty"   /* the PDFs dokumenty.xml lists */
#define DOCUMENT_BYTES_MAX (UINT64_C(20) << 20)   /* one PDF: 20 MiB */

/* "lokale.csv", ... in enum order. */
extern const char *const export_file_names[FILE_COUNT];

struct manifest_file {
	int listed;
	uint64_t rows;
	char sha256[SHA256_HEX_LEN + 1];
};

struct manifest {
	int format;                       /* eksport/@format: 1 (absent) or 2 */
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
 * MANIFEST_BYTES_MAX; structure, every data file of format 1 listed once).
 * Returns 0, or -1 with e set (ERR_DATA "eksport.xml: ..." for a bad
 * manifest). */
int manifest_read(struct manifest *out, const char *dir, struct diag *diag, struct err *e);

/* The files of format 2 against dir: only in a format 2 manifest
 * ("eksport.xml: file F listed, but the manifest is not format="2""),
 * each listed exactly when dir holds it ("F: listed in eksport.xml but
 * missing" / "F: present but not listed"; broken transfers), and
 * dokumenty/ only beside a listed dokumenty.xml.  Returns 0, or -1 with
 * ERR_DATA. */
int manifest_check_optional(const struct manifest *m, const char *dir, struct err *e);

/*
 * The checks of a data file, one name per job:
 *
 *   manifest_stat_file     cheap, before anything reads it: dir/FILE is a
 *                          regular file (not a FIFO or a device, which
 *                          would block a reader) of at most
 *                          EXPORT_FILE_BYTES_MAX;
 *   manifest_hash_file     the same, then reads it whole and compares its
 *                          SHA-256 with the listed one;
 *   manifest_compare_hash  compares hex, the SHA-256 of file f as somebody
 *                          read it (the loader hashes naliczenia.xml as it
 *                          parses it), with the listed one.
 *
 * The row counts are checked by the loaders.  Each returns 0, or -1 with
 * ERR_DATA "FILE: ..." (a SHA-256 that differs: "FILE: SHA-256 differs
 * from the manifest (broken transfer?): expected X, found Y").
 */
int manifest_stat_file(const char *dir, enum export_file f, struct err *e);
int manifest_hash_file(const struct manifest *m, const char *dir, enum export_file f,
    struct err *e);
int manifest_compare_hash(const struct manifest *m, enum export_file f,
    const char hex[SHA256_HEX_LEN + 1], struct err *e);

#endif
