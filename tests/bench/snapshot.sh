#!/bin/sh
# snapshot.sh — audit snapshot cost against stock git, for a generated
# cooperative.
#
#   sh tests/bench/snapshot.sh     (CARDS, YEARS, RUNS, NIGHTS, WORK, BUILD may be set)
#
# Every figure is wall and CPU seconds (user + system).
# The export is fixtures/tools/gen-export.py --cards CARDS (3000) --years
# YEARS (10) --seed 1, made in WORK (default /work/bench/audit-snapshot)
# when missing; night N+1 is fixtures/tools/next-night.py of night N (one
# payment on every 100th card: 1 % of the cards changed, every balance
# date), imported for real so that the importer's card digests are right.
# The imports are not measured.  Measured, each the median of RUNS (9):
#   first    `audit snapshot` of night 1 into an empty repository
#            (FIRST_RUNS times, default 1: minutes each)
#   night 2  `audit snapshot` of night 2 on top of night 1 (the card cache
#            of night 1 in place)
#   peer     stock git in a work tree holding night 1's canonical files
#            (committed, index fresh): night 2's files written over it
#            (only those that differ, as a careful git scraper does; not
#            timed), then `git add -A && git commit` timed
#            (night 2 and the peer alternate, run by run)
#   diff     `audit diff` night 1 -> night 2
# then NIGHTS (5) further nights imported with their snapshots: packs in
# the repository (no gc ever runs) and `git fsck`.
# 30,000 cards (CARDS=30000) makes a 4.5 GB export whose two imports take
# minutes.  Speed is reported, not asserted.
#
# Measured 2026-12-07 (README.md, "How a night is written", has the
# whole account): CARDS=3000 RUNS=15 NIGHTS=30: first snapshot 1.9 s;
# night 2 0.073 s against stock git's 0.080 s (ratio 1.1), 32 nights in
# 2 packs; CARDS=30000 RUNS=7 NIGHTS=0: first snapshot 24.1 s wall (46 s
# CPU), night 2 0.445 s against 0.499 s (ratio 1.1), audit diff 0.31 s.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/bench/lib/median.sh"
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
CZ=$BUILD/czynsze
CARDS=${CARDS:-3000}
YEARS=${YEARS:-10}
RUNS=${RUNS:-9}
NIGHTS=${NIGHTS:-5}
WORK=${WORK:-/work/bench/audit-snapshot}
E1=$WORK/export-$CARDS-1
E2=$WORK/export-$CARDS-2
H=$WORK/home
R=$H/snapshots.git
WT=$WORK/peer

# timed FILE CMD...: runs CMD, appends "wall-seconds cpu-seconds" to FILE
# (CPU = user + system of CMD and its children: on a shared, loaded
# machine the fairer figure).  Wall is read from the clock in
# nanoseconds around CMD (GNU time's own wall figure has 10 ms steps,
# too coarse for a night of 3,000 cards); the fork of date(1) it adds is
# the same for every command timed.  Returns CMD's status.
timed() {
	_f=$1; shift
	set +e
	_t0=$(date +%s%N)
	/usr/bin/time -o "$WORK/.time" -f '%U %S' "$@"
	_rc=$?
	_t1=$(date +%s%N)
	set -e
	awk -v ns=$((_t1 - _t0)) '{ printf "%.4f %.3f\n", ns / 1e9, $1 + $2 }' "$WORK/.time" >> "$_f"
	return $_rc
}
wall() { cut -d' ' -f1 < "$1" | median; }
cpu() { cut -d' ' -f2 < "$1" | median; }

mkdir -p "$WORK"
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
if [ ! -f "$E1/eksport.xml" ]; then
	echo "making $E1 (gen-export.py --cards $CARDS --years $YEARS --seed 1)"
	python3 "$TOP/fixtures/tools/gen-export.py" --cards "$CARDS" --years "$YEARS" --seed 1 "$E1"
fi
python3 "$TOP/fixtures/tools/next-night.py" "$E1" "$E2" > /dev/null
rm -rf "$H"
"$CZ" --home "$H" import --no-snapshot "$E1" 2> /dev/null
cp "$H/czynsze.db" "$WORK/night1.db"
"$CZ" --home "$H" import --no-snapshot "$E2" 2> /dev/null
cp "$H/czynsze.db" "$WORK/night2.db"

# first snapshot, FIRST_RUNS (1) times into an empty repository
: > "$WORK/first.t"
i=0
while [ $i -lt "${FIRST_RUNS:-1}" ]; do
	rm -rf "$R" "$H/snapshots.lock"
	cp "$WORK/night1.db" "$H/czynsze.db"
	sync   # the copies' dirty pages are not the snapshot's to write
	timed "$WORK/first.t" "$CZ" --home "$H" audit snapshot > "$WORK/first.out"
	i=$((i + 1))
done
files=$(sed -n 's/.*, \([0-9]*\) files.*/\1/p' "$WORK/first.out")
first="$(wall "$WORK/first.t") s wall, $(cpu "$WORK/first.t") s CPU"
packs1=$(ls "$R"/objects/pack/*.pack | wc -l)
kib1=$(du -sk "$R" | cut -f1)
rm -rf "$WORK/repo1"
cp -a "$R" "$WORK/repo1"
tag1=$(git --git-dir="$R" describe --tags main)

# night 2 once, for its tag (the peer's files come from it)
rm -rf "$R"
cp -a "$WORK/repo1" "$R"
cp "$WORK/night2.db" "$H/czynsze.db"
"$CZ" --home "$H" audit snapshot > "$WORK/night2.out"
tag2=$(git --git-dir="$R" describe --tags main)

# the peer: a work tree holding night 1, night 2's changed files written in
rm -rf "$WT" "$WORK/n2files"
mkdir -p "$WT" "$WORK/n2files"
git --git-dir="$R" archive "$tag1" | tar -x -C "$WT"
git --git-dir="$R" archive "$tag2" | tar -x -C "$WORK/n2files"
git -C "$WT" init -q
# No automatic gc: its repack runs detached, after git's time is taken,
# and would run beside the measurements that follow.
git -C "$WT" config gc.auto 0
git -C "$WT" -c user.name=b -c user.email=b@b add -A
git -C "$WT" -c user.name=b -c user.email=b@b commit -q -m night1

# night2_ours, night2_peer: one timed run each, from the same start
# every time (a copy of night 1's repository; the work tree reset to
# night 1, its index fresh as after a day, night 2's files written in).
night2_ours() {
	rm -rf "$R"
	cp -a "$WORK/repo1" "$R"
	cp "$WORK/night2.db" "$H/czynsze.db"
	sync   # the copies' dirty pages are not the snapshot's to write
	timed "$WORK/night2.t" "$CZ" --home "$H" audit snapshot > "$WORK/night2.out"
}
night2_peer() {
	git -C "$WT" reset -q --hard "$(git -C "$WT" rev-list --max-parents=0 HEAD)"
	git -C "$WT" status --porcelain > /dev/null
	python3 - "$WORK/n2files" "$WT" <<'PY'
import filecmp, os, sys
src, dst = sys.argv[1], sys.argv[2]
for root, _, files in os.walk(src):
    for f in files:
        s = os.path.join(root, f)
        d = os.path.join(dst, os.path.relpath(s, src))
        if not os.path.exists(d) or not filecmp.cmp(s, d, shallow=False):
            os.makedirs(os.path.dirname(d), exist_ok=True)
            with open(s, "rb") as a, open(d, "wb") as b:
                b.write(a.read())
PY
	sync
	timed "$WORK/peer.t" sh -c 'git -C "$1" add -A && git -C "$1" -c user.name=b -c user.email=b@b commit -q -m night2' sh "$WT"
}

# Both RUNS times, alternating which goes first, so that a machine
# getting busier or quieter meanwhile weighs on both alike.
: > "$WORK/night2.t"
: > "$WORK/peer.t"
i=0
while [ $i -lt "$RUNS" ]; do
	if [ $((i % 2)) = 0 ]; then
		night2_ours; night2_peer
	else
		night2_peer; night2_ours
	fi
	i=$((i + 1))
done
ours=$(wall "$WORK/night2.t"); ours_cpu=$(cpu "$WORK/night2.t")
peer=$(wall "$WORK/peer.t"); peer_cpu=$(cpu "$WORK/peer.t")
same=no
[ "$(git -C "$WT" rev-parse 'HEAD^{tree}')" = "$(git --git-dir="$R" rev-parse "$tag2^{tree}")" ] && same=yes

: > "$WORK/diff.t"
i=0
while [ $i -lt "$RUNS" ]; do
	timed "$WORK/diff.t" "$CZ" --home "$H" audit diff > "$WORK/diff.txt" || true
	i=$((i + 1))
done
diff="$(wall "$WORK/diff.t") s wall, $(cpu "$WORK/diff.t") s CPU"

# NIGHTS more nights, no gc: packs
prev=$E2
n=3
while [ $n -le $((NIGHTS + 2)) ]; do
	python3 "$TOP/fixtures/tools/next-night.py" "$prev" "$WORK/export-$CARDS-$n" > /dev/null
	[ "$prev" = "$E2" ] || rm -rf "$prev"
	prev=$WORK/export-$CARDS-$n
	"$CZ" --home "$H" import "$prev" 2> /dev/null
	n=$((n + 1))
done
rm -rf "$prev"
packsN=$(ls "$R"/objects/pack/*.pack | wc -l)
fsck=clean
git --git-dir="$R" fsck --strict > /dev/null 2>&1 || fsck=FAILED

cat <<EOF2
snapshot bench: $CARDS cards x $YEARS years (seed 1), $files files per snapshot, medians of $RUNS
load average at the start: $LOAD
first snapshot: ${first} ($packs1 pack, ${kib1} KiB)
night 2 (1 % of cards changed): ours ${ours} s wall, ${ours_cpu} s CPU; stock git add -A && git commit ${peer} s wall, ${peer_cpu} s CPU
  ratio git/ours: wall $(awk -v a="$peer" -v b="$ours" 'BEGIN { printf "%.1f", a / b }'), CPU $(awk -v a="$peer_cpu" -v b="$ours_cpu" 'BEGIN { printf "%.1f", a / (b > 0 ? b : 0.001) }') (same tree: $same)
audit diff night 1 -> 2: ${diff}
after $((NIGHTS + 2)) nights without gc: $packsN packs, git fsck $fsck, $(git --git-dir="$R" count-objects -v | sed -n 's/^count: //p') loose objects
$(sed -n 's/^[^:]*: //p' "$WORK/night2.out")
EOF2
