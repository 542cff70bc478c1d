# Labitory: `make run` serves the demo facility, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-deps run test stack bench lint format worker beat messages lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m pip check
	touch $(STAMP)

# The translation catalogues, compiled with Babel (site/catalogues.py) whenever a .po changes.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	$(PY) -m labitory.catalogues

install: $(STAMP) $(CATALOGUES)

# WeasyPrint's Pango and the browser the tests drive: Debian packages, never a download.
system-deps:
	@sh deploy/system-deps.sh

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Labitory is at http://$(HOST):$(PORT)/ (admin at /admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install system-deps
	$(PY) -m pytest

# For IT staff: the production-like stack on loopback (deploy/README.md) — nginx, gunicorn,
# a Celery worker per queue group, beat and an SMTP sink, on PostgreSQL and Redis.
stack: install system-deps
	$(PY) deploy/stack/run.py up

# Every benchmark adds its figures to bench-results.json; the last step prints them all
# against their targets and fails if one is missed.
bench: install
	@rm -f bench-results.json
	@set -e; for script in tests/benchmarks/bench_*.py; do \
		echo "== $$script"; DJANGO_SETTINGS_MODULE=labitory.settings.test $(PY) "$$script"; \
	done
	@$(PY) tests/benchmarks/results.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r people booking labpages workflows reporting operations dashboards training demo site -lll -x '*/migrations/*'
	$(PY) -m mypy $$($(PY) tests/site/test_types.py)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A labitory worker -Q notifications,reports,maintenance -l info

beat: install
	$(VENV)/bin/celery -A labitory beat -l info

# The German catalogue from the marked strings (needs xgettext: Debian's gettext); translate
# every new entry in locale/de/LC_MESSAGES/django.po before committing.
messages: install
	$(PY) manage.py makemessages -l de --no-wrap --no-obsolete \
		-i ".venv/*" -i "tests/*" -i "static/*" -i "docs/*" -i "deploy/*" -i "var/*"

lock: install
	$(PY) -m pip install --quiet -e ".[test]"
	{ echo "# The whole dependency tree, pinned. Regenerate with 'make lock' after changing pyproject.toml."; \
	  $(PY) -m pip freeze --exclude-editable; } > requirements.lock

clean:
	rm -rf $(VENV) var db.sqlite3
