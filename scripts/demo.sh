#!/bin/sh
# demo.sh — `make demo` / `make demo-stop`: the whole pipeline on the
# fixtures, served by a private nginx on 127.0.0.1.
#
#   sh scripts/demo.sh start   build/demo/home: two nights imported, logins
#                              issued, site generated and published by
#                              `czynsze nightly`; nginx on 127.0.0.1:PORT
#   sh scripts/demo.sh stop    stops that nginx (never the system's)
#
# Where the demo lives: a fresh private folder (mktemp -d, mode 700) under
# /tmp as root, under $TMPDIR (else /tmp) otherwise; build/demo is a symlink
# to it, so that a clone anywhere (a mode-700 home included) works and
# nothing in the clone or the home is opened up.
#
# Who reads it: nginx runs with its own prefix, pid, logs and temp folders
# in that folder, never the system service.  As a normal user (port 1024
# and up) master and workers are that user: nothing to grant.  As root the
# workers drop to nobody:nogroup, nginx's default; the demo then opens to
# group nogroup exactly the path to the live generation (g+x on the folders
# on the way, g+rX inside it and inside HOME/access: the site, the salt
# shards and the htpasswd files), and nothing
# else: czynsze.db, keys.db and the letters stay owner-only.  The
# alternative `user root;` would hand every worker (the part of nginx that
# parses requests) root's powers; running the workers as the invoking
# user of sudo would need the data chowned to them.  Port: $DEMO_PORT, else
# the first free one from 8080.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
LINK=$TOP/build/demo
CZ=$TOP/build/czynsze
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}

stop() {
	if [ -f "$LINK/nginx/nginx.pid" ]; then
		"$NGINX" -p "$LINK/nginx" -e "$LINK/nginx/logs/error.log" \
		    -c "$LINK/nginx/nginx.conf" -s stop 2>/dev/null || true
		rm -f "$LINK/nginx/nginx.pid"
		echo "demo: stopped (its files: $(readlink "$LINK" || echo "$LINK"))"
	else
		echo "demo: not running"
	fi
}

# grant DIR: as root, let group nogroup (the workers) traverse DIR.
grant_x() {
	chgrp "$WGROUP" "$1" && chmod g+x,g-w "$1"
}

start() {
	[ -x "$CZ" ] || { echo "demo: build first (make)" >&2; exit 1; }
	[ -x "$NGINX" ] || { echo "demo: nginx is missing: run make deps (as root)" >&2; exit 1; }
	stop > /dev/null
	WUSER= WGROUP=
	# the previous demo's folder (only one that this script made)
	old=$(readlink "$LINK" 2>/dev/null || true)
	case $old in */czynsze-demo.*) rm -rf "$old" ;; esac
	rm -rf "$LINK"
	if [ "$(id -u)" -eq 0 ]; then
		DEMO=$(mktemp -d /tmp/czynsze-demo.XXXXXX)
		WUSER=nobody WGROUP=$(id -gn nobody)
	else
		DEMO=$(mktemp -d "${TMPDIR:-/tmp}/czynsze-demo.XXXXXX")
	fi
	mkdir -p "$TOP/build"
	ln -s "$DEMO" "$LINK"
	H=$DEMO/home
	mkdir -p "$DEMO/nginx/logs" "$DEMO/nginx/tmp"
	port=${DEMO_PORT:-8080}
	while ! bash -c "! (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null"; do port=$((port + 1)); done
	url="http://127.0.0.1:$port/"

	# the cooperative's details (footer, legal pages): the fixtures' invented ones
	mkdir -p -m 700 "$H" && cp "$TOP/fixtures/czynsze.conf" "$H/czynsze.conf"
	echo "demo: first night (fixtures/ksm-20211228)"
	"$CZ" --home "$H" nightly --settle-ms 100 "$TOP/fixtures/ksm-20211228"
	echo "demo: issuing logins (letters in $DEMO/letters)"
	"$CZ" --home "$H" credentials issue --letters "$DEMO/letters" --site-url "$url" > /dev/null
	echo "demo: second night (fixtures/ksm-20211229): sealed statements for every login"
	"$CZ" --home "$H" nightly -v --settle-ms 100 "$TOP/fixtures/ksm-20211229"

	"$CZ" --home "$H" nginx-conf --listen "127.0.0.1:$port" --server-name 127.0.0.1 \
	    --access-log "$DEMO/nginx/logs/access.log" \
	    > "$DEMO/nginx/czynsze-site.conf"
	cat > "$DEMO/nginx/nginx.conf" <<CONF
# the demo's private nginx (build/demo/nginx); the site part is czynsze nginx-conf's
${WUSER:+user $WUSER $WGROUP;}
worker_processes 1;
pid $DEMO/nginx/nginx.pid;
error_log $DEMO/nginx/logs/error.log;
events { worker_connections 64; }
http {
	include /etc/nginx/mime.types;
	access_log off;   # the server logs itself, without logins (czynsze nginx-conf)
	client_body_temp_path $DEMO/nginx/tmp/body;
	proxy_temp_path $DEMO/nginx/tmp/proxy;
	fastcgi_temp_path $DEMO/nginx/tmp/fastcgi;
	uwsgi_temp_path $DEMO/nginx/tmp/uwsgi;
	scgi_temp_path $DEMO/nginx/tmp/scgi;
	include $DEMO/nginx/czynsze-site.conf;
}
CONF
	if [ -n "${WUSER:-}" ]; then
		live=$H/$(readlink "$H/site")
		grant_x "$DEMO"
		grant_x "$H"
		grant_x "$H/sites"
		chgrp -R "$WGROUP" "$live"
		chmod -R g+rX,g-w "$live"
		# the logins (salt shards, htpasswd files) live beside the
		# generations, in HOME/access -> access.d/N (docs/security.md)
		access=$H/$(readlink "$H/access")
		grant_x "$(dirname "$access")"
		chgrp -R "$WGROUP" "$access"
		chmod -R g+rX,g-w "$access"
	fi
	"$NGINX" -p "$DEMO/nginx" -e "$DEMO/nginx/logs/error.log" -c "$DEMO/nginx/nginx.conf" -t -q
	"$NGINX" -p "$DEMO/nginx" -e "$DEMO/nginx/logs/error.log" -c "$DEMO/nginx/nginx.conf"
	csv=$DEMO/letters/credentials.csv
	echo
	echo "demo: the residents' site is at $url"
	if [ -f "$csv" ]; then
		echo "demo: try one resident (all of them: $csv):"
		sed -n 2p "$csv" | awk -F';' '{ printf "  %s: login %s  password %s\n", $2, $6, $7 }'

	fi
	echo "demo: stop it with: make demo-stop"
}

case ${1:-start} in
start) start ;;
stop) stop ;;
*) echo "usage: sh scripts/demo.sh start|stop" >&2; exit 2 ;;
esac
