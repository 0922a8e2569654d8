#!/bin/sh
# demo.sh — `make demo` / `make demo-stop`: the whole pipeline on the
# fixtures, served by a private nginx on 127.0.0.1.
#
#   sh scripts/demo.sh start   build/demo/home: two nights imported, logins
#                              issued, site generated and published by
#                              `czynsze nightly`; nginx on 127.0.0.1:PORT
#   sh scripts/demo.sh stop    stops that nginx (never the system's)
#
# nginx runs with its own prefix, pid file, logs and temp folders under
# build/demo, as the user running make (root on a fresh machine: then it
# drops to nobody for workers, as nginx does).  Port: $DEMO_PORT, else the
# first free one from 8080.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
DEMO=$TOP/build/demo
CZ=$TOP/build/czynsze
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
H=$DEMO/home

stop() {
	if [ -f "$DEMO/nginx/nginx.pid" ]; then
		"$NGINX" -p "$DEMO/nginx" -c "$DEMO/nginx/nginx.conf" -s stop 2>/dev/null || true
		rm -f "$DEMO/nginx/nginx.pid"
		echo "demo: stopped"
	else
		echo "demo: not running"
	fi
}


start() {
	[ -x "$CZ" ] || { echo "demo: build first (make)" >&2; exit 1; }
	[ -x "$NGINX" ] || { echo "demo: nginx is missing: run make deps (as root)" >&2; exit 1; }
	stop > /dev/null
	rm -rf "$DEMO"
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
	    > "$DEMO/nginx/czynsze-site.conf"
	cat > "$DEMO/nginx/nginx.conf" <<CONF
# the demo's private nginx (build/demo/nginx); the site part is czynsze nginx-conf's
worker_processes 1;
pid $DEMO/nginx/nginx.pid;
error_log $DEMO/nginx/logs/error.log;
events { worker_connections 64; }
http {
	include /etc/nginx/mime.types;
	access_log $DEMO/nginx/logs/access.log;
	client_body_temp_path $DEMO/nginx/tmp/body;
	proxy_temp_path $DEMO/nginx/tmp/proxy;
	fastcgi_temp_path $DEMO/nginx/tmp/fastcgi;
	uwsgi_temp_path $DEMO/nginx/tmp/uwsgi;
	scgi_temp_path $DEMO/nginx/tmp/scgi;
	include $DEMO/nginx/czynsze-site.conf;
}
CONF
	# nginx workers (nobody when started as root) must reach the site
	chmod 755 "$H" "$DEMO" "$TOP/build" 2>/dev/null || true
	chmod -R a+rX "$H/sites" 2>/dev/null || true
	"$NGINX" -p "$DEMO/nginx" -c "$DEMO/nginx/nginx.conf" -t -q
	"$NGINX" -p "$DEMO/nginx" -c "$DEMO/nginx/nginx.conf"
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
