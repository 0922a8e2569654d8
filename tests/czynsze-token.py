#!/usr/bin/env python3
"""czynsze-token.py SITE_DIR LOGIN PASSWORD — print the HTTP Basic token.

An independent (Python standard library) implementation of the derivation in
generator/bundle.h, for the tests: salt from SITE_DIR/auth/NN.json, PBKDF2-
HMAC-SHA256, HKDF-SHA256 with info "czynsze v1 auth token", base64url.
"""
import base64, hashlib, hmac, json, sys

site, login, password = sys.argv[1:4]
h = hashlib.sha256(login.encode()).hexdigest()
entry = json.load(open(f"{site}/auth/{h[:2]}.json"))[h]
salt = base64.urlsafe_b64decode(entry["salt"] + "=" * (-len(entry["salt"]) % 4))
canon = password.replace("-", "").replace(" ", "").upper()
secret = hashlib.pbkdf2_hmac("sha256", canon.encode(), salt, entry["iterations"], 32)
prk = hmac.new(b"\0" * 32, secret, hashlib.sha256).digest()
token = hmac.new(prk, b"czynsze v1 auth token\x01", hashlib.sha256).digest()
print(base64.urlsafe_b64encode(token).decode().rstrip("="))
