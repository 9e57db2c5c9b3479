# Ascend — the two commands (see README.md).
SHELL := /bin/bash
PORT ?= 8000

.PHONY: run serve-dev test races bench audit install lint clean help

run: ## Install, migrate, seed demo data, serve web (gunicorn) + Celery worker + beat (embedded default).
	@PORT=$(PORT) scripts/run.sh

serve-dev: ## The same with Django's development server, which reloads on code changes (web only).
	@PORT=$(PORT) ASCEND_WEB=runserver scripts/run.sh

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

lint: install ## ruff, import-linter and mypy.
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports && .venv/bin/mypy

clean: ## Remove the virtualenv and everything the runs left (var/, staticfiles/, caches).
	rm -rf .venv var staticfiles .pytest_cache .ruff_cache .hypothesis .schemathesis

help: ## This list.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12
