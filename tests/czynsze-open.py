#!/usr/bin/env python3
"""czynsze-open.py BUNDLE LOGIN (--password PW | --key HEX) [--document FILE]
— open a bundle (or, with --document, one of the resident's documents).

An independent implementation of generator/bundle.h's reader for the tests
(python3-cryptography for AES-GCM): with --password, PBKDF2 -> HKDF KEK ->
unwrap the data key; with --key, the data key itself (hex, e.g. from
keys.db).  Prints the statement fragment (format version 2: after the
sealed header, exported_at (19) | G | generation id (G), which must be
well formed); exit 1 when it does not open.
It takes no lock and reads no keys.db: a test can look at a home as a
killed command left it.
With --document FILE (r/STEM.dTOKEN.bin, generator/docseal.h): the data
key from the bundle opens FILE, whose header must name LOGIN and the TOKEN
of its own name; the PDF's bytes go to stdout.
"""
import gzip, hashlib, hmac, re, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.exceptions import InvalidTag


def hkdf(secret, info):
    prk = hmac.new(b"\0" * 32, secret, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()


def main():
    path, login, how, value = sys.argv[1:5]
    doc = sys.argv[6] if len(sys.argv) == 7 and sys.argv[5] == "--document" else None
    b = open(path, "rb").read()
    if b[:4] != b"CZSB" or b[4] != 2 or b[6:6 + b[5]] != login.encode():
        sys.exit("not a bundle for " + login)
    p = 6 + b[5]
    iterations = int.from_bytes(b[p:p + 4], "big")
    salt = b[p + 4:p + 20]
    wrap_aad, body_aad = b[:p + 20], b[:p]
    q = p + 20
    wrap_nonce, wrapped, body_nonce, body = b[q:q + 12], b[q + 12:q + 60], b[q + 60:q + 72], b[q + 72:]
    try:
        if how == "--password":
            canon = value.replace("-", "").replace(" ", "").upper()
            secret = hashlib.pbkdf2_hmac("sha256", canon.encode(), salt, iterations, 32)
            key = AESGCM(hkdf(secret, b"czynsze v1 kek")).decrypt(wrap_nonce, wrapped, wrap_aad)
        else:
            key = bytes.fromhex(value)
        plain = AESGCM(key).decrypt(body_nonce, body, body_aad)
    except (InvalidTag, ValueError):
        sys.exit("does not open")
    g = plain[19]
    if not re.fullmatch(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", plain[:19]) or \
            not re.fullmatch(rb"[0-9a-f]{1,32}", plain[20:20 + g]):
        sys.exit("sealed header malformed")
    frag = gzip.decompress(plain[20 + g:])
    if doc is None:
        sys.stdout.write(frag.decode())
        return
    m = re.search(r"\.d([0-9a-f]{32})\.bin$", doc)
    d = open(doc, "rb").read()
    n = 6 + d[5]
    if m is None or d[:4] != b"CZSD" or d[4] != 1 or d[6:n] != login.encode() or \
            d[n:n + 32] != m.group(1).encode():
        sys.exit("not a document of " + login)
    check = hmac.new(key, b"czynsze v1 document key", hashlib.sha256).digest()[:8]
    if d[n + 32:n + 40] != check:
        sys.exit("sealed under another key")
    try:
        pdf = AESGCM(key).decrypt(d[n + 40:n + 52], d[n + 52:], d[:n + 40])
    except InvalidTag:
        sys.exit("document does not open")
    sys.stdout.buffer.write(pdf)


main()
