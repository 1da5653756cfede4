# Two commands do all set-up on a fresh machine with Python 3.11:
#   make run    the product on its embedded default (SQLite, filesystem:// broker, worker with beat)
#   make test   the whole test suite: SQLite, then PostgreSQL and Redis/RabbitMQ where the machine has them
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= demo-geschil-2026
# Links in e-mails point at the address `make run` serves (HOST and PORT) unless SITE_URL says otherwise.
SITE_URL ?= http://$(HOST):$(PORT)
# `make run` keeps the demo's e-mails as files in var/mail (one per message) instead of printing them all in the
# console, where they pushed the demo log-ins out of sight; DJANGO_EMAIL_BACKEND overrides it.
RUN_EMAIL_BACKEND ?= django.core.mail.backends.filebased.EmailBackend

.PHONY: run test venv clean
export PYTEST_ARGS

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is nodig ($(PYTHON) niet gevonden); zet PYTHON=/pad/naar/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml package.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# axe-core for the browser tests' accessibility checks and oidc-provider for the OpenID Connect tests (left out locally when npm is missing; CI=true fails)
	@if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund --silent; \
	 elif [ "$${CI:-}" = true ]; then echo "npm not found: CI=true needs axe-core for the accessibility checks"; exit 1; \
	 else echo "npm not found: the accessibility checks of the browser tests will be left out"; fi
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py setup_periodic_tasks
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo --password '$(DEMO_PASSWORD)'
	@echo ""
	@echo "  Open http://$(HOST):$(PORT)/ and log in with one of the demo accounts above"
	@echo "  (password: $(DEMO_PASSWORD)). E-mails are kept as files in var/mail/."
	@echo "  Ctrl-C stops the web server and the worker."
	@echo ""
	DJANGO_DEBUG=1 SITE_URL='$(SITE_URL)' DJANGO_EMAIL_BACKEND="$${DJANGO_EMAIL_BACKEND:-$(RUN_EMAIL_BACKEND)}" \
	  $(BIN)/python -m scripts.devserver --host $(HOST) --port $(PORT)

# The whole suite, as CI runs it: SQLite, then PostgreSQL and the brokers where the machine has them
# (scripts/test.sh). PYTEST_ARGS or DATABASE_URL: one pytest run with those.
test: $(STAMP)
	@bash scripts/test.sh

clean:
	rm -rf $(VENV) var
