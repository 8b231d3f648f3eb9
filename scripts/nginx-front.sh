#!/usr/bin/env bash
# nginx in front of a running MotCua, in the foreground, for trying, testing and benchmarking
# the production edge (deploy/nginx/, docs/deployment.md):
#
#   scripts/nginx-front.sh APP_URL PORT      e.g. scripts/nginx-front.sh http://127.0.0.1:8000 8080
#
# Listens on 127.0.0.1:PORT only. The repository's config is rendered into a throwaway prefix
# directory (mktemp) that holds everything nginx writes: pid, logs, temporary files, cache,
# the compressing hop's unix socket, and a copy of app/static precompressed for gzip_static.
# Ctrl-C or SIGTERM stops nginx and removes that directory: nothing is left behind, no
# daemon, no system service. Installs Debian's nginx package when it is missing (apt-get as
# root, sudo otherwise). Start the app with PROXY_COUNT=1 so it believes X-Forwarded-For.
set -euo pipefail
if [ $# -ne 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]] || ! [[ "$1" =~ ^https?://[^/]+/?$ ]]; then
  echo "usage: $0 APP_URL PORT   (APP_URL like http://127.0.0.1:8000)" >&2
  exit 2
fi
app=${1#*://}
app=${app%/}
port=$2
root=$(cd "$(dirname "$0")/.." && pwd)

nginx_bin=$(command -v nginx || true)
[ -n "$nginx_bin" ] || [ ! -x /usr/sbin/nginx ] || nginx_bin=/usr/sbin/nginx
if [ -z "$nginx_bin" ]; then
  echo "installing nginx from Debian's archive" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx >/dev/null
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
fi

prefix=$(mktemp -d "${TMPDIR:-/tmp}/motcua-nginx.XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$prefix"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

mkdir -p "$prefix"/logs "$prefix"/cache "$prefix"/tmp/{body,proxy,fastcgi,uwsgi,scgi}
user=""
if [ "$(id -u)" -eq 0 ]; then
  # The master runs as root; its workers must not, and they write the cache and temp files.
  chmod 755 "$prefix"
  chown -R nobody:nogroup "$prefix"/cache "$prefix"/tmp
  user="user nobody nogroup;"
fi
cp /etc/nginx/mime.types "$prefix/mime.types"
# The static files as production serves them: a copy with a .gz beside each text file
# (gzip_static), so nothing is written into the repository.
cp -R "$root/app/static" "$prefix/static"
bash "$root/scripts/gzip-static.sh" "$prefix/static"
chmod -R a+rX "$prefix/static"
sed -e "s|@USER@|$user|" "$root/deploy/nginx/front.conf.template" >"$prefix/nginx.conf"
sed -e "s|@LISTEN@|127.0.0.1:$port|" -e "s|@APP@|$app|" \
    -e "s|@STATIC_ROOT@|$prefix/static|" -e "s|@CACHE_DIR@|$prefix/cache|" \
    -e "s|@GZIP_HOP@|unix:$prefix/gzip-hop.sock|" \
    "$root/deploy/nginx/motcua.conf.template" >"$prefix/motcua.conf"

if ! "$nginx_bin" -t -q -p "$prefix/" -c nginx.conf -e logs/error.log; then
  cat "$prefix/logs/error.log" >&2
  exit 1
fi
echo "nginx-front: http://127.0.0.1:$port -> $1 (prefix $prefix); Ctrl-C stops it" >&2
"$nginx_bin" -p "$prefix/" -c nginx.conf -e logs/error.log &
pid=$!
status=0
wait "$pid" || status=$?
pid=""
if [ "$status" -ne 0 ]; then
  cat "$prefix/logs/error.log" >&2
fi
exit "$status"
