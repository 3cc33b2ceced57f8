#!/bin/sh
# Patroni post_bootstrap hook: runs once, on the member that initialised the
# cluster, right after initdb. Patroni passes a libpq connection string for the
# superuser as the last argument (and PGPASSFILE in the environment).
#
# Creates the application role and database (idempotent):
#   BARBACK_DB_USER      role name      (default barback)
#   BARBACK_DB_PASSWORD  its password   (required)
#   BARBACK_DB_NAME      database name  (default barback)
# Values reach SQL only through psql variables (:'var' / format(%I, %L)),
# never by string concatenation, and the password never appears on a command line.
set -eu

conn="${1:?usage: post-bootstrap.sh <connection string>}"

BARBACK_DB_USER="${BARBACK_DB_USER:-barback}"
BARBACK_DB_NAME="${BARBACK_DB_NAME:-barback}"
if [ -z "${BARBACK_DB_PASSWORD:-}" ]; then
  echo "post-bootstrap: BARBACK_DB_PASSWORD is not set" >&2
  exit 1
fi
export BARBACK_DB_USER BARBACK_DB_NAME BARBACK_DB_PASSWORD

PSQL=psql
for dir in "${PG_BIN_DIR:-}" /usr/lib/postgresql/15/bin; do
  if [ -n "$dir" ] && [ -x "$dir/psql" ]; then PSQL="$dir/psql"; break; fi
done

"$PSQL" "$conn" --no-psqlrc --quiet -v ON_ERROR_STOP=1 <<'SQL'
\getenv app_user BARBACK_DB_USER
\getenv app_password BARBACK_DB_PASSWORD
\getenv app_db BARBACK_DB_NAME
SET log_statement = 'none';
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'app_user', :'app_password')
 WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = :'app_user') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'app_user', :'app_password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'app_db', :'app_user')
 WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = :'app_db') \gexec
SQL

echo "post-bootstrap: role and database ready (${BARBACK_DB_USER}/${BARBACK_DB_NAME})"
