#!/usr/bin/env bash
# Starts the local PostgreSQL cluster from Debian's packages and makes the
# role and database the server's tests use. Prints the URL to export as
# FIELDLEDGER_TEST_POSTGRES.
set -euo pipefail

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if ! pg_lsclusters -h | grep -q "^$version main"; then
  $sudo pg_createcluster "$version" main >/dev/null
fi
$sudo pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done

psql_admin() { $sudo -u postgres psql -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(id -u)" -eq 0 ]; then
  psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtA $(printf '%q ' "$@")"; }
fi

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'fieldledger'")" != "1" ]; then
  psql_admin -c "CREATE ROLE fieldledger LOGIN CREATEDB PASSWORD 'fieldledger'"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'fieldledger_test'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE fieldledger_test OWNER fieldledger"
fi

echo "postgres://fieldledger:fieldledger@127.0.0.1:5432/fieldledger_test"
