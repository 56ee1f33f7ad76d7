#!/usr/bin/env bash
# A PostGIS cluster managed by the project for `make demo` and `make test`.
#
# The cluster lives in .pgdata/ (git-ignored) and listens on 127.0.0.1 only, port
# $CARTESS_PGPORT (55432 by default), with one superuser, "cartess", trusted on loopback:
# a development database, never a production one (production uses DATABASE_URL).
# initdb refuses to run as root, so as root the server runs as the `postgres` system user;
# when that user cannot reach the checkout, the cluster goes to /var/lib/postgresql/cartess/.
#   usage: postgis.sh start|stop|status
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
port=${CARTESS_PGPORT:-55432}
dbname=${CARTESS_DBNAME:-cartess}

pg_version=$(for d in /usr/lib/postgresql/*/bin/initdb; do [ -x "$d" ] && basename "$(dirname "$(dirname "$d")")"; done | sort -n | tail -1)
if [ -z "$pg_version" ]; then
  echo "PostgreSQL is not installed: run 'make demo' as root, or see the README." >&2
  exit 1
fi
pgbin=/usr/lib/postgresql/$pg_version/bin

as_owner=()
cluster_dir=$root/.pgdata
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
  mkdir -p "$cluster_dir"
  chown postgres: "$cluster_dir"
  if ! runuser -u postgres -- test -w "$cluster_dir"; then
    cluster_dir=/var/lib/postgresql/cartess/$(printf '%s' "$root" | sha1sum | cut -c1-12)
    mkdir -p "$cluster_dir"
    chown postgres: "$cluster_dir" "$(dirname "$cluster_dir")"
  fi
fi
data=$cluster_dir/pg$pg_version
log=$cluster_dir/server.log

# The workload's settings, given at every start so that an existing cluster gets them too
# (a restart applies a change: `postgis.sh stop && postgis.sh start`). Short web queries:
# - jit off: JIT compilation cost 783 ms on the 1M-row distance sort that runs in a few ms
#   without it; it pays only on long analytical queries, which Cartess does not run.
# - shared_buffers 256MB (default 128MB) and work_mem 16MB: the directory's grouped counts
#   and sorts stay in memory; a development machine runs other things beside it.
# - random_page_cost 1.1: SSD, a random read costs about a sequential one, so index scans
#   (GiST nearest-first, bounding boxes) are preferred where they should be.
# - parallel workers only for big scans: starting workers costs milliseconds, and on a
#   2-core box they take the cores of concurrent requests (two were started for a two-row
#   pathway query): a high setup cost and one worker per query at most.
tuning="-c jit=off -c shared_buffers=256MB -c work_mem=16MB -c maintenance_work_mem=256MB"
tuning+=" -c effective_cache_size=1GB -c random_page_cost=1.1 -c effective_io_concurrency=200"
tuning+=" -c max_parallel_workers_per_gather=1 -c parallel_setup_cost=10000"
tuning+=" -c min_parallel_table_scan_size=64MB"

run() { "${as_owner[@]}" "$@"; }
psql_() { "$pgbin/psql" -h 127.0.0.1 -p "$port" -U cartess -v ON_ERROR_STOP=1 -qtAX "$@"; }

init_cluster() {
  echo "Creating the PostGIS cluster in $data (PostgreSQL $pg_version)"
  run mkdir -p "$data"
  run "$pgbin/initdb" -D "$data" -U cartess --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  run tee -a "$data/postgresql.conf" >/dev/null <<CONF
# Cartess development cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
synchronous_commit = off
CONF
}

start() {
  [ -f "$data/PG_VERSION" ] || init_cluster
  if ! run "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    # The port is given at each start, so CARTESS_PGPORT can change between runs.
    if ! run "$pgbin/pg_ctl" -D "$data" -l "$log" -o "-p $port $tuning" -w -t 60 start >/dev/null; then
      echo "PostgreSQL did not start; the end of $log says:" >&2
      tail -n 20 "$log" >&2
      exit 1
    fi
  fi
  if [ -z "$(psql_ -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$dbname'")" ]; then
    psql_ -d postgres -c "CREATE DATABASE \"$dbname\""
  fi
  echo "PostGIS ready: postgis://cartess@127.0.0.1:$port/$dbname"
}

stop() {
  if [ -f "$data/PG_VERSION" ] && run "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    run "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    echo "PostGIS stopped."
  else
    echo "PostGIS is not running."
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) run "$pgbin/pg_ctl" -D "$data" status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
