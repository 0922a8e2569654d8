# tests/apache-lib.sh — run a private Apache httpd 2.4 for a test or
# benchmark (the counterpart of tests/nginx-lib.sh).
#
#   . tests/apache-lib.sh
#   apache_start DIR CONF PORT   runs Debian's apache2 with its own
#                           ServerRoot DIR (config, pid, logs, runtime
#                           files), listening on 127.0.0.1:PORT, with the
#                           site configuration CONF (czynsze apache-conf
#                           output) included; never the system service
#                           (nor its /etc/apache2 configuration).  Workers
#                           run as nobody:nogroup (Apache refuses root):
#                           the caller makes the site and htpasswd files
#                           readable to them.  Sets APACHE_PID.
#   apache_stop             stops it (graceful-stop, bounded wait).
# apache2 comes from scripts/deps.sh (package apache2) when missing.
APACHE_PID=
APACHE=/usr/sbin/apache2
APACHE_MODULES=/usr/lib/apache2/modules

apache_need() {
	[ -x "$APACHE" ] && return 0
	sh "$TOP/scripts/deps.sh" >&2 || return 1
	[ -x "$APACHE" ]
}

apache_start() {
	_ad=$1 _aconf=$2 _aport=$3
	mkdir -p "$_ad/logs" "$_ad/run" || return 1
	{
		for m in mpm_event alias authn_core authn_file auth_basic \
		    authz_core authz_user headers rewrite setenvif dir mime; do
			echo "LoadModule ${m}_module $APACHE_MODULES/mod_$m.so"
		done
		cat <<CONF
ServerRoot "$_ad"
PidFile "$_ad/run/httpd.pid"
DefaultRuntimeDir "$_ad/run"
Mutex file:$_ad/run default
ErrorLog "$_ad/logs/error.log"
LogLevel warn
ServerName localhost
ServerTokens Prod
User nobody
Group $(id -gn nobody)
StartServers 1
ServerLimit 1
ThreadsPerChild ${APACHE_THREADS:-16}
MaxRequestWorkers ${APACHE_THREADS:-16}
TypesConfig /etc/mime.types
Listen 127.0.0.1:$_aport
<Directory />
	Options None
	AllowOverride None
	Require all denied
</Directory>
Include "$_aconf"
CONF
	} > "$_ad/httpd.conf"
	"$APACHE" -d "$_ad" -f "$_ad/httpd.conf" -t > "$_ad/logs/t.out" 2>&1 || { cat "$_ad/logs/t.out" >&2; return 1; }
	"$APACHE" -d "$_ad" -f "$_ad/httpd.conf" -k start 2>> "$_ad/logs/start.err" || return 1
	_i=0
	while [ ! -s "$_ad/run/httpd.pid" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
	APACHE_PID=$(cat "$_ad/run/httpd.pid") || return 1
	_i=0   # until it answers
	while ! curl -s -o /dev/null "http://127.0.0.1:$_aport/" && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
	APACHE_DIR=$_ad
}

apache_stop() {
	[ -n "$APACHE_PID" ] || return 0
	kill -TERM "$APACHE_PID" 2> /dev/null
	_i=0
	while kill -0 "$APACHE_PID" 2> /dev/null && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
	APACHE_PID=
}
