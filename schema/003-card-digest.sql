-- 003-card-digest.sql — a content digest per account card.
--
-- One row per card (also for a card without bookings or charges): the
-- SHA-256 of the card's bookings and charge components as stored, in
-- export order, so that a later stage (the generator) can tell whether a
-- card changed since another import without reading its rows.  Equal
-- digests: the card's booking and charge rows are the same, column for
-- column.  Different digests: something changed, or only the order in
-- which the export lists the card's rows.  The card's own row (balance,
-- holder) is not part of it.  Encoding and guarantees:
-- importer/card_digest.h.  Filled by the importer at the end of a load
-- (a migration after 001, applied once the bulk load is in).

CREATE TABLE card_digest (
	card_id       TEXT PRIMARY KEY REFERENCES card (id),
	digest        BLOB NOT NULL CHECK (length(digest) = 32)
) WITHOUT ROWID;
