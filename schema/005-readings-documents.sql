-- 005-readings-documents.sql — export format v2: meter readings and
-- documents (odczyty.csv, dokumenty.xml; ksm-export-format.md "Format v2").
--
-- Applied to every import, v1 too: a v1 export leaves these tables empty
-- and export.format 1.  Conventions as in 001: meter states and
-- consumption are INTEGER thousandths (suffix _e3), dates ISO text, code
-- checks written as OR chains (001 says why).  The PDFs themselves are not
-- in the database: the importer copies each into the document store
-- HOME/documents/ (lib/docstore.h), named by its SHA-256, before the
-- database is committed; sha256 here is that name.  Applied with the
-- migrations after the ledger (importer/load_export.c), before the
-- readings and documents are loaded.

ALTER TABLE export ADD COLUMN format INTEGER NOT NULL DEFAULT 1;  -- eksport/@format

CREATE TABLE meter_reading (
	id            TEXT PRIMARY KEY,   -- id_odczytu
	premises_id   TEXT NOT NULL REFERENCES premises (id),
	meter         TEXT NOT NULL,      -- licznik (serial)
	medium        TEXT NOT NULL CHECK (medium = 'ZW' OR medium = 'CW' OR medium = 'CO' OR medium = 'PO' OR medium = 'GAZ' OR medium = 'EE'),
	date          TEXT NOT NULL,      -- YYYY-MM-DD, like booking.date
	state_e3      INTEGER NOT NULL CHECK (state_e3 >= 0),   -- stan x 1000
	kind          TEXT NOT NULL CHECK (kind = 'O' OR kind = 'S' OR kind = 'Z' OR kind = 'M'),
	-- consumption since the previous reading of this meter as the
	-- importer computed it; NULL for a meter's first row and 'M' rows
	usage_e3      INTEGER,
	ksm_usage_e3  INTEGER             -- zuzycie as KSM gave it, NULL when empty
);
CREATE INDEX meter_reading_premises ON meter_reading (premises_id, meter, date, id);

-- Findings about readings that do not stop an import (like warning):
-- 'decrease': the state is lower than the previous one of the same meter
-- without an 'M' row between (expected = the previous state, found = this
-- one); 'usage': zuzycie differs from the computed consumption (expected =
-- computed, found = zuzycie).
CREATE TABLE reading_warning (
	reading_id    TEXT NOT NULL REFERENCES meter_reading (id),
	kind          TEXT NOT NULL CHECK (kind = 'decrease' OR kind = 'usage'),
	expected_e3   INTEGER,
	found_e3      INTEGER
);
CREATE INDEX reading_warning_reading ON reading_warning (reading_id);

CREATE TABLE document (
	id            TEXT PRIMARY KEY,
	kind          TEXT NOT NULL CHECK (kind = 'ZAW' OR kind = 'ROZ' OR kind = 'UPO' OR kind = 'INF' OR kind = 'OGL'),
	date          TEXT NOT NULL,      -- YYYY-MM-DD
	title         TEXT NOT NULL,
	owner_kind    TEXT NOT NULL CHECK (owner_kind = 'card' OR owner_kind = 'premises' OR owner_kind = 'person' OR owner_kind = 'public'),
	owner_id      TEXT,               -- NULL exactly when public
	path          TEXT NOT NULL,      -- plik as exported, e.g. dokumenty/2021/ZAW-2021-000451.pdf
	bytes         INTEGER NOT NULL CHECK (bytes > 0 AND bytes <= 20971520),
	sha256        TEXT NOT NULL CHECK (length(sha256) = 64),  -- lowercase hex
	seq           INTEGER NOT NULL,   -- order in dokumenty.xml
	CHECK ((owner_kind = 'public') = (owner_id IS NULL))
);
CREATE INDEX document_owner ON document (owner_kind, owner_id);

-- Who may see which document (not the public ones): the holder of the
-- card it names, every holder of a card on the premises it names, the
-- person it names.  One row per person and document.
CREATE VIEW person_document (person_id, document_id) AS
	SELECT c.person_id, d.id FROM document d JOIN card c ON c.id = d.owner_id
	WHERE d.owner_kind = 'card'
	UNION
	SELECT c.person_id, d.id FROM document d JOIN card c ON c.premises_id = d.owner_id
	WHERE d.owner_kind = 'premises'
	UNION
	SELECT d.owner_id, d.id FROM document d WHERE d.owner_kind = 'person';
