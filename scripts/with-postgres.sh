#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: a fresh cluster in a temporary
# directory on a free loopback port, removed afterwards (also on failure or Ctrl-C).
# Exports TEST_DATABASE_URL (the maintenance database; tests create their own) and PG_BINDIR.
# Works on a fresh Debian machine (installs the server from Debian's archive when missing),
# as root (the cluster runs as the "postgres" system user) and as an ordinary user.
#   bash scripts/with-postgres.sh .venv/bin/pytest -m "not browser"
set -euo pipefail

if ! ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing PostgreSQL from Debian's archive" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
fi
bindir=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")

dir=$(mktemp -d "${TMPDIR:-/tmp}/motcua-pg.XXXXXX")
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres system user.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
started=""
cleanup() {
  if [ -n "$started" ]; then
    "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U motcua --auth=trust -E UTF8 --locale=C.UTF-8 \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
# Durability off: a test cluster is thrown away anyway, and this makes it much faster.
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
  -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null || { cat "$dir/log" >&2; exit 1; }
started=1

export TEST_DATABASE_URL="postgresql+psycopg://motcua@127.0.0.1:$port/postgres"
export PG_BINDIR="$bindir"
export PG_DATA_DIR="$dir/data"
set +e
"$@"
status=$?
set -e
exit $status
