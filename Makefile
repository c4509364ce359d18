# Tocsin — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-postgres test-browser lint bench backup clean

$(VENV)/.runtime: requirements.txt requirements-nodeps.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## Set everything up on embedded defaults and start the web server and the task worker.
run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput -v0
	scripts/ensure-system-deps.sh
	HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

## Every test: unit, integration, e-mail, isolation and browser tests (SQLite).
test: $(VENV)/.dev
	scripts/ensure-chromium.sh
	scripts/ensure-system-deps.sh
	$(PY) -m pytest

## The same suite against the local PostgreSQL server, on a fresh database.
test-postgres: $(VENV)/.dev
	scripts/ensure-chromium.sh
	scripts/ensure-system-deps.sh
	scripts/with-postgres.sh $(PY) -m pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(VENV)/.dev
	$(PY) bench/run.py
	$(PY) bench/directory_import.py
	$(PY) bench/crisis_load.py
	$(PY) bench/alerts_throughput.py
	$(PY) bench/alerts_crash.py
	$(PY) bench/alerts_two_workers.py
	$(PY) bench/retex_survey.py
	$(PY) bench/care_register.py

clean:
	rm -rf $(VENV) staticfiles
