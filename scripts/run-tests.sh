#!/usr/bin/env bash
# Runs every test (`make test`): starts a throwaway PostgreSQL for the whole run (Debian's
# `postgresql` package, in a temporary directory, Unix socket only), then ctest: the unit tests
# (storage tests against SQLite and PostgreSQL) and the integration tests in test/integration/,
# which start the real signetd. PostgreSQL is always stopped again; the exit status is ctest's.
#
#   scripts/run-tests.sh BUILD_DIR [extra ctest arguments, e.g. -R integration -V]
set -euo pipefail

if (($# < 1)); then
  echo "usage: $0 BUILD_DIR [ctest arguments...]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$(cd "$1" && pwd)
shift

# A short path under /tmp: the socket path must fit in 107 bytes, and when running as root the
# directory is handed to the postgres user, who must be able to reach it.
pg_dir=$(mktemp -d /tmp/signet-pg.XXXXXX)
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
  /usr/bin/python3 "$root/test/integration/pg_cluster.py" stop "$pg_dir" ||
    echo "run-tests: stopping PostgreSQL in $pg_dir failed" >&2
  rm -rf "$pg_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

url=$(/usr/bin/python3 "$root/test/integration/pg_cluster.py" start "$pg_dir")
echo "run-tests: PostgreSQL for this run: $url"
export SIGNET_TEST_POSTGRES_URL="$url"

status=0
ctest --test-dir "$build_dir" --output-on-failure -j2 --timeout 900 "$@" || status=$?
exit "$status"
