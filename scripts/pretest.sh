#!/usr/bin/env bash
# `npm test` runs this first (npm's `pretest`): it provisions what the suite needs on a fresh machine, or
# stops with the exact command to run.
#   - Chromium for the browser test: CHROMIUM_PATH, else /usr/bin/chromium; when missing, Debian's
#     `chromium` package is installed with apt-get (as root, or through passwordless sudo).
#   - PostgreSQL for the integration tests (TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test):
#     a stopped local cluster is started with pg_ctlcluster. The suite never skips PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
PG_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

say() { printf 'pretest: %s\n' "$*"; }
fail() {
  printf '\npretest: %s\n' "$1" >&2
  shift
  for line in "$@"; do printf '    %s\n' "$line" >&2; done
  printf '\n' >&2
  exit 1
}

# Runs a command as root: directly, or through sudo when that needs no password. Returns 126 otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else return 126
  fi
}

# --- Chromium ---------------------------------------------------------------------------------------
if [ -x "$CHROMIUM" ]; then
  say "chromium: $CHROMIUM"
elif [ -n "${CHROMIUM_PATH:-}" ]; then
  fail "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file." "Point CHROMIUM_PATH at a Chromium or Chrome binary, or unset it to use Debian's /usr/bin/chromium."
elif ! command -v apt-get >/dev/null 2>&1; then
  fail "The browser test needs Chromium at /usr/bin/chromium and this system has no apt-get." \
    "Install Chromium with your package manager, then run:  CHROMIUM_PATH=/path/to/chromium npm test"
else
  say "chromium: not found, installing Debian's chromium package"
  status=0
  as_root env DEBIAN_FRONTEND=noninteractive sh -c 'apt-get update -qq && apt-get install -y -qq chromium >/dev/null' || status=$?
  if [ "$status" = 126 ]; then
    fail "The browser test needs Chromium, and installing it needs root. Run:" "sudo apt-get update && sudo apt-get install -y chromium"
  elif [ "$status" != 0 ]; then
    fail "Installing chromium failed (apt-get exit $status: no network or no package?). Install it, then run npm test again:" \
      "sudo apt-get update && sudo apt-get install -y chromium"
  elif [ ! -x "$CHROMIUM" ]; then
    fail "The chromium package is installed but $CHROMIUM is not there. Run with the browser's path:" \
      "CHROMIUM_PATH=\$(command -v chromium) npm test"
  fi
  say "chromium: installed at $CHROMIUM"
fi

# --- PostgreSQL -------------------------------------------------------------------------------------
# Connects and runs `select 1` with the same driver the tests use.
pg_ready() {
  TEST_POSTGRES_URL="$PG_URL" node -e '
    const pg = require("pg")
    const client = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 })
    client.connect().then(() => client.query("select 1")).then(() => client.end()).then(
      () => process.exit(0),
      () => process.exit(1),
    )' 2>/dev/null
}

pg_host="$(node -e 'try { console.log(new URL(process.argv[1]).hostname) } catch { console.log("") }' "$PG_URL")"
if pg_ready; then
  say "postgresql: reachable at $PG_URL"
else
  case "$pg_host" in 127.0.0.1 | localhost | "[::1]" | "") is_local=1 ;; *) is_local=0 ;; esac
  if [ "$is_local" = 1 ] && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    version="$(ls /etc/postgresql | sort -V | tail -1)"
    say "postgresql: not reachable, starting the local cluster $version/main"
    status=0
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || status=$?
    if [ "$status" = 126 ]; then
      fail "PostgreSQL is installed but stopped, and starting it needs root. Run:" \
        "sudo pg_ctlcluster --skip-systemctl-redirect $version main start"
    fi
    # A failed start (say, the cluster was running and the URL is wrong) has nothing to wait for.
    if [ "$status" = 0 ]; then for _ in $(seq 1 30); do pg_ready && break; sleep 1; done; fi
  fi
  pg_ready || fail "PostgreSQL is not reachable at $PG_URL; the integration tests run on SQLite AND PostgreSQL and never skip it." \
    "Debian:  sudo apt-get install -y postgresql && sudo pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql | tail -1) main start" \
    "The tests connect as user postgres without a password (trust) to database test; or set TEST_POSTGRES_URL=postgres://user:pass@host:5432/db"
  say "postgresql: reachable at $PG_URL"
fi
