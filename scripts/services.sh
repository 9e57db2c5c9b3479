# What scripts/test.sh and scripts/bench.sh share (sourced; they define log()):
# - `system_packages_ensure PKG…`: installs the missing Debian packages (as root; otherwise
#   says which are missing and stops) and PostgreSQL if there is none; sets PGBIN.
# - `services_start PREFIX` (needs PY and PGBIN): throwaway PostgreSQL and Redis on free
#   loopback ports in $WORK, removed again at exit with both servers stopped; exports
#   DATABASE_URL and REDIS_URL. Extra PostgreSQL settings go in PG_EXTRA_OPTIONS.

system_packages_ensure() {
  local need=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
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
}

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

SERVICES_CLEANUP_HOOK=${SERVICES_CLEANUP_HOOK:-}

services_cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$SERVICES_CLEANUP_HOOK" ]; then "$SERVICES_CLEANUP_HOOK" || true; fi
  if [ -f "$WORK/redis.pid" ]; then kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true; fi
  if [ -f "$WORK/pg/data/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
  exit $status
}

services_start() {
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  chmod 755 "$WORK"
  trap services_cleanup EXIT
  trap 'exit 130' INT TERM

  PG_PORT=$(free_port)
  log "PostgreSQL on 127.0.0.1:$PG_PORT"
  mkdir -p "$WORK/pg/sock"
  [ "$(id -u)" = 0 ] && chown -R postgres "$WORK/pg"
  as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; exit 1; }
  as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $WORK/pg/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${PG_EXTRA_OPTIONS:-}" \
    start >/dev/null || { cat "$WORK/pg/server.log" >&2; exit 1; }
  "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres ascend

  REDIS_PORT=$(free_port)
  log "Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --pidfile "$WORK/redis.pid" \
    --dir "$WORK" --save '' --appendonly no --logfile "$WORK/redis.log"
  for _ in $(seq 50); do [ -s "$WORK/redis.pid" ] && break; sleep 0.1; done

  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/ascend"
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
}
