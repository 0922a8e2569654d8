-- 002-indexes.sql — secondary indexes.
--
-- A separate migration on purpose: the importer builds each database from
-- empty, applies 001, bulk-loads the export, then applies the rest, so
-- these are built once by sorting instead of row by row.

CREATE INDEX booking_card ON booking (card_id, date, id);
CREATE INDEX warning_card ON warning (card_id);
-- The import's check of each month's components against its NAL booking
-- (a seek per month instead of grouping the whole ledger).
CREATE INDEX booking_nal ON booking (card_id, period, debit_gr) WHERE doc_type = 'NAL';
