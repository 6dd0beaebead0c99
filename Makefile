# The two commands of README.md: `make demo` (the platform on a local chain) and `make test`.
# Each installs what is missing: .venv from requirements.txt, node_modules from package-lock.json,
# the offline solc wrapper, and Debian's chromium (with CJK fonts) for the site's real-browser test. Re-runs reuse the installs (stamps in .make/).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMPS := .make
# The npm anvil is found by brownie on PATH; the solc wrapper by py-solc-x in SOLCX_BINARY_PATH.
export PATH := $(CURDIR)/$(STAMPS)/bin:$(BIN):$(PATH)
export SOLCX_BINARY_PATH := $(CURDIR)/.solcx
PYTEST_ARGS ?=

# Debian packages the dashboard's browser test needs: chromium (driven by Playwright for Python) and CJK fonts
# (without them every Chinese label renders as boxes in the screenshots). Installed with apt-get when missing.
BROWSER_PACKAGES := chromium fonts-noto-cjk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo stop test bench setup compile besu-network clean

# The platform left running (chain, IPFS, indexer, site at http://127.0.0.1:8501); `make stop` stops it by PID.
demo: setup
	$(BIN)/python -m orchestration.demo

stop:
	$(BIN)/python -m orchestration.stop

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# One benchmark of benchmarks/ (its last line printed is the JSON of its figures): make bench NAME=gas_registration
bench: setup
	@test -n "$(NAME)" -a -f benchmarks/$(NAME).py || { echo "usage: make bench NAME=<one of: $$(ls benchmarks | sed -n 's/\.py$$//p' | tr '\n' ' ')>" >&2; exit 2; }
	$(BIN)/python benchmarks/$(NAME).py $(ARGS)

setup: $(STAMPS)/venv $(STAMPS)/npm $(STAMPS)/solc $(STAMPS)/browser

compile: setup
	$(BIN)/brownie compile

$(STAMPS)/venv: requirements.txt pyproject.toml
	@mkdir -p $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	# The project itself, editable and without dependencies (they are the pins above): the console scripts of
	# pyproject.toml (govchain-wallet, govchain-oracle, ...) in .venv/bin.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(STAMPS)/npm: package-lock.json
	@mkdir -p $(STAMPS)/bin
	npm ci --no-audit --no-fund --loglevel=error
	ln -sf $(CURDIR)/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil $(STAMPS)/bin/anvil
	touch $@

$(STAMPS)/solc: $(STAMPS)/npm tools/solc/install-wrapper.sh tools/solc/solcjs-standard-json.js
	tools/solc/install-wrapper.sh $(SOLCX_BINARY_PATH)
	touch $@

$(STAMPS)/browser:
	@mkdir -p $(STAMPS)
	if ! dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BROWSER_PACKAGES); \
	fi
	test -x /usr/bin/chromium
	touch $@

# Registers the production network in brownie's network list from BESU_RPC_URL and BESU_CHAIN_ID.
besu-network: setup
	$(BIN)/python -m govchain.brownie_networks

clean:
	rm -rf $(STAMPS) .solcx build reports
