#!/usr/bin/env bash
# System packages the test suite needs, from Debian's archive, installed only when missing:
# Chromium (browser tests), PostgreSQL (the production database path), Java (the Nu HTML
# checker), Node.js and npm (axe-core, vnu-jar, simple-keyboard), nginx (the production edge,
# tests/test_edge_nginx.py through scripts/nginx-front.sh).
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
# The browser tests drive the headless shell (lighter); Lighthouse needs the full browser.
command -v chromium-headless-shell >/dev/null || missing+=(chromium-headless-shell)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v npm >/dev/null || missing+=(nodejs npm)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
fc-list 2>/dev/null | grep -qi "dejavu" || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing system packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
