#!/usr/bin/env bash
# Load benchmark: gunicorn with the production settings (gunicorn.conf.py) on a free
# 127.0.0.1 port, nginx in front of it (scripts/nginx-front.sh, the production edge), a
# throwaway copy of the demo catalogue, and wrk for DURATION at CONNECTIONS connections
# against, in one run and one after the other: directly from gunicorn a fingerprinted static
# file (the yardstick), a procedure page, the search page, the kiosk home and the API; then
# through nginx the static file, the procedure page and the search page, once as plain HTTP
# clients ask (no Accept-Encoding) and once as browsers ask (nginx-gz-*: gzip accepted;
# nginx keeps pages compressed in its cache and sends the static file's .gz made at start,
# scripts/gzip-static.sh: both are files sent as they are).
# Meanwhile an editor publishes a change every second; at the end the index is verified
# against the database.
# Prints, as medians over the rounds, requests/s, p99 latency, socket errors, non-2xx answers
# and the ratio to the static file from the same server (gunicorn or nginx) and round.
# Targets (README): 0 errors, 0 non-2xx; directly: procedure page >= 0.5 x static, search
# page >= 0.3 x static; through nginx (issue #18), asked either way, procedure and search
# pages >= 0.9 x static.
#
#   make bench-load                      # 30 s per URL and round, 50 connections
#   DURATION=5s ROUNDS=1 bash benchmarks/load.sh  # a quick look
# Env: DURATION (30s), CONNECTIONS (50), THREADS (2), ROUNDS (3: every URL this many times,
# interleaved; medians reported), WEB_CONCURRENCY (workers), GENERATE
# (add N synthetic procedures first), PUBLISH (1: publish every second; 0: don't),
# BENCH_DATABASE_URL (default: a temporary SQLite file), NGINX (1: also through nginx; 0: don't).
# Loopback only; every wrk run is bounded by DURATION; everything started is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
PUBLISH=${PUBLISH:-1}
NGINX=${NGINX:-1}
ROUNDS=${ROUNDS:-3}
PY=.venv/bin/python

if ! command -v wrk >/dev/null; then
  echo "installing wrk from Debian's archive" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/motcua-load.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export FLASK_APP=wsgi.py
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export DATABASE_URL=${BENCH_DATABASE_URL:-sqlite:///$work/db.sqlite3}
export SEARCH_INDEX_DIR=$work/index
export UPLOAD_DIR=$work/uploads
export SECRET_KEY=${SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_hex(32))')}
$PY -m flask setup >"$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; exit 1; }
if [ -n "${GENERATE:-}" ]; then
  $PY -m flask catalogue generate "$GENERATE" >>"$work/setup.log" 2>&1
fi

free_port() {
  $PY -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}
port=$(free_port)
base="http://127.0.0.1:$port"
# PROXY_COUNT=1: the app believes the X-Forwarded-For that nginx appends (docs/deployment.md).
PROXY_COUNT=1 BIND="127.0.0.1:$port" .venv/bin/gunicorn -c gunicorn.conf.py wsgi:app \
  >"$work/access.log" 2>"$work/server.log" &
pids+=($!)
front=""
if [ "$NGINX" = "1" ]; then
  nport=$(free_port)
  front="http://127.0.0.1:$nport"
  bash scripts/nginx-front.sh "$base" "$nport" 2>"$work/nginx.log" &
  pids+=($!)
fi

# The URLs, from the app's own routes; each is fetched once (must answer 200) to warm up.
$PY benchmarks/load_helper.py "$base" $front >"$work/targets.txt" || {
  echo "server did not come up:" >&2; tail -n 20 "$work/server.log" "$work/nginx.log" >&2
  exit 1; }

if [ "$PUBLISH" = "1" ]; then
  $PY benchmarks/load_helper.py --publish-every 1 >"$work/publish.log" 2>&1 &
  pids+=($!)
fi

cat >"$work/count.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("non2xx") end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p99_us=%d errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, n))
end
LUA

echo "wrk: $DURATION per URL, $CONNECTIONS connections, $THREADS threads, $ROUNDS rounds," \
  "against $base ${front:+and nginx at $front}; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# Rounds: every URL once per round, each static file just before the pages it is compared
# with, so a busy machine's swings hit both alike; the report takes medians over rounds.
# Besides requests/s, the CPU each request cost (the server's workers and wrk together, in
# µs): on a shared machine throughput swings with what others run, the cost much less.
gunicorn_master=${pids[0]}
nginx_master=""
if [ -n "$front" ]; then
  prefix=$(sed -n 's/.*(prefix \([^)]*\)).*/\1/p' "$work/nginx.log")
  nginx_master=$(cat "$prefix/nginx.pid")
fi
cpu_ticks() {  # user + system ticks of a master's children (the workers), ended ones included
  # A worker recycled meanwhile (gunicorn's max_requests) takes its ticks with it; the
  # kernel adds them to the master's cutime and cstime when the master reaps it.
  local total child
  total=$(awk '{print $16 + $17}' "/proc/$1/stat")
  for child in $(pgrep -P "$1"); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$child/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
tick=$(getconf CLK_TCK)
TIMEFORMAT="%U %S"  # bash's `time`: wrk's own CPU
for round in $(seq "$ROUNDS"); do
  while read -r name url; do
    asked=()  # nginx-gz-*: asked as a browser asks, so nginx's compressed copies are used
    [[ "$name" == nginx-gz-* ]] && asked=(-H "Accept-Encoding: gzip, deflate, br")
    master=$gunicorn_master
    [[ "$name" == nginx-* ]] && master=$nginx_master
    # A second of one connection first: the page is in nginx's cache when the 50 start
    # (a cold entry makes all but one wait on proxy_cache_lock, which nginx polls every
    # 0.5 s: a cache fill, not what a hit costs). Static files get the same.
    wrk -t1 -c1 -d1s "${asked[@]}" "$url" >/dev/null 2>&1 || true
    before=$(cpu_ticks "$master")
    { time wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s \
        -s "$work/count.lua" "${asked[@]}" "$url" >"$work/wrk.out" 2>&1; } 2>"$work/wrk.time"
    server_us=$(( ($(cpu_ticks "$master") - before) * 1000000 / tick ))
    wrk_us=$(awk '{printf "%d", ($1 + $2) * 1000000}' "$work/wrk.time")
    grep '^RESULT' "$work/wrk.out" | sed -e "s|^RESULT|$name $url round=$round|" \
      -e "s|\$| cpu_us=$((server_us + wrk_us))|" >>"$work/results.txt"
  done <"$work/targets.txt"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$PUBLISH" = "1" ]; then
  if kill -TERM "${pids[-1]}" 2>/dev/null; then
    wait "${pids[-1]}" 2>/dev/null || true
  else
    echo "the publisher stopped early:" >&2; tail -n 15 "$work/publish.log" >&2
  fi
fi
$PY benchmarks/load_helper.py --report "$work/results.txt" "$work/publish.log" \
  "$work/access.log" "$work/server.log"
