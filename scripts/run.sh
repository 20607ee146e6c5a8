#!/usr/bin/env bash
# `make run`: the portal with demo data. Without DATABASE_URL it starts the private PostgreSQL cluster
# and stops it again when the portal stops (Ctrl-C).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/bin/capportal

if [ -z "${DATABASE_URL:-}" ]; then
  # The schema's owner migrates and seeds; the portal serves as capportal_web, which cannot alter the
  # schema or the audit log.
  CAP_MIGRATE_DATABASE_URL=$("$root/scripts/devdb.sh" start)
  DATABASE_URL=$("$root/scripts/devdb.sh" app-url)
  export DATABASE_URL CAP_MIGRATE_DATABASE_URL
  trap '"$root/scripts/devdb.sh" stop' EXIT
  echo "Using the private PostgreSQL cluster (set DATABASE_URL to use your own database)."
else
  echo "Using DATABASE_URL."
fi

# A demonstration: CAP staff and DSLs may sign in without setting up a second factor (production
# refuses this setting). Set CAP_SECOND_FACTOR=required to try the real thing.
export CAP_SECOND_FACTOR=${CAP_SECOND_FACTOR:-optional}
if [ "$CAP_SECOND_FACTOR" = optional ]; then
  echo "CAP_SECOND_FACTOR=optional: CAP staff and DSLs can sign in without a second factor (a demonstration only; the sign-in page says so)."
fi

"$bin" migrate up
"$bin" seed demo
echo
addr=${CAP_ADDR:-:8080}
case $addr in :*) addr=localhost$addr ;; esac
echo "The portal is at ${CAP_BASE_URL:-http://$addr}. Press Ctrl-C to stop it."
echo
"$bin" serve
