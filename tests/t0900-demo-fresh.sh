#!/bin/sh
# t0900-demo-fresh.sh — `make demo` the first time, as a new user does it:
# from a copy of the source tree inside a mode-700 folder (root's home on
# Debian), with no build yet and, as root, with the build packages "not
# installed": shims make pkg-config and dpkg-query fail until apt-get has
# run, as on a fresh machine (the Makefile once read its pkg-config flags
# before `deps` installed them).  Then, through the demo's nginx: / answers
# 200, a resident's bundle 401 without credentials and 200 with the token
# of the login and password the demo printed; the workers are not root;
# the 700 folder stays 700; `make demo-stop` stops that nginx.
#
# As a normal user the packages must be there already (`sudo make deps`),
# so the shims are not used.  Under the sanitizer pass the script skips:
# the demo builds and runs the normal build of its own copy.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/nginx-lib.sh"

if [ "${CZYNSZE_SANITIZED:-0}" = 1 ]; then
	echo "1..0 # SKIP make demo builds its own normal binary; it runs once, in the normal pass"
	exit 0
fi
if ! git -C "$TOP" rev-parse --git-dir > /dev/null 2>&1; then
	echo "1..0 # SKIP not a git checkout: the tracked files are what the demo is built from"
	exit 0
fi
P=$SCRATCH/private/czynsze
stop_demo() { [ -f "$P/build/demo/nginx/nginx.pid" ] && env -u BUILD make -C "$P" -s demo-stop > /dev/null 2>&1; }
# the demo's own folder is outside the copy (scripts/demo.sh)
trap 'stop_demo; d=$(readlink "$P/build/demo"); [ -n "$d" ] && rm -rf "$d"; rm -rf "$SCRATCH"' EXIT
plan 10

ok "nginx is installed (scripts/deps.sh)" nginx_need
mkdir -p "$P" && chmod 700 "$SCRATCH/private"
# the tracked files as they are in the work tree (a clone would miss
# what is not committed yet)
git -C "$TOP" ls-files -z | tar -C "$TOP" --null -T - -cf - | tar -C "$P" -xf -

SHIM=$SCRATCH/shim
mkdir -p "$SHIM"
if [ "$(id -u)" -eq 0 ]; then
	real_pc=$(command -v pkg-config) real_dq=$(command -v dpkg-query)
	cat > "$SHIM/pkg-config" <<SH
#!/bin/sh
[ -f "$SCRATCH/installed" ] || exit 1
exec "$real_pc" "\$@"
SH
	cat > "$SHIM/dpkg-query" <<SH
#!/bin/sh
if [ ! -f "$SCRATCH/installed" ]; then
	for a; do case \$a in libxml2-dev|libgit2-dev) exit 1 ;; esac; done
fi
exec "$real_dq" "\$@"
SH
	cat > "$SHIM/apt-get" <<SH
#!/bin/sh
touch "$SCRATCH/installed"
SH
	chmod +x "$SHIM"/*
fi

PORT=$(free_port)
# -O0: the build is what is tested here, not its speed
# env -u: the tests' own BUILD (an absolute path to the tested binary's
# folder) and make's variables must not leak into the newcomer's make
ok "make demo succeeds the first time" sh -c "cd '$P' && PATH='$SHIM:$PATH' DEMO_PORT=$PORT \
    env -u BUILD -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -j2 demo CFLAGS='-O0 -g' > '$SCRATCH/demo.log' 2>&1 || { tail -20 '$SCRATCH/demo.log'; exit 1; }"
B=http://127.0.0.1:$PORT
code() { curl -s -o "$SCRATCH/body" -w '%{http_code}' "$@"; }
is "$(code "$B/")" 200 "the address it prints answers / with 200"
ok "... the address printed is that one" grep -qF "the residents' site is at $B/" "$SCRATCH/demo.log"
L=$(sed -n 's/.*login \([a-z0-9]*\) .*/\1/p' "$SCRATCH/demo.log" | head -1)
PW=$(sed -n 's/.*password \([A-Z0-9-]*\).*/\1/p' "$SCRATCH/demo.log" | head -1)
is "$(code "$B/r/$L.bin")" 401 "the printed login's bundle without credentials: 401"
T=$(python3 "$TOP/tests/czynsze-token.py" "$P/build/demo/home/access" "$L" "$PW" 2> /dev/null)
is "$(code -u "$L:$T" "$B/r/$L.bin")" 200 "... with the token of the printed password: 200"
ok "... the bundle itself" cmp "$SCRATCH/body" "$P/build/demo/home/site/www/r/$L.bin"
NPID=$(cat "$P/build/demo/nginx/nginx.pid" 2> /dev/null || echo 1)
is "$(ps -o user= --ppid "$NPID" | sort -u | grep -c '^root$')" 0 "no nginx worker runs as root"
is "$(stat -c %a "$SCRATCH/private")" 700 "the mode-700 folder was not opened up"
env -u BUILD make -C "$P" -s demo-stop > /dev/null 2>&1
i=0
while kill -0 "$NPID" 2> /dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
ok "make demo-stop stops the demo's nginx" sh -c "! kill -0 $NPID 2> /dev/null"
done_testing
