# The README's commands. Everything installs into .venv and node_modules/.
PYTHON ?= python3
# Another interpreter gets a folder of its own: make check PYTHON=python3.13 VENV=.venv-3.13
VENV ?= .venv
BIN := $(VENV)/bin
STAMP = $(VENV)/.installed-$(MODE)
# The server loop to install: eventlet, the design's default, or gevent (GIFCHAT_ASYNC_MODE).
MODE ?= eventlet
LOCK := $(if $(filter gevent,$(MODE)),requirements-gevent.lock,requirements.lock)
VENDOR := static/vendor/socket.io.min.js
CATALOGS := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/messages.po))

.PHONY: install run dev cluster cluster-stop test check e2e tour bench lint lock translations clean

install: $(STAMP) $(VENDOR) $(CATALOGS)

# Exactly the releases of the lock file; `make lock` says how they change.
$(STAMP): setup.cfg pyproject.toml $(LOCK)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c $(LOCK) -e ".[dev,$(MODE)]"
	$(BIN)/pip check
	touch $@

$(VENDOR): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.min.js node_modules/socket.io-client/dist/socket.io.min.js.map static/vendor/

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

# Serves http://127.0.0.1:8005 on the embedded default, websockets included.
run: install
	$(BIN)/python wsgi.py

# Development: Werkzeug's server, reloading on change; websockets and long-polling (threading).
dev: install
	$(BIN)/flask --app wsgi run --debug --port 8005

# One host as a cluster: redis-server, CLUSTER_SIZE gunicorn processes (default 2) and nginx
# on 127.0.0.1:8005, in the foreground until Ctrl-C (docs/deploy.md). Debian's packages.
CLUSTER_TOOLS := redis-server nginx
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
cluster: install
	@for tool in $(CLUSTER_TOOLS); do \
	  command -v $$tool >/dev/null || test -x /usr/sbin/$$tool || missing="$$missing $$tool"; \
	done; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get install -y$$missing; fi
	$(BIN)/python deploy/cluster.py run

# Stops a cluster started in the background with `python deploy/cluster.py start`.
cluster-stop:
	$(BIN)/python deploy/cluster.py stop

# The fast tiers on every core, then the real servers and the browser one test at a time: their
# timing is what they test.
test: check
	$(BIN)/pytest -m "server or browser"

# The fast tiers: units and the Flask test clients, no real server and no browser.
check: install
	$(BIN)/pytest -n auto -m "not server and not browser"

e2e: install
	$(BIN)/pytest -m browser

# The README's tour: its browser journey's screenshots, made small into docs/tour/.
tour: install
	$(BIN)/pytest tests/browser/test_tour.py
	$(BIN)/python docs/tour/shrink.py

bench: install
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	node_modules/.bin/eslint static/js

# The lock files hold every release CI and deployments install (docs/deploy.md). This adds what
# setup.cfg gained and keeps every other pin; to move on, on purpose, name what moves:
#   make lock UPGRADE=--upgrade                      (everything, e.g. once a month)
#   make lock UPGRADE="--upgrade-package gunicorn"   (one security release)
# then run the tests and read the diff before committing it.
UPGRADE ?=
LOCK_OPTIONS = --quiet --strip-extras --no-emit-index-url --no-emit-find-links $(UPGRADE)
lock: install
	$(BIN)/pip-compile $(LOCK_OPTIONS) --extra eventlet --extra dev --extra redis --extra mongo \
	  --output-file requirements.lock setup.cfg
	$(BIN)/pip-compile $(LOCK_OPTIONS) --extra gevent --extra dev --extra redis --extra mongo \
	  --output-file requirements-gevent.lock setup.cfg

# Re-extract the strings after changing templates or code, then translate the .po files.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations

clean:
	rm -rf $(VENV) node_modules static/vendor $(CATALOGS)
