#!/usr/bin/env bash
# Precompress the static files for nginx's gzip_static (deploy/nginx/motcua.conf.template):
#
#   scripts/gzip-static.sh DIR      e.g. scripts/gzip-static.sh /srv/motcua/app/static
#
# Writes NAME.gz beside every text file of DIR (CSS, JavaScript, SVG, JSON, text, XML, icons)
# of 256 bytes or more (nginx leaves smaller ones as they are) whose .gz is missing or older
# than it, so a browser's request is a file sent as it is instead of compressing on every
# request. Run it after each deploy: nginx sends a .gz as long as it exists, whatever the
# file beside it says. Deterministic (-n: no name or time in the .gz).
set -euo pipefail
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
find "$1" -type f \( -name '*.css' -o -name '*.js' -o -name '*.svg' -o -name '*.json' \
  -o -name '*.txt' -o -name '*.xml' -o -name '*.ico' -o -name '*.webmanifest' \) \
  -size +255c -print0 |
  while IFS= read -r -d '' file; do
    if [ ! -e "$file.gz" ] || [ "$file" -nt "$file.gz" ]; then
      gzip -9 -n -c -- "$file" >"$file.gz.tmp" && mv -f -- "$file.gz.tmp" "$file.gz"
    fi
  done
