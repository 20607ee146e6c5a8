#!/usr/bin/env bash
# The portal's own private PostgreSQL cluster, for `make run` and `make test` when no database URL is
# given. Data lives under ./var/pg; it listens on a unix socket only, so it never clashes with another
# server. As root, initdb and pg_ctl run as the postgres user (initdb refuses to run as root).
# It keeps PostgreSQL's durable defaults, since `make run` keeps real work in it; the test databases
# turn synchronous_commit off for themselves (internal/db/dbtest).
#
#   scripts/devdb.sh start   initialise if needed, start if not running, create the capportal database;
#                            prints "started" or "running" on stderr and the URL on stdout
#   scripts/devdb.sh stop    stop it (fast shutdown)
#   scripts/devdb.sh url     print the URL (the postgres superuser's: migrations and tests use it)
#   scripts/devdb.sh app-url print the URL the portal serves over: the login role capportal_web, a
#                            member of capportal_app, which cannot alter the schema (migration 0022)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/var/pg"
base=$root/var/pg

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# As root the postgres user must be able to reach the data directory; a checkout under /root is not
# reachable, so the cluster then lives in a directory of its own under /tmp.
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$base" 2>/dev/null; then
  base=/tmp/capportal-pg-$(printf %s "$root" | md5sum | cut -c1-10)
fi
# A unix socket path must stay under 108 bytes.
if [ ${#base} -gt 80 ]; then
  base=/tmp/capportal-pg-$(printf %s "$root" | md5sum | cut -c1-10)
fi
data=$base/data
sock=$base/run
log=$base/postgres.log
url="postgres://postgres@/capportal?host=$sock"
app_url="postgres://capportal_web@/capportal?host=$sock"

find_bin() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"; return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return; fi
  echo "PostgreSQL server binaries not found: install Debian's postgresql package (apt-get install postgresql), or set DATABASE_URL / TEST_DATABASE_URL to a server of your own" >&2
  exit 1
}

running() { [ -f "$data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

case "${1:-}" in
  start)
    bin=$(find_bin)
    mkdir -p "$base"
    if [ "$(id -u)" = 0 ]; then chown postgres "$base"; fi
    if [ ! -f "$data/PG_VERSION" ]; then
      as_pg mkdir -p "$data" "$sock"
      as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 \
        || { cat "$base/initdb.log" >&2; exit 1; }
    fi
    as_pg mkdir -p "$sock"
    if running; then
      echo running >&2
    else
      as_pg touch "$log"
      as_pg "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
        -o "-k $sock -c listen_addresses='' -c max_connections=200" start >/dev/null \
        || { tail -n 20 "$log" >&2; exit 1; }
      echo started >&2
    fi
    if ! psql -h "$sock" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'capportal'" | grep -q 1; then
      psql -h "$sock" -U postgres -d postgres -qc "CREATE DATABASE capportal" >/dev/null
    fi
    # The portal's login role; migration 0022 grants its group what it may do.
    psql -h "$sock" -U postgres -d postgres -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'capportal_app') THEN CREATE ROLE capportal_app NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'capportal_web') THEN CREATE ROLE capportal_web LOGIN IN ROLE capportal_app; END IF;
END
$$;
SQL
    echo "$url" >"$root/var/pg/url"
    echo "$url"
    ;;
  stop)
    bin=$(find_bin)
    if running; then as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; echo "private PostgreSQL stopped" >&2; fi
    rm -f "$root/var/pg/url"
    ;;
  url)
    echo "$url"
    ;;
  app-url)
    echo "$app_url"
    ;;
  *)
    echo "usage: $0 start|stop|url|app-url" >&2
    exit 2
    ;;
esac
