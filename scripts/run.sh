#!/usr/bin/env bash
# `make run`: the embedded default — SQLite, local media, a local Celery broker (no Redis),
# console e-mail — with the web server, a Celery worker and beat together. Ctrl-C stops all.
#
# The web server is gunicorn with threads (2 processes × 8 threads: 16 requests at once; most
# of a request's time waits on SQLite's write lock or the disk, which threads share well, and
# the second process keeps pages going while the other hashes a password at a sign-in).
# An idle kept-alive connection stays open 75 s (gunicorn's default is 2 s; gthread keeps idle
# connections in its poller, not in a thread): a browser or app that pauses a few seconds
# reuses its connection instead of racing the server's close — a request sent as the server
# closed its connection was lost to the client ("connection closed without response").
# `make serve-dev` (ASCEND_WEB=runserver) serves with Django's development server instead,
# which reloads on every code change.
#
# Environment: PORT (8000), SITE_URL (http://127.0.0.1:$PORT), DATABASE_URL (db.sqlite3),
# VAR_DIR (var/: broker, logs, cache), MEDIA_ROOT (media/); ASCEND_DEMO=0 skips the demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
export PORT=${PORT:-8000}
export VAR_DIR=${VAR_DIR:-$PWD/var}
export DJANGO_SETTINGS_MODULE=config.settings.local
web=${ASCEND_WEB:-gunicorn}

scripts/venv.sh run
echo "==> Migrating the database (${DATABASE_URL:-db.sqlite3})"
.venv/bin/python manage.py migrate --noinput
signins=""
if [ "${ASCEND_DEMO:-1}" != 0 ]; then
  echo "==> Loading demo data"
  signins=$(.venv/bin/python manage.py seed_demo)
fi

# Certificate PDFs carry the site's address (verification link, QR code): when this run
# serves at another one than the last, the worker renders them again. (Runs that kept no
# record linked to port 8000 whatever PORT said.)
mkdir -p "$VAR_DIR/log"
site_url=${SITE_URL:-http://127.0.0.1:$PORT}
site_url=${site_url%/}
previous=$(cat "$VAR_DIR/site_url" 2>/dev/null || echo "http://127.0.0.1:8000")
if [ "$previous" != "$site_url" ]; then
  echo "==> The site moved from $previous to $site_url: rendering certificates again"
  .venv/bin/python manage.py certificates_render_again
fi
echo "$site_url" >"$VAR_DIR/site_url"
: >"$VAR_DIR/log/mail.log"
pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "==> Stopping web, worker and beat"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # Give them 10 s for a warm shutdown, then make sure nothing is left behind.
  for _ in $(seq 100); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 >"$VAR_DIR/log/worker.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO --pidfile= >"$VAR_DIR/log/beat.log" 2>&1 &
pids+=($!)
if [ "$web" = runserver ]; then
  .venv/bin/python manage.py runserver "127.0.0.1:$PORT" &
else
  # One access line per request: time, request, status, bytes, milliseconds. Static files
  # come from static/ through WhiteNoise, uploads from media/ (config/urls.py, DEBUG).
  .venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --worker-class gthread --workers 2 --threads 8 \
    --keep-alive 75 --no-control-socket --graceful-timeout 5 --access-logfile - --access-logformat '%(t)s "%(r)s" %(s)s %(b)s %(M)sms' &
fi
pids+=($!)
# One line per e-mail sent (recipient, subject, code or link), written by the worker's
# delivery backend (core.mail.ConsoleSummaryEmailBackend): a newcomer's sign-up code shows
# here, the worker log keeps the full message.
tail -n 0 -F "$VAR_DIR/log/mail.log" 2>/dev/null > >(while IFS= read -r line; do printf '[mail] %s\n' "$line"; done) &
pids+=($!)

logs=${VAR_DIR#"$PWD"/}/log
cat <<MSG

  Ascend is running at http://127.0.0.1:$PORT
  Admin:        http://127.0.0.1:$PORT/admin/
  API docs:     http://127.0.0.1:$PORT/api/docs/
  Links in e-mails, certificates and calendar feeds: $site_url
  Worker/beat logs: $logs/worker.log, $logs/beat.log — e-mails are printed in full in the worker log;
  each one also shows below as a line starting with [mail] (recipient, subject, code or link).

$signins

  Press Ctrl-C to stop.

MSG
wait -n "${pids[@]}"
