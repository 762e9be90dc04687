# The two commands of the README: `make run` and `make test`. Everything else is what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
CLIENT_DEPS := client/node_modules/.package-lock.json
CLIENT_BUILD := server/static/build/pad.js
PEERS_DEPS := tests/js/node_modules/.package-lock.json

.PHONY: run test lint client chromium clean

run: $(PY_STAMP) $(CLIENT_BUILD)
	$(BIN)/skrid serve --init

test: $(PY_STAMP) $(CLIENT_BUILD) $(PEERS_DEPS) chromium
	$(BIN)/ruff check .
	$(BIN)/mypy --strict anonymizer exports
	$(BIN)/mypy server
	$(BIN)/pytest

lint: $(PY_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

$(PY_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

client: $(CLIENT_BUILD)

$(CLIENT_BUILD): $(CLIENT_DEPS) $(shell find client/src -type f 2>/dev/null) client/build.mjs \
		exports/link_rules.json anonymizer/tlds.json
	cd client && npm run --silent build

$(CLIENT_DEPS): client/package.json client/package-lock.json
	cd client && npm ci --no-audit --no-fund --loglevel=error

$(PEERS_DEPS): tests/js/package.json tests/js/package-lock.json
	cd tests/js && npm ci --no-audit --no-fund --loglevel=error

# Browser tests drive Debian's Chromium; Playwright's own browser download is not used.
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf $(VENV) client/node_modules tests/js/node_modules server/static/build
