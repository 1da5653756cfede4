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
#
# In CI (CI=true) nothing may be skipped for want of a tool or service: a missing chromium, gettext, npm/axe-core,
# PostgreSQL, Redis or RabbitMQ fails the run before any test starts (`scripts/test.sh preflight` checks only that),
# and the tests themselves fail instead of skipping (tests/needs.py). Locally the same gaps are skipped with a reason.
set -uo pipefail
cd "$(dirname "$0")/.."

PYTHON=.venv/bin/python
PG_PORT="${TEST_POSTGRES_PORT:-5432}"
REDIS_PORT="${TEST_REDIS_PORT:-6379}"
RABBITMQ_PORT="${TEST_RABBITMQ_PORT:-5672}"
PG="postgres://postgres@127.0.0.1:${PG_PORT}"
REDIS="redis://127.0.0.1:${REDIS_PORT}/15"
RABBITMQ="amqp://guest:guest@127.0.0.1:${RABBITMQ_PORT}//"
case "${CI:-}" in 1|true|TRUE|True|yes) IN_CI=1 ;; *) IN_CI=0 ;; esac

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
port_open() { timeout 5 bash -c "</dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# pytest exits 5 when a selection holds no tests; that is reported, not treated as a failure.
suite() {
  "$PYTHON" -m pytest "$@"
  local rc=$?
  if [ "$rc" -eq 5 ]; then echo "pytest: no tests were collected"; return 0; fi
  return "$rc"
}

# What CI requires, in one place: each line "what|how to check". `preflight` reports every gap at once.
requirements() {
  echo "chromium (Debian package; the browser tests)|command -v chromium"
  echo "GNU gettext (msgfmt, xgettext; the translation checks)|command -v msgfmt && command -v xgettext"
  echo "axe-core in node_modules (npm install; the accessibility checks)|test -f node_modules/axe-core/axe.min.js"
  echo "node with oidc-provider in node_modules (npm install; the OpenID Connect tests)|command -v node && test -f node_modules/oidc-provider/package.json"
  echo "PostgreSQL on 127.0.0.1:${PG_PORT}|pg_isready -q -h 127.0.0.1 -p ${PG_PORT}"
  echo "Redis on 127.0.0.1:${REDIS_PORT}|port_open ${REDIS_PORT}"
  echo "RabbitMQ on 127.0.0.1:${RABBITMQ_PORT}|port_open ${RABBITMQ_PORT}"
}

# Prints what is missing; returns 1 when something is.
preflight() {
  local missing=0 line
  while IFS= read -r line; do
    if ! eval "${line#*|}" >/dev/null 2>&1; then
      echo "missing: ${line%%|*}"
      missing=1
    fi
  done < <(requirements)
  return "$missing"
}

# -- 1. system packages --------------------------------------------------------------------------
# the letters' renderer (WeasyPrint, docs/adr/0019) needs Pango and the fonts it embeds
has_pango() { ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so" && fc-list 2>/dev/null | grep -q "Liberation Sans"; }
if [ "${1:-}" != "preflight" ] && { ! command -v chromium >/dev/null 2>&1 || ! command -v msgfmt >/dev/null 2>&1 \
     || ! has_pango; }; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "== installing chromium, gettext, Pango and fonts (apt-get)"
    as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium gettext \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core >/dev/null \
      || echo "could not install chromium/gettext/Pango"
  else
    echo "no apt-get: chromium and gettext cannot be installed here"
  fi
fi

# -- services: start those that are installed but stopped -------------------------------------------
start_services() {
  if ! pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null && command -v pg_ctlcluster >/dev/null 2>&1; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  fi
  if ! port_open "$REDIS_PORT" && command -v redis-server >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir /tmp --logfile /tmp/redis-tests.log || true
  fi
  if ! port_open "$RABBITMQ_PORT" && command -v rabbitmq-server >/dev/null 2>&1; then
    as_root rabbitmq-server -detached || true
    for _ in $(seq 1 30); do port_open "$RABBITMQ_PORT" && break; sleep 2; done
  fi
}

if [ "${1:-}" = "preflight" ]; then
  # Only the check (tests/integration/test_ci_strict.py runs it): exit 1 in CI when anything is missing.
  if preflight; then echo "preflight: everything CI needs is here"; exit 0; fi
  if [ "$IN_CI" = 1 ]; then echo "preflight: CI=true and something is missing (see above)"; exit 1; fi
  echo "preflight: not in CI; the missing parts are skipped with a reason"; exit 0
fi

start_services
if ! preflight; then
  if [ "$IN_CI" = 1 ]; then
    echo "CI=true: a missing tool or service is a failure, not a skip (see the lines above)"
    exit 1
  fi
  echo "(not in CI: what is missing is skipped, with the reason in pytest's summary)"
fi

# -- one run, as asked ------------------------------------------------------------------------------
if [ -n "${PYTEST_ARGS:-}" ] || [ -n "${DATABASE_URL:-}" ]; then
  # shellcheck disable=SC2086 # PYTEST_ARGS is a list of arguments
  suite ${PYTEST_ARGS:-}
  exit $?
fi

# -- 2. the embedded default ---------------------------------------------------------------------------
echo "== import contracts (lint-imports; docs/adr/0011-import-layers.md)" && .venv/bin/lint-imports || exit $?
echo "== tests on SQLite (the embedded default)"
suite || exit $?

# -- 3. the production shape -------------------------------------------------------------------------
if ! pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then
  echo "== PostgreSQL is not running on 127.0.0.1:${PG_PORT}: the production-shape runs are skipped"
  exit 0
fi

db="gpa_test_$$"
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -q -c "DROP DATABASE IF EXISTS ${db}" -c "CREATE DATABASE ${db}" || exit 1
trap 'psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -q -c "DROP DATABASE IF EXISTS ${db}" -c "DROP DATABASE IF EXISTS test_${db}" >/dev/null 2>&1' EXIT

# As in production (docs/deployment.md "Database"): postgres, the owner, creates and migrates the test
# database; the tests connect as gpa_runtime, a role that owns nothing (tests/conftest.py).
runtime_role="gpa_runtime"
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -q \
  -c "DO \$\$ BEGIN CREATE ROLE ${runtime_role} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$" || exit 1

echo "== tests on PostgreSQL as ${runtime_role} (fault test on RabbitMQ when it runs, load test on gunicorn)"
fault_broker=""
port_open "$RABBITMQ_PORT" && fault_broker="$RABBITMQ"
DATABASE_URL="$PG/${db}" DATABASE_RUNTIME_ROLE="$runtime_role" FAULT_TEST_BROKER_URL="$fault_broker" \
  suite --create-db || exit $?

echo "== the long lists, the dashboard, search and the API at 100,000 generated cases on PostgreSQL (tests/benchmarks, docs/load.md)"
DATABASE_URL="$PG/${db}" DATABASE_RUNTIME_ROLE="$runtime_role" BENCHMARK_SIZES=100000 \
  suite tests/benchmarks/test_bulk_lists.py tests/benchmarks/test_api_bulk.py -k postgresql -s --create-db || exit $?

for broker in "$REDIS" "$RABBITMQ"; do
  port="${broker##*:}"; port="${port%%/*}"
  if port_open "$port"; then
    echo "== Celery tests through a real broker and worker on PostgreSQL: ${broker%%:*}"
    DATABASE_URL="$PG/${db}" DATABASE_RUNTIME_ROLE="$runtime_role" CELERY_BROKER_URL="$broker" \
      suite -m broker --create-db || exit $?
  else
    echo "== ${broker%%:*} is not running on 127.0.0.1:${port}: its broker run is skipped"
  fi
done
