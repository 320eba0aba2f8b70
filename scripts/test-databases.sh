#!/usr/bin/env bash
# Starts Debian's MariaDB, PostgreSQL and Redis servers for the tests (when not running) and gives the test account
# the right to create its own throwaway databases. Prints the environment the tests read:
#   eval "$(scripts/test-databases.sh)"
#   AETHER_TEST_DATABASE=postgres npm test      # the whole suite on PostgreSQL (mysql: on MariaDB)
# Needs root (it starts services and creates the account); idempotent.
set -euo pipefail

USER_NAME=aether_test
PASSWORD=aether-test-only

if ! runuser -u postgres -- psql -qAtc 'select 1' >/dev/null 2>&1; then
  service postgresql start >&2
fi
if ! mariadb -e 'select 1' >/dev/null 2>&1; then
  service mariadb start >&2
fi
if ! redis-cli ping >/dev/null 2>&1; then
  service redis-server start >&2
fi
for _ in $(seq 1 30); do
  runuser -u postgres -- psql -qAtc 'select 1' >/dev/null 2>&1 && mariadb -e 'select 1' >/dev/null 2>&1 && redis-cli ping >/dev/null 2>&1 && break
  sleep 1
done

runuser -u postgres -- psql -qAt -v ON_ERROR_STOP=1 >&2 <<SQL
do \$\$ begin
  if not exists (select from pg_roles where rolname = '$USER_NAME') then
    create role $USER_NAME login createdb password '$PASSWORD';
  end if;
end \$\$;
-- Dropping a throwaway database ends the connections still on it (drop database ... with (force)).
grant pg_signal_backend to $USER_NAME;
SQL

mariadb >&2 <<SQL
create user if not exists '$USER_NAME'@'localhost' identified by '$PASSWORD';
create user if not exists '$USER_NAME'@'127.0.0.1' identified by '$PASSWORD';
grant all privileges on \`aether\\_t\\_%\`.* to '$USER_NAME'@'localhost';
grant all privileges on \`aether\\_t\\_%\`.* to '$USER_NAME'@'127.0.0.1';
SQL

echo "export AETHER_TEST_POSTGRES_URL=postgres://$USER_NAME:$PASSWORD@127.0.0.1:5432/postgres"
echo "export AETHER_TEST_MYSQL_URL=mysql://$USER_NAME:$PASSWORD@127.0.0.1:3306"
echo "export AETHER_TEST_REDIS_URL=redis://127.0.0.1:6379"
