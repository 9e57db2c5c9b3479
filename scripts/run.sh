#!/usr/bin/env bash
# `make run`: the embedded default — SQLite, local media, a local Celery broker (no Redis),
# console e-mail — with the web server, a Celery worker and beat together. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
export DJANGO_SETTINGS_MODULE=config.settings.local

scripts/venv.sh run
echo "==> Migrating the database (db.sqlite3)"
.venv/bin/python manage.py migrate --noinput
echo "==> Loading demo data"
signins=$(.venv/bin/python manage.py seed_demo)

mkdir -p var/log
: >var/log/mail.log
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

.venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO --pidfile= >var/log/beat.log 2>&1 &
pids+=($!)
.venv/bin/python manage.py runserver "127.0.0.1:$PORT" --noreload &
pids+=($!)
# One line per e-mail sent (recipient, subject, code or link), written by the worker's
# delivery backend (core.mail.ConsoleSummaryEmailBackend): a newcomer's sign-up code shows
# here, the worker log keeps the full message.
tail -n 0 -F var/log/mail.log 2>/dev/null > >(while IFS= read -r line; do printf '[mail] %s\n' "$line"; done) &
pids+=($!)

cat <<MSG

  Ascend is running at http://127.0.0.1:$PORT
  Admin:        http://127.0.0.1:$PORT/admin/
  API docs:     http://127.0.0.1:$PORT/api/docs/
  Worker/beat logs: var/log/worker.log, var/log/beat.log — e-mails are printed in full in the worker log;
  each one also shows below as a line starting with [mail] (recipient, subject, code or link).

$signins

  Press Ctrl-C to stop.

MSG
wait -n "${pids[@]}"
