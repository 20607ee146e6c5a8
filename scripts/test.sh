#!/usr/bin/env bash
# `make test`: every test against real PostgreSQL (TEST_DATABASE_URL, or the private cluster) and a
# real browser (Debian's chromium; set CAP_E2E=required to fail rather than skip without it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  status=$("$root/scripts/devdb.sh" start 2>&1 >/dev/null)
  TEST_DATABASE_URL=$("$root/scripts/devdb.sh" url)
  export TEST_DATABASE_URL
  if [ "$status" = started ]; then
    trap '"$root/scripts/devdb.sh" stop' EXIT
  fi
fi

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  echo "WARNING: chromium not found: browser tests will be SKIPPED (set CAP_E2E=required to make that a failure)." >&2
fi

cd "$root"
if [ $# -gt 0 ]; then go test "$@" ${PKGS:-./...}; else go test -race -count=1 -timeout 30m ${PKGS:-./...}; fi
