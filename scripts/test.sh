#!/usr/bin/env bash
# README command 2: on a fresh Debian machine, install what the tests need, then run every tier (npm test).
set -euo pipefail
cd "$(dirname "$0")/.."

# Preflight by what the tests call, not by package name: each entry is "path-or-command package".
# A package's own dependencies can be trimmed by --no-install-recommends (pg_prove lives in a package that
# postgresql-15-pgtap only recommends), so every binary and file a tier uses is checked on its own.
needs=(
  "/usr/bin/chromium chromium"
  "/usr/lib/postgresql/15/bin/initdb postgresql-15"
  "/usr/lib/postgresql/15/bin/pg_ctl postgresql-15"
  "/usr/lib/postgresql/15/bin/pg_config postgresql-15"
  "/usr/share/postgresql/15/extension/pgtap.control postgresql-15-pgtap"
  "pg_prove libtap-parser-sourcehandler-pgtap-perl"
  "perl perl"
  "git git"
  "g++ g++"
  "make make"
  "python3 python3"
  "/usr/include/krb5.h libkrb5-dev"
)
have() { case "$1" in /*) [ -e "$1" ] ;; *) command -v "$1" >/dev/null ;; esac; }
missing=()
for n in "${needs[@]}"; do
  set -- $n
  have "$1" || { echo "preflight: $1 not found (package $2)"; missing+=("$2"); }
done
if [ ${#missing[@]} -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [ "$(id -u)" = 0 ]; then
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing system packages: ${missing[*]}" >&2
    echo "install them: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  for n in "${needs[@]}"; do
    set -- $n
    have "$1" || { echo "preflight: $1 still missing after installing $2" >&2; exit 1; }
  done
fi

# Dependencies exactly as locked (npm scripts then run on the pinned Node 22 from node_modules).
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/setup-code-server.sh
npm test
