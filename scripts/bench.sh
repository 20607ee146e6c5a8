#!/usr/bin/env bash
# `make bench`: the portal under load against the stack's floor (issue 15). Builds the portal and the
# load driver, makes two fresh databases (factor 1 and factor 10) on DATABASE_URL / TEST_DATABASE_URL's
# server or the private cluster, migrates and seeds each (demo + seed scale), checks the hot queries'
# plans at factor 1, then cmd/capbench starts the real portal binary on each and drives it with 32
# signed-in sessions, printing the table and checking the targets (non-zero exit when one is missed).
#
#   BENCH_DURATION  how long each page is driven (default 6s)
#   BENCH_FACTORS   "1 10" by default; "1" for a quick run
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)

url=${DATABASE_URL:-${TEST_DATABASE_URL:-}}
if [ -z "$url" ]; then
  status=$(scripts/devdb.sh start 2>&1 >/dev/null)
  url=$(scripts/devdb.sh url)
  if [ "$status" = started ]; then
    trap 'scripts/devdb.sh stop' EXIT
  fi
  echo "Using the private PostgreSQL cluster."
fi

go build -o bin/capportal ./cmd/capportal
go build -o bin/capbench ./cmd/capbench

factors=${BENCH_FACTORS:-1 10}
args=()
for f in $factors; do
  db=$(bin/capbench createdb "$url" "capbench_f$f")
  echo "== factor $f: $db"
  DATABASE_URL=$db bin/capportal migrate up
  DATABASE_URL=$db bin/capportal seed demo >/dev/null
  DATABASE_URL=$db bin/capportal seed scale --factor "$f"
  # A running database is vacuumed by autovacuum; a freshly loaded one is not yet, and index-only scans
  # would visit the table. Measure the steady state.
  psql -q "$db" -c 'VACUUM (ANALYZE)'
  # Loading factor 10 leaves gigabytes of dirty buffers, which the checkpointer would otherwise
  # write out while the pages are being driven. (CHECKPOINT needs a superuser or pg_checkpoint.)
  psql -q "$db" -c 'CHECKPOINT' 2>/dev/null || echo "(no CHECKPOINT: the measurements may share the disk with the load's writes)"
  if [ "$f" = 1 ]; then
    echo "== the hot queries' plans at factor 1"
    CAP_BENCH_DATABASE_URL=$db go test -count=1 -run 'TestHotQueryPlans' ./internal/scale
  fi
  args+=("-db$f" "$db")
done

status=0
bin/capbench run -portal bin/capportal "${args[@]}" -d "${BENCH_DURATION:-6s}" -c 32 || status=$?
echo "make bench took $(( $(date +%s) - start )) s"
exit $status
