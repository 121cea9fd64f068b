# Academy — the two commands of the README:
#   make run    install everything (.venv, dependencies, database, demo content, admin) and serve
#   make test   run the whole test suite (SQLite; set DATABASE_URL=postgres://... for PostgreSQL)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install setup test lint demo worker scheduler clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

setup: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_admin

run: setup
	@echo "Serving the Academy on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -q -n 2 $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

demo: install
	$(PY) manage.py load_demo

clean:
	rm -rf $(VENV) db.sqlite3 media private static
