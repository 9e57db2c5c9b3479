# Ascend — the two commands (see README.md).
SHELL := /bin/bash
PORT ?= 8000

.PHONY: run test races bench audit install lint clean

run: ## Install, migrate, seed demo data, serve web + Celery worker + beat (embedded default).
	@PORT=$(PORT) scripts/run.sh

test: ## Start throwaway PostgreSQL and Redis, run every check and the whole suite, stop them.
	@scripts/test.sh $(ARGS)

races: ## Every concurrency and fault guarantee together (PostgreSQL, Redis, real threads and processes).
	@scripts/test.sh -m race

bench: ## Build the seed_scale data set, serve it with gunicorn, drive it with wrk, print the ratios.
	@scripts/bench.sh

audit: ## Lighthouse (pinned, Debian's Chromium, as a phone) on five pages of the demo data, and installability.
	@scripts/audit.sh

install: ## Only create/refresh the virtualenv with the test tools.
	@scripts/venv.sh dev

lint: install
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports && .venv/bin/mypy

clean:
	rm -rf .venv var staticfiles .pytest_cache .ruff_cache .hypothesis .schemathesis
