-- audit-v2-night2.sql: the next night of audit-v2-night1.sql, by hand.
-- What t0351 expects audit diff to find (closed periods: before 2021-12):
--   reading R2 (2021-11-30) state 13.000 -> 13.100, usage 0.655 -> 0.755  closed
--   reading R1 (2021-10-31) deleted                                         closed
--   reading R4 (2021-11-30) moved to premises B03/2/20: one change          closed
--   reading R7 (2021-12-20) state 1.800 -> 1.850, usage and ksm_usage 0.300 -> 0.350
--   reading R5 (2021-11-15) added: a late reading, not flagged
--   reading R6 (2021-12-29) added
--   reading_warning of R3 deleted
--   document ZAW-1 date 2021-10-15 -> 2021-11-02 (another month's file): one change
--   document INF-1 bytes 30000 -> 30001 and a new sha256
--   document STATUT deleted, document UPO-1 added
UPDATE export SET generated_at = '2021-12-29T02:00:07';
UPDATE meter_reading SET state_e3 = 13100, usage_e3 = 755 WHERE id = 'R2';
DELETE FROM meter_reading WHERE id = 'R1';
UPDATE meter_reading SET premises_id = 'B03/2/20' WHERE id = 'R4';
UPDATE meter_reading SET state_e3 = 1850, usage_e3 = 350, ksm_usage_e3 = 350 WHERE id = 'R7';
INSERT INTO meter_reading (id, premises_id, meter, medium, date, state_e3, kind, usage_e3, ksm_usage_e3) VALUES
  ('R5', 'B07/1/3', 'WM-1', 'ZW', '2021-11-15', 12500, 'Z', NULL, NULL),
  ('R6', 'B07/1/3', 'WM-1', 'ZW', '2021-12-29', 13300, 'O', 400, 400);
DELETE FROM reading_warning WHERE reading_id = 'R3';
UPDATE document SET date = '2021-11-02' WHERE id = 'ZAW-1';
UPDATE document SET bytes = 30001, sha256 = replace(hex(zeroblob(32)), '0', 'e') WHERE id = 'INF-1';
DELETE FROM document WHERE id = 'STATUT';
INSERT INTO document (id, kind, date, title, owner_kind, owner_id, path, bytes, sha256, seq) VALUES
  ('UPO-1', 'UPO', '2021-12-20', 'Upomnienie', 'person', 'O0001',
   'dokumenty/2021/UPO-1.pdf', 20000, replace(hex(zeroblob(32)), '0', 'c'), 3);
