#!/bin/sh
# t0330-audit-lock.sh — readers of the audit repository (diff, verify,
# log, report) hold HOME/snapshots.lock shared: they wait for a writer
# (snapshot, gc, pack merge) instead of failing, run beside each other,
# and a writer waits for them.  flock(1) plays the other side.
. "$(dirname "$0")/lib.sh"
plan 7
H=$CZYNSZE_HOME
L=$H/snapshots.lock
"$CZ" import "$FIX/ksm-20211228" 2>/dev/null
"$CZ" import "$FIX/ksm-20211229" 2>/dev/null
# wait_for FILE: up to 10 s
wait_for() { i=0; while [ ! -e "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done; [ -e "$1" ]; }

flock -x "$L" sh -c "touch '$SCRATCH/w.held'; sleep 2; touch '$SCRATCH/w.done'" &
wpid=$!
wait_for "$SCRATCH/w.held"
"$CZ" audit verify > "$SCRATCH/verify" 2>&1
is "$?" 11 "audit verify while a writer holds the lock: it waits, then answers (exit 11)"
ok "... after the writer finished" test -e "$SCRATCH/w.done"
wait $wpid

flock -x "$L" sh -c "touch '$SCRATCH/r.held'; sleep 2; touch '$SCRATCH/r.done'" &
wpid=$!
wait_for "$SCRATCH/r.held"
"$CZ" audit diff > /dev/null 2>&1
is "$?" 10 "audit diff waits for a writer too (exit 10: closed-period changes)"
ok "... after the writer finished" test -e "$SCRATCH/r.done"
wait $wpid

flock -s "$L" sh -c "touch '$SCRATCH/s.held'; sleep 4; touch '$SCRATCH/s.done'" &
spid=$!
wait_for "$SCRATCH/s.held"
"$CZ" audit log > "$SCRATCH/log" 2>&1
ok "a reader runs beside another reader (the other still holds it)" test ! -e "$SCRATCH/s.done"
"$CZ" audit gc > /dev/null 2>&1
is "$?" 0 "audit gc while a reader holds the lock: it waits, then packs"
ok "... after the reader finished" test -e "$SCRATCH/s.done"
wait $spid
done_testing
