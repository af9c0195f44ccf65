# Two commands do everything on a fresh Debian machine:
#   make run    set up (venv, torch CPU wheel first, Apertium) and serve on 127.0.0.1:8000
#   make test   set up (plus Chromium for the review-page tests) and run the test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_UPDATED := /tmp/.newsdesk-apt-updated

.PHONY: run test lint setup system-deps browser-deps clean

run: setup
	@echo "newsdesk: embedded engines (Apertium + extractive summaries), SQLite under $${NEWSDESK_DATA_DIR:-./var}"
	@echo "newsdesk: client API keys are not required in this local demo (NEWSDESK_REQUIRE_CLIENT_KEY=false)"
	@echo "newsdesk: first editor for /review:  $(BIN)/newsdesk users add --name NAME --role editor"
	NEWSDESK_REQUIRE_CLIENT_KEY=$${NEWSDESK_REQUIRE_CLIENT_KEY:-false} $(BIN)/newsdesk serve

test: setup browser-deps
	bash scripts/test.sh

lint: setup
	$(BIN)/ruff check service tests bench
	$(BIN)/ruff format --check service tests bench
	$(BIN)/mypy service

setup: system-deps $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch comes first, from the pinned CPU wheel: anything that depends on torch installed
# before it would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -e '.[seq2seq,dev]'
	touch $(STAMP)

$(APT_UPDATED):
	$(SUDO) apt-get update -q
	touch $(APT_UPDATED)

system-deps:
	@dpkg -s apertium-eng-spa >/dev/null 2>&1 || { \
		$(MAKE) --no-print-directory $(APT_UPDATED) && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q apertium-eng-spa; }

browser-deps:
	@{ [ -x /usr/bin/chromium ] && dpkg -s chromium-driver >/dev/null 2>&1; } || { \
		$(MAKE) --no-print-directory $(APT_UPDATED) && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium chromium-driver; }

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
