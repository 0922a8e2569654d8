-- 006-snapshot-digests.sql — what the audit snapshot needs to skip unchanged files.
--
-- The two halves of a card's digest: card_digest.digest is
-- SHA-256(bookings || charges), where bookings is the SHA-256 of the
-- card's booking records and charges that of its
-- charge records (importer/card_digest.h).  Keeping the halves lets the
-- audit snapshot key a card's two files apart: a night that adds a
-- payment writes the card's ledger file again and takes its charge
-- file, the larger one, from the last snapshot.  Filled by the importer
-- with digest (this migration runs before the rows are inserted); NULL
-- only in a database migrated by hand, which the snapshot then writes
-- whole.

ALTER TABLE card_digest ADD COLUMN bookings BLOB
	CHECK (bookings IS NULL OR length(bookings) = 32);
ALTER TABLE card_digest ADD COLUMN charges BLOB
	CHECK (charges IS NULL OR length(charges) = 32);

-- The same for whole tables read from one export file each, so that the
-- snapshot can take people.txt and premises.txt from the last night when
-- their rows did not change: name 'person' (osoby.csv) or 'premises'
-- (lokale.csv), digest the SHA-256 of the table's rows as stored, in file
-- order, encoded as importer/card_digest.h says ('P' and 'L' records).
CREATE TABLE table_digest (
	name          TEXT PRIMARY KEY CHECK (name IN ('person', 'premises')),
	digest        BLOB NOT NULL CHECK (length(digest) = 32)
) WITHOUT ROWID;
