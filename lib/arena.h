/*
 * arena.h — many small allocations released at once.
 *
 * An arena owns every block it hands out; arena_free() releases them all.
 * Allocation functions return NULL when out of memory (the arena stays
 * usable).  A zeroed struct (ARENA_INIT) is an empty arena.
 */
#ifndef CZYNSZE_ARENA_H
#define CZYNSZE_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
};

#define ARENA_INIT { NULL }

/* n bytes, zeroed, aligned for any type. */
void *arena_alloc(struct arena *a, size_t n);
/* Copy of s (NUL-terminated); s NULL gives NULL. */
char *arena_strdup(struct arena *a, const char *s);
void arena_free(struct arena *a);

#endif
