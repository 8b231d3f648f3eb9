#!/usr/bin/env bash
# `make test`: every phase timed, a table of the times at the end (also when a phase fails).
#   set-up (system packages, Python env, npm), lint, the suite on SQLite, the suite on PostgreSQL.
# What runs where (the reasons are in tests/conftest.py and docs/testing.md):
#   SQLite pass      every test but the slow end-to-end ones (gunicorn, nginx, several nodes)
#   PostgreSQL pass  every test whose outcome can depend on the database (it uses the demo
#                    database and is not read_only), slow ones included, browsers excluded
# One pass after the other: side by side they were slower, the cores being busy already
# (browsers), and the slow tests measure time across processes.
# Both passes run in parallel with pytest-xdist (TEST_WORKERS, default: one per core), whole
# modules to a worker (a module's tests may share one browser walk), long ones first.
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
  echo
  echo "== make test, time by phase"
  local total=0
  for i in "${!names[@]}"; do
    printf '   %-28s %4d s  %s\n' "${names[$i]}" "${times[$i]}" "${results[$i]}"
    total=$((total + times[i]))
  done
  printf '   %-28s %4d s (%d min %d s)\n' "total" "$total" $((total / 60)) $((total % 60))
}
trap summary EXIT

phase "system packages" make -s system-deps || exit 1
phase "python env, translations" make -s dev-deps translations || exit 1
phase "npm packages" make -s node-deps || exit 1
phase "lint" make -s lint-only || exit 1
phase "suite on SQLite" .venv/bin/pytest -n "$workers" --dist loadscope --no-loadscope-reorder -m "not slow" || failed=1
phase "suite on PostgreSQL" bash scripts/with-postgres.sh \
  .venv/bin/pytest -n "$workers" --dist loadscope --no-loadscope-reorder -m "not browser" || failed=1
exit $failed
