#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 for the PostgreSQL suites
# (libs/event-store/postgres/test-database.ts connects as postgres://postgres@127.0.0.1:5432/test).
#   1. already answering   -> nothing to do;
#   2. a cluster installed -> start it;
#   3. nothing installed   -> install Debian's postgresql, start it, trust local TCP logins, create role
#                             root and databases test and root.
# Then waits (PG_WAIT_SECONDS, default 30) and fails with a clear message if it still does not answer.
set -euo pipefail

HOST=127.0.0.1
PORT=5432
WAIT_SECONDS="${PG_WAIT_SECONDS:-30}"

log() { echo "ensure-postgres: $*" >&2; }

ready() {
  command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$HOST" -p "$PORT"
}

# Root needs no sudo (CI containers); a developer's machine does.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# The newest installed major version, or nothing.
installed_version() {
  if [ -d /etc/postgresql ]; then
    find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -n 1
  fi
}

start_cluster() {
  local version="$1"
  log "starting cluster $version/main"
  # --skip-systemctl-redirect: containers have no systemd; pg_ctlcluster then runs pg_ctl itself.
  # A cluster that is already running makes pg_ctlcluster fail; readiness is checked afterwards anyway.
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || log "pg_ctlcluster start returned $?"
}

wait_ready() {
  local waited=0
  until ready; do
    if [ "$waited" -ge "$WAIT_SECONDS" ]; then
      log "FAILED: no PostgreSQL server answers on $HOST:$PORT after ${WAIT_SECONDS}s"
      log "check the server log under /var/log/postgresql/ or set U4SSC_TEST_DATABASE_URL to another server"
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

psql_postgres() {
  as_postgres psql -v ON_ERROR_STOP=1 -X -q -tA "$@"
}

configure_fresh_install() {
  local version="$1"
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  # First matching line wins, so the trust lines go on top; test servers only, never a shared host.
  if ! as_root grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    log "trusting local TCP logins in $hba"
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  fi
  if [ "$(psql_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'root'")" != 1 ]; then
    log "creating role root"
    psql_postgres -c 'CREATE ROLE root SUPERUSER LOGIN'
  fi
  local database
  for database in test root; do
    if [ "$(psql_postgres -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
      log "creating database $database"
      psql_postgres -c "CREATE DATABASE $database"
    fi
  done
}

if ready; then
  exit 0
fi

version="$(installed_version)"
if [ -n "$version" ]; then
  start_cluster "$version"
else
  log "no PostgreSQL installed: installing Debian's postgresql package"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
  version="$(installed_version)"
  if [ -z "$version" ]; then
    log "FAILED: postgresql was installed but no cluster appeared under /etc/postgresql"
    exit 1
  fi
  start_cluster "$version"
  wait_ready
  configure_fresh_install "$version"
fi

wait_ready
log "PostgreSQL $version answers on $HOST:$PORT"
