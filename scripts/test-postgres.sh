#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL cluster for the test suite, on 127.0.0.1 only.
# Usage: scripts/test-postgres.sh start|stop|url
# The cluster lives in a temporary folder owned by the `postgres` user (the server refuses to
# run as root, and CI runs as root); it trusts local connections and holds one database.
set -euo pipefail

PORT=${AMBASSADEURS_TEST_PG_PORT:-54329}
DIR=${AMBASSADEURS_TEST_PG_DIR:-/tmp/ambassadeurs-test-pg}
URL="postgresql+psycopg://postgres@127.0.0.1:${PORT}/ambassadeurs_test"

bindir() {
  local pg_config
  for candidate in /usr/lib/postgresql/*/bin; do pg_config=$candidate; done
  [ -n "${pg_config:-}" ] && [ -x "$pg_config/initdb" ] || {
    echo "PostgreSQL server not installed (Debian package postgresql)" >&2
    exit 1
  }
  echo "$pg_config"
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    BIN=$(bindir)
    if as_postgres "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      echo "PostgreSQL already running: $URL"
      exit 0
    fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$DIR"; fi
    as_postgres "$BIN/initdb" -D "$DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_postgres "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=200" start >/dev/null
    as_postgres "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres ambassadeurs_test
    echo "PostgreSQL started: $URL"
    ;;
  stop)
    BIN=$(bindir)
    as_postgres "$BIN/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true
    echo "PostgreSQL stopped"
    ;;
  url)
    echo "$URL"
    ;;
  *)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
