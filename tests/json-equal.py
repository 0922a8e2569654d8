#!/usr/bin/env python3
"""json-equal.py GOT EXPECTED — exit 0 when both files hold equal JSON
(key order and white space aside); otherwise print a short diff."""
import difflib
import json
import sys

got, want = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
if got == want:
    sys.exit(0)
dump = lambda v: json.dumps(v, indent=1, sort_keys=True, ensure_ascii=False).splitlines()
for line in list(difflib.unified_diff(dump(want), dump(got), "expected", "got", lineterm=""))[:60]:
    print(line)
sys.exit(1)
