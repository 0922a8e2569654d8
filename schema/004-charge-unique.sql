-- 004-charge-unique.sql — one charge per card and month.
--
-- The importer loads naliczenia.xml (millions of card-months, month after
-- month) without this index and builds it by sorting once the charges
-- are in: kept up row by row, each insert landed somewhere else in it,
-- which cost the thread that reads naliczenia.xml a third of its time.
-- A card listed twice in one month makes this migration fail; the
-- importer then names the <kartoteka> elements (importer/import.c).
-- Applied by the importer after the charges are copied in, after 002
-- and 003 (which it applies once the ledger is in).

CREATE UNIQUE INDEX charge_card_period ON charge (card_id, period);
