/*
 * test_generation.c — generation names sort by export time, then by
 * their number as a number: .9 before .10 (a string sort would put .10
 * first).  Pruning keeps the newest by this order, so a wrong order would
 * remove tonight's generation and keep an older one.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "generation.h"
#include "tap.h"

static int
make_generation(const struct home *h, const char *name)
{
	char path[PATH_BYTES_MAX];
	struct err e;

	if ((size_t)snprintf(path, sizeof path, "%s/" SITES_DIR "/%s/" GENERATION_WWW, h->dir,
	    name) >= sizeof path)
		return -1;
	return mkdir_p(path, 0755, &e);
}

static int
exists(const struct home *h, const char *name)
{
	char sites[PATH_BYTES_MAX], path[PATH_BYTES_MAX];
	struct err e;

	return path_join(sites, h->dir, SITES_DIR, &e) == 0 &&
	    path_join(path, sites, name, &e) == 0 && access(path, F_OK) == 0;
}

int
main(void)
{
	/* shuffled on purpose; sorted they are the order below */
	static const char *const names[] = {
		"20211229T020007", "20211228T020013.10", "20211228T020013",
		"20211228T020013.9", "20211228T020013.2", "20211229T020007.1",
	};
	static const char *const sorted[] = {
		"20211228T020013", "20211228T020013.2", "20211228T020013.9",
		"20211228T020013.10", "20211229T020007", "20211229T020007.1",
	};
	struct generations *g = malloc(sizeof *g);
	char dir[] = "/tmp/czynsze-test-generation.XXXXXX";
	struct home h;
	struct err e;
	size_t i, removed = 0;
	int in_order = 1;

	tap_plan(9);
	if (g == NULL || mkdtemp(dir) == NULL)
		return 1;
	(void)snprintf(h.dir, sizeof h.dir, "%s", dir);
	ok(generation_cmp("20211228T020013.9", "20211228T020013.10") < 0, ".9 sorts before .10");
	ok(generation_cmp("20211228T020013.10", "20211228T020013.9") > 0, "... and not after");
	ok(generation_cmp("20211228T020013", "20211228T020013.1") < 0,
	    "the first of a name before its .1");
	ok(generation_cmp("20211228T020013.10", "20211229T020007") < 0,
	    "the export's time first: .10 of one night before the next night");
	is_int(generation_cmp("20211228T020013.3", "20211228T020013.3"), 0, "equal names");

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (make_generation(&h, names[i]) == -1)
			return 1;
	ok(generation_list(&h, g, &e) == 0 && g->n == 6, "six generations listed");
	for (i = 0; i < g->n && i < 6; i++)
		in_order &= strcmp(g->name[i], sorted[i]) == 0;
	ok(in_order, "... oldest first, .9 before .10");
	/* no HOME/site: nothing is live, pruning keeps the newest two */
	ok(generation_prune(&h, 2, &removed, &e) == 0 && removed == 4, "prune keeps two");
	ok(exists(&h, "20211229T020007") && exists(&h, "20211229T020007.1") &&
	    !exists(&h, "20211228T020013.10") && !exists(&h, "20211228T020013.9"),
	    "... the two newest, not .9 nor .10 of the night before");
	(void)remove_tree(dir, &e);
	free(g);
	return tap_done();
}
