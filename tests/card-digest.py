#!/usr/bin/env python3
"""card-digest.py DB [--halves | --tables] — recompute every card's digest
from the rows stored in DB, independently of the importer's C code,
following the encoding that importer/card_digest.h documents; print
"CARD_ID HEX" per card, sorted by card id (--halves: "CARD_ID DIGEST
BOOKINGS CHARGES", the halves of schema 006; --tables: "person HEX" and
"premises HEX", table_digest of schema 006, instead)."""
import hashlib
import json
import sqlite3
import struct
import sys


def num(v):
    return struct.pack(">q", v)


def text(s):
    if s is None:
        return struct.pack(">I", 0xFFFFFFFF)
    b = s.encode("utf-8")
    return struct.pack(">I", len(b)) + b


db = sqlite3.connect(sys.argv[1])
if "--tables" in sys.argv[2:]:
    # File order: rowid (inserted as read).
    h = hashlib.sha256()
    for row in db.execute("SELECT id, surname, first_name, street, postcode, town, email "
                          "FROM person ORDER BY rowid"):
        h.update(b"P" + b"".join(text(v) for v in row))
    print("person", h.hexdigest())
    h = hashlib.sha256()
    for row in db.execute("SELECT id, building, street, number, postcode, town, kind, "
                          "legal_title, area_e2, persons, rooms, floor, held_since "
                          "FROM premises ORDER BY rowid"):
        rooms = row[10]
        h.update(b"L" + b"".join(text(v) for v in row[:8]) + num(row[8]) + num(row[9]) +
                 num(0 if rooms is None else 1) + num(rooms or 0) + text(row[11]) + text(row[12]))
    print("premises", h.hexdigest())
    sys.exit(0)
parts = {cid: [hashlib.sha256(), hashlib.sha256()] for (cid,) in db.execute("SELECT id FROM card")}
# File order: rowid for booking (inserted as read), id for charge.
for row in db.execute("SELECT card_id, id, date, period, doc_type, doc_no, description, "
                      "debit_gr, credit_gr FROM booking ORDER BY rowid"):
    rec = b"B" + b"".join(text(v) for v in row[1:7]) + num(row[7]) + num(row[8])
    parts[row[0]][0].update(rec)
kinds = {k: (c, n, b) for k, c, n, b in db.execute("SELECT id, code, name, basis FROM charge_kind")}
for card, period, total, lines in db.execute("SELECT card_id, period, total_gr, lines "
                                             "FROM charge ORDER BY id"):
    comps = json.loads(lines)
    rec = b"C" + text(period) + num(total) + num(len(comps))
    for kind, qty, rate, amount in comps:
        rec += b"".join(text(v) for v in kinds[kind]) + num(qty) + num(rate) + num(amount)
    parts[card][1].update(rec)
for cid in sorted(parts):
    b, c = parts[cid]
    line = [cid, hashlib.sha256(b.digest() + c.digest()).hexdigest()]
    if "--halves" in sys.argv[2:]:
        line += [b.hexdigest(), c.hexdigest()]
    print(*line)
