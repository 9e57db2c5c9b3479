#!/usr/bin/env bash
# `make bench`: build the seed_scale data set at each size of BENCH_FACTORS (default "0.1 1",
# smallest first) in its own database, measure each with bench/run.py (which serves it with
# gunicorn, production settings, and drives it with wrk from a second process), then print
# the table of ratios with each measure's cost at the largest size ÷ at the smallest.
# Throwaway PostgreSQL and Redis are started and removed, unless BENCH_DATABASE_URL (a
# PostgreSQL server and a database name to prefix, e.g. postgres://postgres@127.0.0.1:5432/bench)
# and BENCH_REDIS_URL name running ones (that Redis database is emptied before each size).
# BENCH_SECONDS sets each wrk run (10 s).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

# shellcheck source=scripts/services.sh
source scripts/services.sh
system_packages_ensure wrk redis-server fonts-ebgaramond fonts-dancingscript libpango-1.0-0 libpangoft2-1.0-0 \
  libharfbuzz-subset0  # WeasyPrint subsets the fonts with it, three times faster than its fontTools fallback

log "Python packages"
scripts/venv.sh run
PY=.venv/bin/python

if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  WORK=$(mktemp -d /tmp/ascend-bench.XXXXXX)
  trap 'rm -rf "$WORK"' EXIT
  DATABASE_BASE_URL=$BENCH_DATABASE_URL
  export REDIS_URL=${BENCH_REDIS_URL:?BENCH_REDIS_URL goes with BENCH_DATABASE_URL}
  # The throwaway server below gets 512 MB of shared buffers: with PostgreSQL's default
  # 128 MB the full size reads from the OS cache, and the size comparison measures that.
  "$PY" - "$DATABASE_BASE_URL" <<'PYTHON'
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg

parts = urlsplit(sys.argv[1])
with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
    pages = int(connection.execute("SELECT setting FROM pg_settings WHERE name = 'shared_buffers'").fetchone()[0])
if pages * 8192 < 512 * 1024 * 1024:
    print(f"Note: this server has {pages * 8 // 1024} MB of shared buffers, make bench's own has 512 MB:"
          " the full size may read slower than it would there.")
PYTHON
else
  PG_EXTRA_OPTIONS="-c shared_buffers=512MB -c work_mem=16MB"
  services_start ascend-bench
  DATABASE_BASE_URL=$DATABASE_URL
fi

export DJANGO_SETTINGS_MODULE=config.settings.production
DJANGO_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_SECRET_KEY
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=false   # plain HTTP on loopback
export ASCEND_BENCH=1                     # the floor endpoint and page
export API_WRITE_RATE=100000000/min       # the save benchmark writes far faster than a person
export EMAIL_URL=dummymail://             # badge e-mails of the sweep go nowhere
export STATIC_ROOT="$WORK/static"
export MEDIA_ROOT="$WORK/media"

# A fresh database per size, named after the base URL's database and the factor.
database_fresh() {
  "$PY" - "$DATABASE_BASE_URL" "$1" <<'PYTHON'
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg

base, factor = sys.argv[1], sys.argv[2]
parts = urlsplit(base)
name = f"{parts.path.lstrip('/') or 'ascend'}_{factor.replace('.', '_')}"
with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.execute(f'CREATE DATABASE "{name}"')
print(urlunsplit(parts._replace(path=f"/{name}")))
PYTHON
}

log "Static files"
"$PY" manage.py collectstatic --no-input -v 0

runs=()
for factor in ${BENCH_FACTORS:-0.1 1}; do
  DATABASE_URL=$(database_fresh "$factor")
  export DATABASE_URL
  log "Factor $factor: migrate, seed_scale"
  # A fresh cache too: a page or list cached from the other size must never be served.
  "$PY" -c "import sys, redis; redis.Redis.from_url(sys.argv[1]).flushdb()" "$REDIS_URL"
  "$PY" manage.py migrate --no-input -v 0
  "$PY" manage.py seed_scale --factor "$factor"
  "$PY" -c "import sys, psycopg; psycopg.connect(sys.argv[1], autocommit=True).execute('VACUUM ANALYZE')" "$DATABASE_URL"
  log "Factor $factor: benchmarks"
  "$PY" bench/run.py measure --factor "$factor" --seconds "${BENCH_SECONDS:-10}" --json "var/bench/factor-$factor.json"
  runs+=("var/bench/factor-$factor.json")
done

log "Table"
"$PY" bench/run.py table "${runs[@]}" --out var/bench/latest.md
