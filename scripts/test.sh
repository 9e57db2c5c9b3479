#!/usr/bin/env bash
# `make test`: install what is needed, start throwaway PostgreSQL and Redis on free
# loopback ports, run every check and the whole suite against them, and stop what was
# started — on success, failure or Ctrl-C. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

log() { printf '\n==> %s\n' "$*"; }

# --- System packages ----------------------------------------------------------------------
# shellcheck source=scripts/services.sh
source scripts/services.sh
system_packages_ensure redis-server chromium poppler-utils fonts-ebgaramond fonts-dancingscript \
  libpango-1.0-0 libpangoft2-1.0-0

# --- Python -------------------------------------------------------------------------------
log "Python packages"
scripts/venv.sh dev
PY=.venv/bin/python

# --- Throwaway services -------------------------------------------------------------------
services_start ascend-test

export DJANGO_SETTINGS_MODULE=config.settings.test
export ASCEND_REQUIRE_SERVICES=1   # tests needing Redis, Chromium, S3 … fail instead of skipping
export CHROMIUM_PATH=${CHROMIUM_PATH:-$(command -v chromium)}

# --- Checks -------------------------------------------------------------------------------
log "Django system checks"
"$PY" manage.py check --fail-level WARNING
log "Production settings pass the deployment checklist"
DJANGO_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  "$PY" manage.py check --deploy --fail-level WARNING --settings=config.settings.production
log "Migrations match the models"
"$PY" manage.py makemigrations --check --dry-run
log "OpenAPI schema validates"
"$PY" manage.py spectacular --file "$WORK/schema.yaml" --validate --fail-on-warn
log "Layer contracts (import-linter)"
.venv/bin/lint-imports
log "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
log "mypy (django-stubs, djangorestframework-stubs; cache in var/mypy)"
.venv/bin/mypy

# --- Tests --------------------------------------------------------------------------------
log "pytest (PostgreSQL, Redis, Celery worker, Chromium, S3 via moto)"
# pytest exits 5 when it collected no test: set -e makes that a failure, as it should be.
# --durations: the slowest tests in every run's output, to keep the suite's time in view.
if [ "$#" -gt 0 ]; then
  .venv/bin/pytest -p no:cacheprovider --durations=25 --basetemp="$WORK/pytest" --output="$WORK/playwright" "$@"
  exit
fi
# The whole suite: the schemathesis runs (about half of its time, mostly waiting on their own
# live server and CLI process) go beside the rest, in a second pytest with its own test database
# and Redis database, so neither sees the other's rows, cache or queue. Both must pass.
log "schemathesis runs beside the rest (output: $WORK/schemathesis.log)"
DATABASE_URL="${DATABASE_URL%/*}/ascend_schema" REDIS_URL="${REDIS_URL%/*}/7" \
  .venv/bin/pytest -p no:cacheprovider --durations=5 --basetemp="$WORK/pytest-schema" -m schemathesis \
  >"$WORK/schemathesis.log" 2>&1 &
schema_pid=$!
set +e
.venv/bin/pytest -p no:cacheprovider --durations=25 --basetemp="$WORK/pytest" --output="$WORK/playwright" \
  -m "not schemathesis"
main_rc=$?
wait "$schema_pid"
schema_rc=$?
set -e
log "schemathesis (exit $schema_rc)"
cat "$WORK/schemathesis.log"
[ "$main_rc" = 0 ] && [ "$schema_rc" = 0 ]
