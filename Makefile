# A newcomer needs two commands:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# root installs Debian packages directly; anyone else through sudo
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup dev run test check build eval bench bench-memory browser postgres redis clean mutation lint lock

# the exact versions of every package (transitive ones too); pyproject.toml holds the ranges
LOCK   := requirements/lock.txt

# what the service needs (make run): no test tools, no torch
$(BIN)/kb: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c $(LOCK) --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e .
	touch $@

# the tests' and developers' extras: pytest and Playwright, the optional rerank (torch's CPU build,
# pinned), mutmut, ruff and mypy
$(VENV)/.dev: pyproject.toml $(LOCK) $(BIN)/kb
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[test,rerank,dev]'
	touch $@

## lock: resolve pyproject.toml's ranges afresh in a throw-away venv and write $(LOCK) (then make dev, make test)
LOCK_VENV := .lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet -e '.[test,rerank,dev,postgres]'
	{ sed -n '/^#/p' $(LOCK); $(LOCK_VENV)/bin/python -m pip freeze --all --exclude-editable; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf $(LOCK_VENV)

setup: $(BIN)/kb
dev: $(VENV)/.dev

## run: install, build the index, serve on http://$(HOST):$(PORT) (WORKERS= processes; default: CPU count)
run: setup
	$(BIN)/kb build
	$(BIN)/kb serve --host $(HOST) --port $(PORT) $(if $(WORKERS),--workers $(WORKERS))

## browser: Debian's Chromium (and CJK fonts for Korean screenshots) for the browser tests
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto sans cjk"; } || \
		{ $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk; }

## postgres: Debian's PostgreSQL server binaries; the tests start a throw-away cluster of their own
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql; }

## redis: Debian's redis-server, for the test of rate limits shared through Redis (tests/test_embed.py)
redis:
	@command -v redis-server >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq redis-server; }

## test: install everything, lint (ruff, mypy), check the content, run the whole test suite
test: dev lint browser postgres redis
	$(BIN)/kb check
	$(BIN)/python -m pytest

check: setup
	$(BIN)/kb check

build: setup
	$(BIN)/kb build

## eval: retrieval figures on the development set and the ranking regressions (needs ../shared beside the checkout)
eval: setup
	$(BIN)/python ../shared/eval/score.py ../shared/eval/dev.jsonl --cmd "$(BIN)/kb ask --batch" \
		--min-hit1 0.85 --min-hit3 0.95 --min-referral-hit3 0.9 --min-facts-ok 0.9 --min-abstain-ok 1 --min-crisis-ok 1
	$(BIN)/python ../shared/eval/score.py bench/eval/regressions.jsonl --cmd "$(BIN)/kb ask --batch" \
		--min-hit1 1 --min-hit3 1 --min-referral-hit3 1 --min-facts-ok 1
	$(BIN)/python ../shared/eval/router_score.py ../shared/eval/router-dev.jsonl --cmd "$(BIN)/kb ask --batch" --min 0.9
	$(BIN)/python ../shared/eval/router_score.py bench/eval/router-own.jsonl --cmd "$(BIN)/kb ask --batch" --min 0.9
	$(BIN)/python ../shared/eval/safety_score.py ../shared/eval/safety-dev.jsonl --cmd "$(BIN)/kb ask --batch" --min 1.0
	$(BIN)/python ../shared/eval/safety_score.py bench/eval/safety.jsonl --cmd "$(BIN)/kb ask --batch" --min 1.0

bench: setup
	$(BIN)/python bench/core.py
	$(BIN)/python bench/http_load.py

## bench-memory: RSS every 10,000 of 100,000 distinct random questions (long: ~10-30 min)
bench-memory: setup
	$(BIN)/python bench/memory.py

## mutation: the kill rate of the fast unit tests per module (mutmut; minutes per module on 2 cores)
# The modules measured; change the list here (e.g. kb/safety.py -> kb/safety.py) or on the command line.
MUTATE ?= kb/answer.py kb/referrals.py kb/privacy.py kb/safety.py search/searcher.py search/analysis.py
MUTATION_CHILDREN ?= 2
mutation: dev
	$(BIN)/python bench/mutation.py --max-children $(MUTATION_CHILDREN) --survivors $(MUTATE)

## lint: ruff's lint rules and mypy on kb/ and search/ (configured in pyproject.toml)
lint: dev
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf instance .pytest_cache .hypothesis mutants
