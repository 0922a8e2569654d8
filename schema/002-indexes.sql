-- 002-indexes.sql — secondary indexes.
--
-- A separate migration on purpose: the importer builds each database from
-- empty, applies 001, bulk-loads the export, then applies the rest, so
-- these are built once by sorting instead of row by row.

CREATE INDEX booking_card ON booking (card_id, date, id);
CREATE INDEX warning_card ON warning (card_id);
-- The import's check of each month's components against its NAL booking
-- (a seek per month instead of grouping the whole ledger).  Period first:
-- the check reads the months in file order, month after month, so its
-- seeks stay within one month's part of the index (in cache) instead of
-- crossing the whole index for every card.
CREATE INDEX booking_nal ON booking (period, card_id, debit_gr) WHERE doc_type = 'NAL';
