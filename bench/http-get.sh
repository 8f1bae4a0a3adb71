#!/usr/bin/env bash
# HTTP GET throughput and latency of an authenticated API read (`make bench`).
#
# Starts signetd on SQLite in a temporary data directory (port 0), creates an owner, an API key
# and one organization, then runs wrk against GET /api/v1/organizations and prints the result
# with the machine it ran on. Results are recorded in docs/PERFORMANCE.md.
#
#   bench/http-get.sh BUILD_DIR
#   WRK_ARGS='-t2 -c64 -d30s' bench/http-get.sh build     # other wrk load settings
set -euo pipefail

if (($# != 1)); then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
signetd="$(cd "$1" && pwd)/bin/signetd"
[[ -x "$signetd" ]] || { echo "bench: $signetd not found; build first (make build)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
wrk_args=${WRK_ARGS:--t2 -c32 -d15s}

work=$(mktemp -d /tmp/signet-bench.XXXXXX)
data="$work/data"
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$signetd" serve --set "data_dir=$data" --set listen=127.0.0.1:0 \
  >"$work/signetd.stdout" 2>"$work/signetd.stderr" &
pid=$!

# Wait (polling, with a deadline) for the address file signetd writes once it listens.
deadline=$((SECONDS + 60))
until [[ -s "$data/signetd.addr" ]]; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "bench: signetd exited during start:" >&2
    tail -n 30 "$work/signetd.stderr" >&2
    pid=""
    exit 1
  fi
  if ((SECONDS > deadline)); then
    echo "bench: signetd did not start within 60s" >&2
    tail -n 30 "$work/signetd.stderr" >&2
    exit 1
  fi
  sleep 0.05
done
addr=$(<"$data/signetd.addr")
base="https://$addr"

admin() { "$signetd" admin "$@" --set "data_dir=$data"; }
admin create-user --email bench@example.com --role owner --account bench >/dev/null
key=$(admin create-api-key --email bench@example.com --name bench)
curl --silent --show-error --fail --noproxy '*' --cacert "$data/ca.pem" \
  -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"name":"Bench Ltd","country":"CN","province":"Beijing","city":"Beijing","address":"1 Road","phone":"+86 10 1234 5678","department":"IT"}' \
  "$base/api/v1/organizations" >/dev/null
# One request through the same path wrk takes, so a broken set-up fails here, not as errors.
curl --silent --show-error --fail --noproxy '*' --cacert "$data/ca.pem" \
  -H "Authorization: Bearer $key" "$base/api/v1/organizations" >/dev/null

echo "== Signet HTTP GET benchmark"
echo "date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "commit:    $(git -C "$(dirname "$0")/.." rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "cpu:       $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "nproc:     $(nproc)"
echo "memory:    $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "kernel:    $(uname -sr)"
echo "database:  SQLite (WAL) in $data"
echo "request:   GET $base/api/v1/organizations (API key, 1 organization)"
echo "wrk:       wrk $wrk_args --latency"
echo

# wrk does not verify the certificate (it is signed by the run's own ca.pem).
# shellcheck disable=SC2086
wrk $wrk_args --latency -H "Authorization: Bearer $key" "$base/api/v1/organizations" |
  tee "$work/wrk.out"
if grep -q 'Non-2xx' "$work/wrk.out"; then
  echo "bench: WARNING: some responses were not 2xx; the numbers above are not valid" >&2
fi

kill -TERM "$pid"
code=0
wait "$pid" || code=$?
pid=""
if ((code != 0)); then
  echo "bench: signetd exited with code $code after SIGTERM" >&2
  tail -n 30 "$work/signetd.stderr" >&2
  exit 1
fi
