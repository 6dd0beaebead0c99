# The two commands of README.md: `make demo` (the platform on a local chain) and `make test`.
# Each installs what is missing: .venv from requirements.txt, node_modules from package-lock.json,
# and the offline solc wrapper. Re-runs reuse the installs (stamps in .make/).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMPS := .make
# The npm anvil is found by brownie on PATH; the solc wrapper by py-solc-x in SOLCX_BINARY_PATH.
export PATH := $(CURDIR)/$(STAMPS)/bin:$(BIN):$(PATH)
export SOLCX_BINARY_PATH := $(CURDIR)/.solcx
PYTEST_ARGS ?=

.PHONY: demo test setup compile besu-network clean

demo: setup
	$(BIN)/python -m govchain.demo

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(STAMPS)/venv $(STAMPS)/npm $(STAMPS)/solc

compile: setup
	$(BIN)/brownie compile

$(STAMPS)/venv: requirements.txt
	@mkdir -p $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(STAMPS)/npm: package-lock.json
	@mkdir -p $(STAMPS)/bin
	npm ci --no-audit --no-fund --loglevel=error
	ln -sf $(CURDIR)/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil $(STAMPS)/bin/anvil
	touch $@

$(STAMPS)/solc: $(STAMPS)/npm tools/solc/install-wrapper.sh tools/solc/solcjs-standard-json.js
	tools/solc/install-wrapper.sh $(SOLCX_BINARY_PATH)
	touch $@

# Registers the production network in brownie's network list from BESU_RPC_URL and BESU_CHAIN_ID.
besu-network: setup
	$(BIN)/python -m govchain.brownie_networks

clean:
	rm -rf $(STAMPS) .solcx build reports
