#!/usr/bin/env bash
# `make test`: install what is needed, start throwaway PostgreSQL and Redis on free
# loopback ports, run every check and the whole suite against them, and stop what was
# started — on success, failure or Ctrl-C. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

log() { printf '\n==> %s\n' "$*"; }

# --- System packages ----------------------------------------------------------------------
need=()
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in redis-server chromium poppler-utils fonts-ebgaramond fonts-dancingscript libpango-1.0-0 libpangoft2-1.0-0; do
  installed "$pkg" || need+=("$pkg")
done
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "${PGBIN:-}/initdb" ] || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "Installing system packages: ${need[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --no-upgrade "${need[@]}" >/dev/null
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  else
    echo "Missing system packages: ${need[*]} (run as root once, or apt-get install them)." >&2
    exit 1
  fi
fi

# --- Python -------------------------------------------------------------------------------
log "Python packages"
scripts/venv.sh dev
PY=.venv/bin/python

# --- Throwaway services -------------------------------------------------------------------
WORK=$(mktemp -d /tmp/ascend-test.XXXXXX)
chmod 755 "$WORK"
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -f "$WORK/redis.pid" ]; then kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true; fi
  if [ -f "$WORK/pg/data/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PG_PORT=$(free_port)
log "PostgreSQL on 127.0.0.1:$PG_PORT"
mkdir -p "$WORK/pg/sock"
[ "$(id -u)" = 0 ] && chown -R postgres "$WORK/pg"
as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; exit 1; }
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w -t 60 \
  -o "-p $PG_PORT -k $WORK/pg/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$WORK/pg/server.log" >&2; exit 1; }
"$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres ascend

REDIS_PORT=$(free_port)
log "Redis on 127.0.0.1:$REDIS_PORT"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --pidfile "$WORK/redis.pid" \
  --dir "$WORK" --save '' --appendonly no --logfile "$WORK/redis.log"
for _ in $(seq 50); do [ -s "$WORK/redis.pid" ] && break; sleep 0.1; done

export DJANGO_SETTINGS_MODULE=config.settings.test
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/ascend"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
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

# --- Tests --------------------------------------------------------------------------------
log "pytest (PostgreSQL, Redis, Celery worker, Chromium, S3 via moto)"
# pytest exits 5 when it collected no test: set -e makes that a failure, as it should be.
.venv/bin/pytest -p no:cacheprovider --basetemp="$WORK/pytest" --output="$WORK/playwright" "$@"
