# tests/nginx-lib.sh — run a private nginx for a test or benchmark.
#
#   . tests/nginx-lib.sh
#   nginx_start DIR CONF    runs nginx (master as root, workers as root so
#                           they can read the scratch site) on the server
#                           configuration CONF (czynsze nginx-conf output),
#                           with pid, logs and temp files under DIR; never
#                           the system service.  Sets NGINX_PID.
#   nginx_stop              stops it (also called at exit).
#   free_port               prints a free TCP port on 127.0.0.1.
# nginx comes from scripts/deps.sh (nginx-light) when missing.
NGINX_PID=

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

nginx_need() {
	command -v nginx > /dev/null 2>&1 || PATH=$PATH:/usr/sbin
	command -v nginx > /dev/null 2>&1 && return 0
	sh "$TOP/scripts/deps.sh" >&2 || return 1
	command -v nginx > /dev/null 2>&1
}

nginx_start() {
	_d=$1 _conf=$2
	mkdir -p "$_d/tmp" "$_d/logs" || return 1
	cat > "$_d/nginx.conf" <<CONF
user root;
worker_processes ${NGINX_WORKERS:-1};
pid $_d/nginx.pid;
error_log $_d/logs/error.log;
events { worker_connections 1024; }
http {
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	access_log ${NGINX_ACCESS_LOG:-off};
	client_body_temp_path $_d/tmp/body;
	proxy_temp_path $_d/tmp/proxy;
	fastcgi_temp_path $_d/tmp/fastcgi;
	uwsgi_temp_path $_d/tmp/uwsgi;
	scgi_temp_path $_d/tmp/scgi;
	include $_conf;
}
CONF
	nginx -p "$_d" -c "$_d/nginx.conf" -t > "$_d/logs/t.out" 2>&1 || { cat "$_d/logs/t.out" >&2; return 1; }
	nginx -p "$_d" -c "$_d/nginx.conf" 2>> "$_d/logs/start.err" || return 1
	NGINX_PID=$(cat "$_d/nginx.pid") || return 1
	NGINX_DIR=$_d
}

nginx_stop() {
	[ -n "$NGINX_PID" ] || return 0
	kill "$NGINX_PID" 2> /dev/null
	_i=0
	while kill -0 "$NGINX_PID" 2> /dev/null && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
	NGINX_PID=
}
