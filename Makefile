# The two commands of the README. Both bootstrap .venv themselves on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit dev clean web web-check web-test web-dev e2e-setup e2e pdf-setup

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dojo demo

dev: $(STAMP)
	$(BIN)/dojo dev

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cfn-lint template.yaml

typecheck: $(STAMP)
	$(BIN)/mypy shared/dojo dojo_local functions

# The PDF report tests render every page with Debian's pdftoppm (poppler-utils), installed the
# way chromium is for the end-to-end tests; without it they skip and say why.
pdf-setup:
	command -v pdftoppm >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y poppler-utils)

unit: $(STAMP) pdf-setup
	$(BIN)/pytest -n 2 --ignore=tests/e2e

# The web app (web/): node dependencies from the lock file, TypeScript types from the merged
# OpenAPI (`dojo openapi` writes web/openapi.json), and a static export in web/out that
# `dojo dev` serves on the API's origin. Each step reruns only when its inputs changed.
NODE_STAMP := web/node_modules/.installed
WEB_BUILD := web/out/index.html
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/package.json web/next.config.ts \
	web/tsconfig.json web/postcss.config.mjs

$(NODE_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

web/openapi.json: $(STAMP) template.yaml $(shell find functions shared/dojo -name '*.py' 2>/dev/null)
	$(BIN)/dojo openapi

web/src/api/schema.d.ts: web/openapi.json $(NODE_STAMP)
	cd web && npm run -s schema

$(WEB_BUILD): $(NODE_STAMP) $(WEB_SOURCES) web/src/api/schema.d.ts
	cd web && NEXT_TELEMETRY_DISABLED=1 npx next build
	touch $(WEB_BUILD)

web: $(STAMP) $(WEB_BUILD)

# The committed TypeScript types match web/openapi.json (whose freshness against the functions
# tests/local/test_openapi.py checks); `next build` type-checks the app itself (strict).
web-check: $(NODE_STAMP)
	cd web && npm run -s schema:check

# The web app's own tests: components, pages, the API client and the words (Vitest in jsdom).
web-test: $(NODE_STAMP)
	cd web && npm test

web-dev: web
	$(BIN)/dojo dev

# End-to-end tests drive Debian's chromium (no browser download) through the Python playwright
# package; CI runs as root with Debian's mirrors reachable.
e2e-setup:
	test -x /usr/bin/chromium || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

e2e: $(STAMP) e2e-setup web
	$(BIN)/pytest tests/e2e -p no:xdist

test: lint typecheck unit web-check web-test e2e

clean:
	rm -rf $(VENV) .dojo build web/node_modules web/.next web/out
