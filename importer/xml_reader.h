/*
 * xml_reader.h — streaming reader for the export's XML files (libxml2).
 *
 * xml_read() pushes the file through libxml2's SAX2 parser block by block
 * and calls the handlers with element names, attributes and text in
 * UTF-8.  Documents that declare a DTD or an entity are rejected before
 * any declaration is processed; no network access, no external entities,
 * no entity expansion.  Memory and time stay bounded: libxml2's own
 * limits (no XML_PARSE_HUGE) plus XML_DEPTH_MAX, XML_ATTRS_MAX and
 * XML_SPAN_BYTES_MAX.
 *
 * Errors name file, line and element or attribute:
 *     naliczenia.xml:14: attribute kwota: not an amount (94.19)
 */
#ifndef CZYNSZE_XML_READER_H
#define CZYNSZE_XML_READER_H

#include <stddef.h>

#include "diag.h"
#include "err.h"

#define XML_DEPTH_MAX 8
#define XML_ATTRS_MAX 16
/* Bytes between two '<': bounds a tag (and libxml2's quadratic work on
 * its attributes) and a text node; a paragraph of komunikaty.xml is at
 * most 16 KiB of text. */
#define XML_SPAN_BYTES_MAX 65536u

struct xml_attr {
	const char *name;
	const char *value;   /* UTF-8, NUL-terminated, not trimmed */
	size_t n;
};

struct xml_element {
	const char *file;
	long line;
	const char *name;
	int depth;           /* the root element is at depth 1 */
	size_t nattrs;
	struct xml_attr attr[XML_ATTRS_MAX];
};

/*
 * Handlers return 0, or -1 with e set.  As with CSV, ERR_DATA errors are
 * collected (up to DIAG_ERRORS_MAX) and reading goes on; other errors
 * stop at once.  `text` gets character data in pieces (possibly several
 * calls per text node).  Any handler may be NULL.
 */
struct xml_handlers {
	int (*start)(void *ctx, const struct xml_element *el, struct err *e);
	int (*end)(void *ctx, const char *name, int depth, long line, struct err *e);
	int (*text)(void *ctx, const char *s, size_t n, long line, struct err *e);
	/* The file's bytes as read, block after block, before they are
	 * parsed (for a checksum): all of them when xml_read returns 0.
	 * An error here stops reading. */
	int (*bytes)(void *ctx, const void *p, size_t n, struct err *e);
};

int xml_read(const char *dir, const char *file, const struct xml_handlers *h,
    void *ctx, struct diag *diag, struct err *e);

/* Finds attribute name of el: its index, or -1 when absent. */
int xml_attr_find(const struct xml_element *el, const char *name);

/* Sets e to "FILE:LINE: attribute NAME: problem (value)".  Returns -1. */
int xml_attr_error(struct err *e, const struct xml_element *el, int attr,
    const char *problem);

/* Sets e to "FILE:LINE: element NAME: problem".  Returns -1. */
int xml_element_error(struct err *e, const char *file, long line,
    const char *name, const char *problem);

/* Checks that the attributes named in required (NULL-terminated) are
 * there; unknown attributes are ignored, as unknown CSV columns are.
 * Returns 0 or -1 naming the first missing one. */
int xml_attrs_require(const struct xml_element *el, const char *const *required,
    struct err *e);

#endif
