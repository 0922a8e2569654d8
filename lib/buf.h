/*
 * buf.h — a growable byte buffer, always NUL-terminated.
 *
 * Invariants: b->data is NULL only while b->cap == 0; otherwise
 * b->data[b->len] == '\0'.  A zeroed struct (BUF_INIT) is an empty buffer.
 * The buffer owns data; release it with buf_free().  Functions that can
 * grow the buffer return 0, or -1 with errno ENOMEM/EOVERFLOW and the
 * buffer unchanged.
 */
#ifndef CZYNSZE_BUF_H
#define CZYNSZE_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

/* Makes room for n more bytes (plus the terminator). */
int buf_grow(struct buf *b, size_t n);
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);

/* The page writers append millions of short pieces: these two are inline
 * so that the common case (room left) is a compare and a copy.  Same
 * contract as buf_add() and buf_addc(). */
static inline int
buf_add_fast(struct buf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n)
		return buf_add(b, p, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static inline int
buf_addc_fast(struct buf *b, char c)
{
	if (b->cap - b->len <= 1)
		return buf_addc(b, c);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
	return 0;
}
/* Appends v in decimal (what "%lld" would give, without printf). */
int buf_add_int64(struct buf *b, int64_t v);
/* Writes v in decimal at out (no NUL) and returns the length, at most
 * BUF_INT64_CHARS.  Can't fail. */
#define BUF_INT64_CHARS 20
size_t buf_fmt_int64(char *out, int64_t v);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Empties the buffer, keeping its storage.  Can't fail. */
void buf_reset(struct buf *b);
/* Frees storage; b becomes empty.  NULL-safe. */
void buf_free(struct buf *b);
/* Overwrites the contents with zeros before freeing (for secrets). */
void buf_wipe_free(struct buf *b);
/* Gives the caller the data (free(3) it), leaving b empty.  Returns NULL
 * for a buffer that never held anything. */
char *buf_detach(struct buf *b, size_t *len);

#endif
