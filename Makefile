# Two commands do all set-up on a fresh machine with Python 3.11:
#   make run    the product on its embedded default (SQLite, filesystem:// broker, worker with beat)
#   make test   the whole test suite (SQLite unless DATABASE_URL says otherwise)
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= demo-geschil-2026

.PHONY: run test venv clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is nodig ($(PYTHON) niet gevonden); zet PYTHON=/pad/naar/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml package.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# axe-core for the browser tests' accessibility checks (skipped when npm is missing)
	@if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund --silent; \
	 else echo "npm not found: the accessibility checks of the browser tests will be skipped"; fi
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py setup_periodic_tasks
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo --password '$(DEMO_PASSWORD)'
	@echo ""
	@echo "  Open http://$(HOST):$(PORT)/ and log in with one of the demo accounts above"
	@echo "  (password: $(DEMO_PASSWORD)). Ctrl-C stops the web server and the worker."
	@echo ""
	DJANGO_DEBUG=1 $(BIN)/python -m scripts.devserver --host $(HOST) --port $(PORT)

# pytest exits 5 when a selection holds no tests; that is reported, not treated as a failure.
test: $(STAMP)
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest: no tests were collected"; exit 0; fi; exit $$rc

clean:
	rm -rf $(VENV) var
