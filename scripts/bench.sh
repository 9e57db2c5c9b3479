#!/usr/bin/env bash
# `make bench`: build the seed_scale data set on throwaway PostgreSQL and Redis, serve it with
# gunicorn (production settings, DEBUG off), drive it with wrk from a second process and
# print the table of ratios (bench/run.py); stop what was started. BENCH_FACTOR scales the
# data set down (e.g. 0.1 for a quick look); BENCH_SECONDS sets each wrk run's length.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

# shellcheck source=scripts/services.sh
source scripts/services.sh
system_packages_ensure wrk redis-server fonts-ebgaramond fonts-dancingscript libpango-1.0-0 libpangoft2-1.0-0

log "Python packages"
scripts/venv.sh run
PY=.venv/bin/python

stop_gunicorn() { [ -f "$WORK/gunicorn.pid" ] && kill "$(cat "$WORK/gunicorn.pid")" 2>/dev/null; return 0; }
SERVICES_CLEANUP_HOOK=stop_gunicorn
PG_EXTRA_OPTIONS="-c shared_buffers=512MB -c work_mem=16MB"
services_start ascend-bench

export DJANGO_SETTINGS_MODULE=config.settings.production
DJANGO_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_SECRET_KEY
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=false   # plain HTTP on loopback
export ASCEND_BENCH=1                     # the floor endpoint
export API_WRITE_RATE=100000000/min       # the save benchmark writes far faster than a person
export EMAIL_URL=dummymail://             # badge e-mails of the sweep go nowhere
export STATIC_ROOT="$WORK/static"
export MEDIA_ROOT="$WORK/media"

log "Migrate"
"$PY" manage.py migrate --no-input -v 0
log "Static files"
"$PY" manage.py collectstatic --no-input -v 0
log "seed_scale ${BENCH_FACTOR:+(factor $BENCH_FACTOR)}"
"$PY" manage.py seed_scale ${BENCH_FACTOR:+--factor "$BENCH_FACTOR"}
"$PGBIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres ascend -c "VACUUM ANALYZE" >/dev/null

PORT=$(free_port)
log "gunicorn on 127.0.0.1:$PORT (3 workers)"
.venv/bin/gunicorn config.wsgi --workers 3 --bind "127.0.0.1:$PORT" --pid "$WORK/gunicorn.pid" \
  --daemon --error-logfile "$WORK/gunicorn.log"
"$PY" -c "import sys, time, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=2); break
    except OSError:
        time.sleep(0.2)" "http://127.0.0.1:$PORT/health/"

log "Benchmarks"
"$PY" bench/run.py --base-url "http://127.0.0.1:$PORT" --seconds "${BENCH_SECONDS:-10}" --out var/bench/latest.md
