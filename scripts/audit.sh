#!/usr/bin/env bash
# `make audit`: Lighthouse (pinned below, installed into var/audit/node_modules) with Debian's
# Chromium on the home page, the catalog, the dashboard, the habit list and a lesson, as a
# phone, signed in as the demo learner where needed; then Chromium's own installability
# check. The site is served by gunicorn with production settings (DEBUG off, hashed and
# compressed static files; public media through scripts/audit_wsgi.py, as S3 or a proxy
# would) from a throwaway SQLite database with the demo data, removed again at exit. AUDIT_RUNS sets the Lighthouse runs per page (median, default 3);
# AUDIT_TARGET the score every category must reach (95). Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

LIGHTHOUSE_VERSION=12.2.3
log() { printf '\n==> %s\n' "$*"; }

export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
[ -x "$CHROME_PATH" ] || { echo "Chromium not found at $CHROME_PATH (apt-get install chromium, or set CHROME_PATH)." >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is missing (apt-get install npm)." >&2; exit 1; }

log "Python packages"
scripts/venv.sh dev
PY=.venv/bin/python

log "Lighthouse $LIGHTHOUSE_VERSION"
LH_DIR=var/audit
installed=$(node -p "require('./$LH_DIR/node_modules/lighthouse/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$LIGHTHOUSE_VERSION" ]; then
  mkdir -p "$LH_DIR"
  npm install --prefix "$LH_DIR" --save-exact --no-audit --no-fund --loglevel=error "lighthouse@$LIGHTHOUSE_VERSION"
fi

WORK=$(mktemp -d /tmp/ascend-audit.XXXXXX)
stop() {
  local status=$?
  trap - EXIT INT TERM
  [ -f "$WORK/gunicorn.pid" ] && kill "$(cat "$WORK/gunicorn.pid")" 2>/dev/null
  rm -rf "$WORK"
  exit $status
}
trap stop EXIT
trap 'exit 130' INT TERM

export DJANGO_SETTINGS_MODULE=config.settings.production
DJANGO_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_SECRET_KEY
export DATABASE_URL="sqlite:///$WORK/audit.sqlite3"
export REDIS_URL=""
export CELERY_BROKER_URL=memory:// CELERY_RESULT_BACKEND=cache+memory://
export CELERY_TASK_ALWAYS_EAGER=true      # the demo data's follow-up work is done at once
export EMAIL_URL=dummymail://
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=false   # plain HTTP on loopback (a secure context all the same)
export STATIC_ROOT="$WORK/static"
export MEDIA_ROOT="$WORK/media"

log "Demo data in a throwaway database"
{ "$PY" manage.py migrate --no-input -v 0 && "$PY" manage.py collectstatic --no-input -v 0 && "$PY" manage.py seed_demo; } \
  >"$WORK/setup.log" 2>&1 || { tail -n 40 "$WORK/setup.log" >&2; exit 1; }

PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
log "gunicorn on 127.0.0.1:$PORT"
.venv/bin/gunicorn --pythonpath scripts audit_wsgi --workers 2 --bind "127.0.0.1:$PORT" --pid "$WORK/gunicorn.pid" \
  --daemon --error-logfile "$WORK/gunicorn.log"
"$PY" -c "import sys, time, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=2); break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit('gunicorn did not answer')" "http://127.0.0.1:$PORT/health/"

log "Lighthouse (mobile) and installability"
"$PY" scripts/audit.py --base-url "http://127.0.0.1:$PORT" --lighthouse "$LH_DIR/node_modules/lighthouse/cli/index.js" \
  --runs "${AUDIT_RUNS:-3}" --target "${AUDIT_TARGET:-95}" --out var/audit/latest.md
