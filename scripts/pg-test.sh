#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the platform tests and prints the URL to
# use as FUZHI_TEST_PG. PostgreSQL refuses to run as root, so the cluster
# belongs to the postgres user; it listens on loopback only, trust auth.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
port=${FUZHI_PG_PORT:-55432}
dir=${FUZHI_PG_DIR:-/tmp/fuzhi-pg-$port}
run() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
if ! run "$bin/pg_isready -q -h 127.0.0.1 -p $port" 2>/dev/null; then
  rm -rf "$dir"
  mkdir -p "$dir"
  [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
  run "$bin/initdb -D $dir/data -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null"
  run "$bin/pg_ctl -D $dir/data -l $dir/log -w -o \"-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on\" start >/dev/null"
fi
run "$bin/psql -h 127.0.0.1 -p $port -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='fuzhi_test'\"" | grep -q 1 ||
  run "$bin/createdb -h 127.0.0.1 -p $port -U postgres fuzhi_test"
echo "postgres://postgres@127.0.0.1:$port/fuzhi_test?sslmode=disable"
