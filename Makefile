# The README's commands. Everything installs into .venv and node_modules/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := static/vendor/socket.io.min.js
CATALOGS := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/messages.po))

.PHONY: install run dev cluster cluster-stop test check e2e tour bench lint translations clean

install: $(STAMP) $(VENDOR) $(CATALOGS)

$(STAMP): setup.cfg pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
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

test: install
	$(BIN)/pytest

# The fast tiers: units and the Flask test clients, no real server and no browser.
check: install
	$(BIN)/pytest -m "not server and not browser"

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

# Re-extract the strings after changing templates or code, then translate the .po files.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations

clean:
	rm -rf $(VENV) node_modules static/vendor $(CATALOGS)
