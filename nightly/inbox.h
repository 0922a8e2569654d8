/*
 * inbox.h — receiving an export: is it complete, and keeping a copy.
 *
 * KSM (or whoever copies its export to us) writes into an inbox folder.
 * An export is ready when eksport.xml is there and no file in the folder
 * (nor in its dokumenty/ tree of PDFs, format 2) changes size or
 * modification time during a short settle period.
 *
 * The job then copies the export into HOME/exports/.incoming-PID and
 * imports that private copy, so that nothing the sender does during the
 * import can change what is imported.  After a successful night the copy
 * becomes HOME/exports/ksm-YYYYMMDD (the export's date; a second export
 * of the same day gets ksm-YYYYMMDD-HHMMSS) and only the newest K such
 * folders are kept: `czynsze import --force HOME/exports/ksm-20211228`
 * re-imports a night.  Copies, not hard links: an inbox written in place
 * (cp, smbclient) would otherwise change the archived files too.
 */
#ifndef CZYNSZE_INBOX_H
#define CZYNSZE_INBOX_H

#include <stddef.h>

#include "err.h"
#include "home.h"

#define EXPORTS_DIR "exports"
#define INBOX_FILES_MAX 64             /* files in one export folder */
#define INBOX_DOCUMENTS_MAX 1000000    /* files under its dokumenty/ (format 2) */
#define INBOX_DEPTH_MAX 8              /* folder levels under dokumenty/ */
#define INBOX_FILE_BYTES_MAX (16ull << 30)

/* 0 when dir holds eksport.xml and nothing in it changed during
 * settle_ms milliseconds; else -1 with ERR_NOT_READY saying why
 * (ERR_DATA when dir is not a readable folder). */
int inbox_ready(const char *dir, unsigned settle_ms, struct err *e);

/* Copies every regular file of dir, and its dokumenty/ tree (folders and
 * regular files only: a link there is ERR_DATA), into a fresh
 * HOME/exports/.incoming-PID (fsynced); its path goes to out. */
int inbox_receive(const struct home *h, const char *dir, char out[PATH_BYTES_MAX],
    struct err *e);

/* Renames the incoming copy to HOME/exports/ksm-YYYYMMDD (from
 * generated_at "2021-12-28T02:00:13"), then keeps the newest `keep`
 * ksm-* folders (keep 0: keeps none, the copy is removed).  The final
 * name goes to name_out. */
int inbox_keep(const struct home *h, const char *incoming, const char *generated_at,
    size_t keep, char name_out[64], struct err *e);

/* Removes incoming copies left by interrupted runs. */
int inbox_clean(const struct home *h, struct err *e);

#endif
