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
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

# --- Python -------------------------------------------------------------------------------
log "Python packages"
scripts/venv.sh dev
PY=.venv/bin/python

# --- Throwaway services -------------------------------------------------------------------
services_start ascend-test

export DJANGO_SETTINGS_MODULE=config.settings.test
export ASCEND_REQUIRE_SERVICES=1   # tests needing Redis, Chromium, S3 … fail instead of skipping
export CHROMIUM_PATH=${CHROMIUM_PATH:-$(command -v chromium)}

# Python writes the bytecode of what it imports (into __pycache__, ignored by git), so each
# later process — the checks, both pytest runs, the servers, workers and CLIs the tests
# start — loads the project and the rewritten test modules instead of compiling them again
# (an environment may set PYTHONDONTWRITEBYTECODE: then collecting the suite alone cost
# ~17 s of CPU instead of ~7 s).
unset PYTHONDONTWRITEBYTECODE

# --- The second run, beside everything else -------------------------------------------------
# The whole suite is two pytest runs at once, each with its own test database and Redis
# database (neither sees the other's rows, cache or queue): this one takes the schemathesis
# runs (about 7 minutes: its own live server and CLI), the browser tests of tests/ (about 5
# minutes: every main page for every role of the demo) and the embedded default's test
# (about 1.5 minutes: `make run` on SQLite with sixteen members writing at once, which needs
# neither the test database nor Redis), the main run below takes every other test. Together
# they keep both cores busy to the end; with schemathesis alone here, the main run went on
# alone for its last ten minutes. It starts before the checks, which use one core. Both runs
# must pass; every test runs in exactly one of them (and SQLITE_TOO's once more, on SQLite).
BESIDE=(tests/test_schemathesis.py tests/test_*browser.py tests/test_embedded_default.py)
# Tests of the pages whose reads are written for PostgreSQL, run once more on SQLite.
SQLITE_TOO=(tests/test_compiled_reads.py tests/test_page_chrome.py learning/tests/test_player_cache.py
  learning/tests/test_player_enrollment_read.py learning/tests/test_player_markup.py)
beside_pid=
if [ "$#" -eq 0 ]; then
  log "schemathesis and the browser tests of tests/ run beside the rest (output: $WORK/beside.log)"
  # In its own process group (setsid): stopping it stops what it started too (the
  # schemathesis CLI, Chromium), not only pytest.
  DATABASE_URL="${DATABASE_URL%/*}/ascend_beside" REDIS_URL="${REDIS_URL%/*}/7" \
    setsid -w .venv/bin/pytest -p no:cacheprovider --durations=10 --basetemp="$WORK/pytest-beside" \
    --output="$WORK/playwright-beside" "${BESIDE[@]}" >"$WORK/beside.log" 2>&1 &
  beside_pid=$!
  # A failed check stops the script: stop this run with it (before the services go).
  SERVICES_CLEANUP_HOOK=stop_beside
fi
stop_beside() {
  if [ -n "$beside_pid" ]; then
    kill -TERM -- "-$beside_pid" 2>/dev/null || kill -TERM "$beside_pid" 2>/dev/null || true
    wait "$beside_pid" 2>/dev/null || true
  fi
}

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
# The whole suite: every test but those of the run beside (started above), then wait for it.
ignore=()
for path in "${BESIDE[@]}"; do ignore+=(--ignore="$path"); done
set +e
.venv/bin/pytest -p no:cacheprovider --durations=25 --basetemp="$WORK/pytest" --output="$WORK/playwright" "${ignore[@]}"
main_rc=$?
# The pages whose reads are written for PostgreSQL (compiled, prepared, arrays) once more on
# SQLite, the embedded default of `make run`: a read that only PostgreSQL understands fails here.
log "the pages' own reads on SQLite (the embedded default)"
DATABASE_URL="sqlite:///$WORK/embedded-default.sqlite3" .venv/bin/pytest -p no:cacheprovider -q -m "not browser" \
  --basetemp="$WORK/pytest-sqlite" "${SQLITE_TOO[@]}"
sqlite_rc=$?
[ "$main_rc" = 0 ] && main_rc=$sqlite_rc
wait "$beside_pid"
beside_rc=$?
beside_pid=
set -e
log "schemathesis and the browser tests of tests/ (exit $beside_rc)"
cat "$WORK/beside.log"
[ "$main_rc" = 0 ] && [ "$beside_rc" = 0 ]
