#!/usr/bin/env bash
# `make test`: the whole test suite, exactly as CI runs it (.ci/run calls `make test` and nothing else).
#
# 1. What the browser and translation tests need from the system: Debian's chromium (playwright cannot
#    download its own browser here) and GNU gettext, installed with apt-get when missing.
# 2. The suite on the embedded default (SQLite).
# 3. The production shape, where this machine has it: a fresh PostgreSQL database (row locks, triggers,
#    the fault test with a worker killed mid-export, the load test on gunicorn), then the Celery tests
#    through a real broker and worker (Redis, then RabbitMQ). A service that is installed but stopped is
#    started; one that is not installed is skipped with a message.
#
# With PYTEST_ARGS or DATABASE_URL set, only one run: pytest with those arguments on that database
# (the quick loop while developing, e.g. `make test PYTEST_ARGS="-k deadlines"`).
set -uo pipefail
cd "$(dirname "$0")/.."

PYTHON=.venv/bin/python
PG="postgres://postgres@127.0.0.1:5432"
REDIS="redis://127.0.0.1:6379/15"
RABBITMQ="amqp://guest:guest@127.0.0.1:5672//"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
port_open() { timeout 5 bash -c "</dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# pytest exits 5 when a selection holds no tests; that is reported, not treated as a failure.
suite() {
  "$PYTHON" -m pytest "$@"
  local rc=$?
  if [ "$rc" -eq 5 ]; then echo "pytest: no tests were collected"; return 0; fi
  return "$rc"
}

# -- 1. system packages --------------------------------------------------------------------------
if ! command -v chromium >/dev/null 2>&1 || ! command -v msgfmt >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "== installing chromium and gettext (apt-get)"
    as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium gettext >/dev/null \
      || echo "could not install chromium/gettext: the browser tests and the msgfmt check will be skipped"
  else
    echo "no apt-get: without chromium and gettext the browser tests and the msgfmt check are skipped"
  fi
fi

# -- one run, as asked ------------------------------------------------------------------------------
if [ -n "${PYTEST_ARGS:-}" ] || [ -n "${DATABASE_URL:-}" ]; then
  # shellcheck disable=SC2086 # PYTEST_ARGS is a list of arguments
  suite ${PYTEST_ARGS:-}
  exit $?
fi

# -- 2. the embedded default ---------------------------------------------------------------------------
echo "== tests on SQLite (the embedded default)"
suite || exit $?

# -- 3. the production shape -------------------------------------------------------------------------
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null 2>&1; then
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "== PostgreSQL is not running on 127.0.0.1:5432: the production-shape runs are skipped"
  exit 0
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /tmp --logfile /tmp/redis-tests.log || true
fi
if ! port_open 5672 && command -v rabbitmq-server >/dev/null 2>&1; then
  as_root rabbitmq-server -detached || true
  for _ in $(seq 1 30); do port_open 5672 && break; sleep 2; done
fi

db="gpa_test_$$"
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS ${db}" -c "CREATE DATABASE ${db}" || exit 1
trap 'psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS ${db}" -c "DROP DATABASE IF EXISTS test_${db}" >/dev/null 2>&1' EXIT

echo "== tests on PostgreSQL (fault test on RabbitMQ when it runs, load test on gunicorn)"
fault_broker=""
port_open 5672 && fault_broker="$RABBITMQ"
DATABASE_URL="$PG/${db}" FAULT_TEST_BROKER_URL="$fault_broker" suite --create-db || exit $?

for broker in "$REDIS" "$RABBITMQ"; do
  port="${broker##*:}"; port="${port%%/*}"
  if port_open "$port"; then
    echo "== Celery tests through a real broker and worker on PostgreSQL: ${broker%%:*}"
    DATABASE_URL="$PG/${db}" CELERY_BROKER_URL="$broker" suite -m broker --create-db || exit $?
  else
    echo "== ${broker%%:*} is not running on 127.0.0.1:${port}: its broker run is skipped"
  fi
done
