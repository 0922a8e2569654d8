-- audit-v2-night1.sql: format 2 rows written by hand into a database that
-- holds fixtures/ksm-20211228 (used by t0350, t0351 before a v2 fixture
-- night existed).  Premises B07/1/3 (card K000403) gets a water meter with
-- three readings, the third lower than the second (a 'decrease' warning:
-- its usage is NULL, as the importer leaves it);
-- B03/1/12 a heat meter with two.  Three documents: one for a card, one
-- public, one for a person.  sha256: 64 copies of one hex digit.
UPDATE export SET format = 2;
INSERT INTO meter_reading (id, premises_id, meter, medium, date, state_e3, kind, usage_e3, ksm_usage_e3) VALUES
  ('R1', 'B07/1/3', 'WM-1', 'ZW', '2021-10-31', 12345, 'O', NULL, NULL),
  ('R2', 'B07/1/3', 'WM-1', 'ZW', '2021-11-30', 13000, 'S', 655, 655),
  ('R3', 'B07/1/3', 'WM-1', 'ZW', '2021-12-28', 12900, 'O', NULL, NULL),
  ('R4', 'B03/1/12', 'CO-9', 'CO', '2021-11-30', 1500, 'O', NULL, NULL),
  ('R7', 'B03/1/12', 'CO-9', 'CO', '2021-12-20', 1800, 'O', 300, 300);
INSERT INTO reading_warning (reading_id, kind, expected_e3, found_e3) VALUES
  ('R3', 'decrease', 13000, 12900);
INSERT INTO document (id, kind, date, title, owner_kind, owner_id, path, bytes, sha256, seq) VALUES
  ('ZAW-1', 'ZAW', '2021-10-15', 'Zawiadomienie o zmianie opłat', 'card', 'K000403',
   'dokumenty/2021/ZAW-1.pdf', 48213, replace(hex(zeroblob(32)), '0', 'a'), 1),
  ('STATUT', 'OGL', '2020-06-20', 'Statut Spółdzielni', 'public', NULL,
   'dokumenty/ogolne/statut.pdf', 512000, replace(hex(zeroblob(32)), '0', 'b'), 2),
  ('INF-1', 'INF', '2021-12-01', 'Pismo', 'person', 'O0002',
   'dokumenty/2021/INF-1.pdf', 30000, replace(hex(zeroblob(32)), '0', 'd'), 3);
