/* load.c — what the loaders share. */
#include "load.h"

#include "csv_reader.h"

int
load_insert_error(struct err *e, enum db_constraint c, const struct csv_record *rec,
    size_t key_col, size_t fk_col, const char *fk_what)
{
	switch (c) {
	case DB_UNIQUE:
		return csv_field_error(e, rec, key_col, "duplicate key");
	case DB_FOREIGN_KEY:
		return csv_field_error(e, rec, fk_col, fk_what);
	case DB_CHECK:
		return err_prefix(e, "%s:%llu", rec->file, (unsigned long long)rec->line);
	default:
		return -1;
	}
}
