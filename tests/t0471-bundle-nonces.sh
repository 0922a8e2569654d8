#!/bin/sh
# t0471-bundle-nonces.sh — AES-GCM never sees one nonce twice under one
# key, end to end: the bundles nightly publishes on two nights, for every
# resident, are read by the layout of generator/bundle.h (body nonce: 12
# bytes at 86+L, L the login's length at byte 5).  Two residents' bundles
# never share a nonce; one resident's bundles of two nights share it only
# when they are the same bytes (bundle.h: the nonce is derived from the
# content, the sealed export header included, so a new night gives every
# bundle a new nonce).
. "$(dirname "$0")/lib.sh"
plan 6
N1=$FIX/ksm-20211228
N2=$FIX/ksm-20211229
H=$CZYNSZE_HOME
NIGHTLY="$CZ nightly --settle-ms 1 --templates $TOP/site-templates"

"$CZ" import "$N1" > /dev/null 2>&1
"$CZ" credentials issue --letters "$SCRATCH/letters" --site-url http://127.0.0.1/ > /dev/null 2>&1
ok "the first night publishes the bundles" $NIGHTLY "$N1"
ok "the second night too" $NIGHTLY "$N2"
G1=$H/sites/20211228T020013/www/r
G2=$H/sites/20211229T020007/www/r

# one line per bundle: NIGHT LOGIN NONCE SHA256
python3 - "$G1" "$G2" > "$SCRATCH/nonces" <<'PY'
import hashlib, os, sys
for night, d in enumerate(sys.argv[1:], 1):
    for name in sorted(os.listdir(d)):
        if not name.endswith(".bin"):
            continue
        b = open(os.path.join(d, name), "rb").read()
        assert b[:4] == b"CZSB" and b[4] == 2, name
        L = b[5]
        login = b[6:6 + L].decode()
        nonce = b[86 + L:98 + L].hex()
        print(night, login, nonce, hashlib.sha256(b).hexdigest())
PY
is "$(wc -l < "$SCRATCH/nonces" | tr -d ' ')" 12 "six residents' bundles on each night"
is "$(awk '$1 == 1 { print $3 }' "$SCRATCH/nonces" | sort -u | wc -l | tr -d ' ')" 6 \
   "the six residents' bundles of one night have six nonces"
ok "some resident's statement changed between the nights (else nothing below is tested)" sh -c "
   awk '{ print \$2, \$4 }' '$SCRATCH/nonces' | sort -u | awk '{ n[\$1]++ } END { for (l in n) if (n[l] > 1) f = 1; exit !f }'"
ok "a nonce seen twice is the same resident's same bytes, never new content" sh -c "
   awk '{ if ((\$3 in who) && who[\$3] != \$2 \" \" \$4) bad = 1; who[\$3] = \$2 \" \" \$4 }
        END { exit bad }' '$SCRATCH/nonces'"
done_testing
