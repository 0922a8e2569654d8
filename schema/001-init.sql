-- 001-init.sql — the database one import of the KSM export produces.
--
-- Conventions: money is INTEGER grosze (suffix _gr); quantities and rates
-- are INTEGER ten-thousandths (suffix _e4); areas are INTEGER hundredths of
-- a square metre (area_cm2 would be wrong: suffix _e2); dates are ISO text
-- 'YYYY-MM-DD', billing periods 'YYYY-MM', timestamps 'YYYY-MM-DDTHH:MM:SS'.
-- Text is UTF-8, trimmed, NULL where the export left an optional field
-- empty.  Ids are the export's own keys.  No REAL column anywhere.
-- Code checks are written as OR chains, not IN lists: SQLite builds an
-- ephemeral index for an IN list on every insert, which made bulk loads
-- several times slower.

CREATE TABLE cooperative (
	id            INTEGER PRIMARY KEY CHECK (id = 1),
	name          TEXT NOT NULL,
	nip           TEXT NOT NULL,
	street        TEXT NOT NULL,
	postcode      TEXT NOT NULL,
	town          TEXT NOT NULL
);

-- The export this database holds (exactly one row).
CREATE TABLE export (
	id            INTEGER PRIMARY KEY CHECK (id = 1),
	system        TEXT NOT NULL,
	version       TEXT NOT NULL,
	generated_at  TEXT NOT NULL,      -- eksport/@wygenerowano
	manifest_sha256 TEXT NOT NULL,    -- of eksport.xml as received
	imported_at   TEXT NOT NULL       -- UTC, when this import finished
);

CREATE TABLE premises (
	id            TEXT PRIMARY KEY,
	building      TEXT NOT NULL,
	street        TEXT NOT NULL,
	number        TEXT NOT NULL,
	postcode      TEXT NOT NULL,
	town          TEXT NOT NULL,
	kind          TEXT NOT NULL CHECK (kind = 'M' OR kind = 'U' OR kind = 'G' OR kind = 'P'),
	legal_title   TEXT NOT NULL CHECK (legal_title = 'SWP' OR legal_title = 'SLP' OR legal_title = 'WO' OR legal_title = 'NAJ'),
	area_e2       INTEGER NOT NULL CHECK (area_e2 >= 0),
	persons       INTEGER NOT NULL CHECK (persons >= 0),
	rooms         INTEGER CHECK (rooms >= 0),
	floor         TEXT,
	held_since    TEXT
);

CREATE TABLE person (
	id            TEXT PRIMARY KEY,
	surname       TEXT NOT NULL,
	first_name    TEXT,
	street        TEXT NOT NULL,
	postcode      TEXT NOT NULL,
	town          TEXT NOT NULL,
	email         TEXT
);

CREATE TABLE card (
	id            TEXT PRIMARY KEY,
	person_id     TEXT NOT NULL REFERENCES person (id),
	premises_id   TEXT REFERENCES premises (id),
	kind          TEXT NOT NULL CHECK (kind = 'C' OR kind = 'T' OR kind = 'I' OR kind = 'R'),
	bank_account  TEXT NOT NULL CHECK (length(bank_account) = 26),
	balance_gr    INTEGER NOT NULL,   -- KSM's saldo: positive = owes
	balance_date  TEXT NOT NULL
);
CREATE INDEX card_person ON card (person_id);

CREATE TABLE booking (
	id            TEXT PRIMARY KEY,   -- id_operacji, stable across exports
	card_id       TEXT NOT NULL REFERENCES card (id),
	date          TEXT NOT NULL,
	period        TEXT NOT NULL,
	doc_type      TEXT NOT NULL CHECK (doc_type = 'BO' OR doc_type = 'NAL' OR doc_type = 'WPL' OR doc_type = 'KOR' OR doc_type = 'ODS' OR doc_type = 'ROZ' OR doc_type = 'ZWR'),
	doc_no        TEXT,
	description   TEXT,
	debit_gr      INTEGER NOT NULL,   -- wn
	credit_gr     INTEGER NOT NULL    -- ma
);

-- One row per card and month of naliczenia.xml, its components inline.
-- lines is a JSON array with one array per component, in export order:
--   [[kind_id, quantity_e4, rate_e4, amount_gr], ...]
-- (31 million component rows made a tenth as many inserts this way; read
-- them through the charge_component view, or parse lines directly).
-- One card and month at most once: the unique index charge_card_period
-- of schema/004-charge-unique.sql, built once the charges are in.
CREATE TABLE charge (
	id            INTEGER PRIMARY KEY,
	card_id       TEXT NOT NULL REFERENCES card (id),
	period        TEXT NOT NULL,
	total_gr      INTEGER NOT NULL,   -- sum of the components' amounts
	lines         TEXT NOT NULL
);

-- The kinds of component (code, name, basis) are few and repeat in every
-- month: kept once, referred to by number.
CREATE TABLE charge_kind (
	id            INTEGER PRIMARY KEY,
	code          TEXT NOT NULL,
	name          TEXT NOT NULL,
	basis         TEXT NOT NULL CHECK (basis = 'm2' OR basis = 'osoba' OR basis = 'lokal' OR basis = 'm3' OR basis = 'GJ' OR basis = 'szt'),
	UNIQUE (code, name, basis)
);

-- The components as the export states them, one row each: what readers
-- outside the importer use.  seq is the order within the month, from 0.
CREATE VIEW charge_component (charge_id, seq, code, name, basis, quantity_e4,
    rate_e4, amount_gr) AS
	SELECT c.id, CAST(j.key AS INTEGER), k.code, k.name, k.basis,
	    j.value ->> 1, j.value ->> 2, j.value ->> 3
	FROM charge c, json_each(c.lines) j
	JOIN charge_kind k ON k.id = j.value ->> 0;

CREATE TABLE announcement (
	id            TEXT PRIMARY KEY,
	date          TEXT NOT NULL,
	valid_until   TEXT,
	title         TEXT NOT NULL,
	seq           INTEGER NOT NULL    -- order in komunikaty.xml
);

CREATE TABLE announcement_block (
	announcement_id TEXT NOT NULL REFERENCES announcement (id),
	seq           INTEGER NOT NULL,
	kind          TEXT NOT NULL CHECK (kind = 'p' OR kind = 'li'),  -- akapit, punkt
	text          TEXT NOT NULL,
	PRIMARY KEY (announcement_id, seq)
) WITHOUT ROWID;

-- Findings that do not stop an import: KSM's figures disagree with the
-- ledger or the components.  Shown in the import summary, kept for audit.
CREATE TABLE warning (
	id            INTEGER PRIMARY KEY,
	kind          TEXT NOT NULL CHECK (kind = 'balance' OR kind = 'charge'),
	card_id       TEXT NOT NULL REFERENCES card (id),
	period        TEXT,               -- for 'charge'
	ksm_gr        INTEGER NOT NULL,   -- what KSM says (saldo, NAL wn)
	computed_gr   INTEGER NOT NULL    -- what the rows add up to
);

-- Every import attempt, carried over from database to database.
CREATE TABLE import_run (
	id            INTEGER PRIMARY KEY,
	started_at    TEXT NOT NULL,
	finished_at   TEXT,
	export_dir    TEXT NOT NULL,
	generated_at  TEXT,
	manifest_sha256 TEXT,
	outcome       TEXT NOT NULL CHECK (outcome = 'ok' OR outcome = 'unchanged' OR outcome = 'failed' OR outcome = 'refused'),
	rows_premises INTEGER, rows_people INTEGER, rows_cards INTEGER,
	rows_bookings INTEGER, rows_components INTEGER, rows_announcements INTEGER,
	warnings      INTEGER,
	error         TEXT
);
