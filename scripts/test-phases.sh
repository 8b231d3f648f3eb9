#!/usr/bin/env bash
# `make test`: every phase timed, a table of the times at the end (also when a phase fails).
#   set-up (system packages, Python env, npm), lint, then the suite in three parts:
#   SQLite pass      every test but the slow end-to-end ones (gunicorn, nginx, several nodes)
#   PostgreSQL pass  the tests whose outcome can depend on the database, browsers excluded;
#                    run side by side with the SQLite pass (its output is printed after it)
#   end-to-end       the slow tests, on PostgreSQL, alone: they measure time across processes
# What runs where and why: tests/conftest.py and docs/testing.md. Each pass runs in parallel
# with pytest-xdist (TEST_WORKERS, default: one per core).
set -uo pipefail
cd "$(dirname "$0")/.."
workers=${TEST_WORKERS:-$(nproc)}
names=(); times=(); results=()
failed=0

phase() {
  local name=$1; shift
  local start=$SECONDS
  echo "== $name: $*"
  "$@"
  local status=$?
  names+=("$name"); times+=($((SECONDS - start)))
  if [ $status -eq 0 ]; then results+=("ok"); else results+=("FAILED ($status)"); failed=1; fi
  return $status
}

summary() {
  [ -n "${pg_pid:-}" ] && kill "$pg_pid" 2>/dev/null  # on an early exit, the pass beside too
  echo
  echo "== make test, time by phase"
  local total
  for i in "${!names[@]}"; do
    printf '   %-28s %4d s  %s\n' "${names[$i]}" "${times[$i]}" "${results[$i]}"
  done
  # Wall time: the PostgreSQL pass overlaps the SQLite pass, so the phases add up to more.
  total=$SECONDS
  printf '   %-28s %4d s (%d min %d s)\n' "total" "$total" $((total / 60)) $((total % 60))
}
trap summary EXIT

phase "system packages" make -s system-deps || exit 1
phase "python env, translations" make -s dev-deps translations || exit 1
phase "npm packages" make -s node-deps || exit 1
phase "lint" make -s lint-only || exit 1
# The PostgreSQL pass waits on its database server and the SQLite pass on its browsers: side by
# side they fill the cores that either alone leaves idle.
pg_log=$(mktemp "${TMPDIR:-/tmp}/motcua-pg-pass.XXXXXX")
# Each pass its own temporary root: pytest prunes old numbered roots it thinks are unused.
runs=$(mktemp -d "${TMPDIR:-/tmp}/motcua-test-runs.XXXXXX")
pg_start=$SECONDS
bash scripts/with-postgres.sh .venv/bin/pytest -n "$workers" -m "not browser and not slow" \
  --basetemp="$runs/postgresql" >"$pg_log" 2>&1 &
pg_pid=$!
phase "suite on SQLite" .venv/bin/pytest -n "$workers" -m "not slow" --basetemp="$runs/sqlite" \
  || failed=1
echo "== suite on PostgreSQL (ran beside the SQLite pass): its output"
wait "$pg_pid"
pg_status=$?
pg_pid=""
cat "$pg_log"
rm -f "$pg_log"
names+=("suite on PostgreSQL (beside)"); times+=($((SECONDS - pg_start)))
if [ $pg_status -eq 0 ]; then results+=("ok"); else results+=("FAILED ($pg_status)"); failed=1; fi
phase "end-to-end on PostgreSQL" bash scripts/with-postgres.sh \
  .venv/bin/pytest -n "$workers" -m "slow" --basetemp="$runs/end-to-end" || failed=1
rm -rf "$runs"
exit $failed
