#!/usr/bin/env bash
# ACME issuance benchmark: Signet against Debian's pebble, with the same load generator.
#
# In a temporary directory, starts Knot (knotd) as the authoritative DNS server of bench.test
# (`* A 127.0.0.1`, unsigned), Debian's pebble, and signetd on SQLite; then runs
# `signet-bench acme` (full http-01 flows: newOrder, authorization, challenge, polling,
# finalize, polling, certificate download) against each, after an uncounted warm-up, and
# prints both result lines, the ratios and the machine. Results go in docs/PERFORMANCE.md.
#
# Orders/s on two shared cores is capped by the load generator, which runs on the same cores;
# the fair comparison is each server's own CPU time per order over the measured run (user +
# system time of the server process and all its threads, from /proc/<pid>/stat), printed as
# server_cpu_ms_per_order on each result line and as a ratio at the end.
#
#   bench/acme.sh BUILD_DIR [ORDERS] [CONCURRENCY]          defaults: 2000 orders, 8 workers
#
# Environment:
#   ACME_BENCH_ARGS   extra arguments for both runs of signet-bench acme (e.g. --verbose)
#   WARMUP            warm-up orders per server (default 50)
#   SIGNET_BENCH      signet-bench binary (default BUILD_DIR/bin/signet-bench)
#   SIGNETD           signetd binary (default BUILD_DIR/bin/signetd)
#   SIGNETD_SET       extra `--set key=value` words for signetd
#   ONLY              pebble or signet: run one server only
#
#   PEBBLE_CONCURRENCY  workers for pebble (default: CONCURRENCY)
#
# Debian's pebble 2.4 deadlocks under concurrent load, sooner the more authorizations it holds:
# newOrder scans every authorization (FindValidAuthorization) under the store's read lock,
# taking each authorization's lock; a request holding an authorization's lock (newOrder
# creating one, a POST-as-GET of one) then asks for the store's lock, behind a pending writer
# (finalize's AddCertificate). The load generator stops at the first request timeout; the
# script then starts a fresh pebble (a second try, then half the workers), and says which
# concurrency held.
set -euo pipefail

if (($# < 1 || $# > 3)); then
  echo "usage: $0 BUILD_DIR [ORDERS] [CONCURRENCY]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
orders=${2:-2000}
concurrency=${3:-8}
warmup=${WARMUP:-50}
bench=${SIGNET_BENCH:-$build/bin/signet-bench}
signetd=${SIGNETD:-$build/bin/signetd}
only=${ONLY:-}
read -r -a extra <<<"${ACME_BENCH_ARGS:-}"
read -r -a signetd_extra <<<"${SIGNETD_SET:-}"

[[ -x "$bench" ]] || { echo "bench: $bench not found; build first (make build)" >&2; exit 1; }
knotd=$(command -v knotd || echo /usr/sbin/knotd)
[[ -x "$knotd" ]] || { echo "bench: knotd is missing (apt-get install knot)" >&2; exit 1; }
if [[ "$only" != signet ]]; then
  command -v pebble >/dev/null || { echo "bench: pebble is missing (apt-get install pebble)" >&2; exit 1; }
fi
if [[ "$only" != pebble ]]; then
  [[ -x "$signetd" ]] || { echo "bench: $signetd not found; build first (make build)" >&2; exit 1; }
fi

work=$(mktemp -d /tmp/signet-acme-bench.XXXXXX)
pids=()
# shellcheck disable=SC2317  # called by the trap
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port free for TCP and UDP on 127.0.0.1, and not handed out before in this run.
taken=" "
free_port() {
  local port
  while :; do
    port=$(/usr/bin/python3 -c '
import socket
t = socket.socket(); t.bind(("127.0.0.1", 0)); port = t.getsockname()[1]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", port))
print(port)' 2>/dev/null) || continue
    [[ "$taken" == *" $port "* ]] && continue
    taken+="$port "
    echo "$port"
    return
  done
}

# wait_for NAME PID SECONDS COMMAND...: polls COMMAND until it succeeds, the process dies or
# the deadline passes.
wait_for() {
  local name=$1 pid=$2 deadline=$((SECONDS + $3))
  shift 3
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "bench: $name exited during start" >&2
      return 1
    fi
    if ((SECONDS > deadline)); then
      echo "bench: $name did not start in time" >&2
      return 1
    fi
    sleep 0.05
  done
}

# --- DNS: Knot, authoritative for bench.test. ----------------------------------------------
dns_port=$(free_port)
mkdir -p "$work/knot/zones" "$work/knot/db" "$work/knot/run"
cat >"$work/knot/zones/bench.test.zone" <<'EOF'
$ORIGIN bench.test.
$TTL 60
@ SOA ns.bench.test. hostmaster.bench.test. 1 3600 600 86400 1
@ NS ns.bench.test.
ns A 127.0.0.1
* A 127.0.0.1
EOF
cat >"$work/knot/knot.conf" <<EOF
server:
    rundir: "$work/knot/run"
    listen: 127.0.0.1@$dns_port
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
log:
  - target: "$work/knot/knotd.log"
    any: info
database:
    storage: "$work/knot/db"
template:
  - id: default
    storage: "$work/knot/zones"
    file: "%s.zone"
    zonefile-sync: -1
zone:
  - domain: bench.test.
EOF
"$knotd" -c "$work/knot/knot.conf" >"$work/knot/stdout" 2>&1 &
knot_pid=$!
pids+=("$knot_pid")
# shellcheck disable=SC2317  # called by wait_for
knot_answers() {
  command -v kdig >/dev/null || { sleep 1; return 0; }
  [[ "$(kdig +short +time=1 +retry=0 -p "$dns_port" @127.0.0.1 x.bench.test A)" == 127.0.0.1 ]]
}
wait_for knotd "$knot_pid" 20 knot_answers || { tail -n 20 "$work/knot/knotd.log" >&2; exit 1; }

# cpu_ticks PID: the process's user + system CPU time so far, in clock ticks (all its threads).
cpu_ticks() {
  local stat fields
  stat=$(<"/proc/$1/stat") || { echo 0; return; }
  stat=${stat##*) } # after "pid (comm) ": field 3 (state) first, so utime and stime are 12 and 13
  read -r -a fields <<<"$stat"
  echo $((fields[11] + fields[12]))
}
hz=$(getconf CLK_TCK)

# run_bench LABEL DIRECTORY HTTP_PORT CONCURRENCY SERVER_PID: the warm-up, then the measured
# run; the result line (with the server's CPU per order) goes to $work/LABEL.result, the rest to
# $work/LABEL.stderr.
run_bench() {
  local label=$1 directory=$2 port=$3 concurrency=$4 server_pid=$5 code=0 before after
  rm -f "$work/$label".*
  "$bench" acme --directory "$directory" --insecure --http-port "$port" --orders "$warmup" \
    --concurrency "$concurrency" --run-id "w$label" --request-timeout 20 \
    >"$work/$label.warmup" 2>"$work/$label.warmup.stderr" || {
    echo "bench: $label warm-up failed: $(cat "$work/$label.warmup")" >&2
    head -n 20 "$work/$label.warmup.stderr" >&2
    return 1
  }
  before=$(cpu_ticks "$server_pid")
  "$bench" acme --directory "$directory" --insecure --http-port "$port" --orders "$orders" \
    --concurrency "$concurrency" --run-id "m$label" --request-timeout 20 "${extra[@]}" \
    >"$work/$label.result" 2>"$work/$label.stderr" || code=$?
  after=$(cpu_ticks "$server_pid")
  if ((code == 0)) && [[ -s "$work/$label.result" ]]; then
    local ms
    ms=$(awk -v d=$((after - before)) -v hz="$hz" -v n="$orders" \
      'BEGIN { printf "%.2f", d * 1000 / hz / n }')
    printf '%s server_cpu_ms_per_order=%s\n' "$(<"$work/$label.result")" "$ms" >"$work/$label.result"
  fi
  cat "$work/$label.stderr" >&2
  return $code
}

rate() { sed -n 's/.*orders_per_s=\([0-9.]*\).*/\1/p' "$work/$1.result" 2>/dev/null || true; }
cpu() { sed -n 's/.*server_cpu_ms_per_order=\([0-9.]*\).*/\1/p' "$work/$1.result" 2>/dev/null || true; }

echo "== ACME issuance benchmark: Signet and pebble"
echo "date:        $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "commit:      $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "cpu:         $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "nproc:       $(nproc)"
echo "memory:      $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "kernel:      $(uname -sr)"
echo "pebble:      $(dpkg-query -W -f '${Version}' pebble 2>/dev/null || echo unknown)"
echo "load:        signet-bench acme --orders $orders --concurrency $concurrency --insecure" \
  "${extra[*]} (after $warmup warm-up orders)"
echo "dns:         knotd on 127.0.0.1:$dns_port (bench.test, * A 127.0.0.1)"
echo

status=0

# --- pebble -------------------------------------------------------------------------------
# start_pebble: a fresh pebble (new ports, empty state); sets pebble_pid, pebble_dir and
# pebble_http.
start_pebble() {
  mkdir -p "$work/pebble"
  local port management tls
  port=$(free_port)
  management=$(free_port)
  tls=$(free_port)
  pebble_http=$(free_port)
  [[ -f "$work/pebble/cert.pem" ]] ||
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
      -keyout "$work/pebble/key.pem" -out "$work/pebble/cert.pem" -subj /CN=localhost \
      -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' 2>/dev/null
  cat >"$work/pebble/pebble.json" <<EOF
{"pebble": {
  "listenAddress": "127.0.0.1:$port",
  "managementListenAddress": "127.0.0.1:$management",
  "certificate": "$work/pebble/cert.pem",
  "privateKey": "$work/pebble/key.pem",
  "httpPort": $pebble_http,
  "tlsPort": $tls,
  "ocspResponderURL": "",
  "externalAccountBindingRequired": false
}}
EOF
  # No validation sleeps, no injected badNonce errors, no authorization reuse.
  PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 \
    pebble -config "$work/pebble/pebble.json" -dnsserver "127.0.0.1:$dns_port" \
    >>"$work/pebble/pebble.log" 2>&1 &
  pebble_pid=$!
  pids+=("$pebble_pid")
  pebble_dir="https://127.0.0.1:$port/dir"
  wait_for pebble "$pebble_pid" 30 curl -sfk --noproxy '*' "$pebble_dir"
}

if [[ "$only" != signet ]]; then
  # When pebble deadlocks (the load generator stops at a request timeout), run it again, fresh:
  # once more with as many workers (the deadlock is a matter of chance), then with half as
  # many. The result is pebble's rate at the highest concurrency it survived.
  pebble_concurrency=${PEBBLE_CONCURRENCY:-$concurrency}
  tries=0
  while :; do
    tries=$((tries + 1))
    if start_pebble && run_bench pebble "$pebble_dir" "$pebble_http" "$pebble_concurrency" "$pebble_pid"; then
      break
    fi
    kill -TERM "$pebble_pid" 2>/dev/null || true
    wait "$pebble_pid" 2>/dev/null || true
    if ((pebble_concurrency > 1)) &&
      grep -qs 'timed out; stopping' "$work/pebble.warmup.stderr" "$work/pebble.stderr"; then
      if ((tries < 2)); then
        echo "bench: pebble stalled at concurrency $pebble_concurrency (its deadlock); again" >&2
      else
        echo "bench: pebble stalled twice at concurrency $pebble_concurrency (its deadlock);" \
          "again with $((pebble_concurrency / 2)) workers" >&2
        pebble_concurrency=$((pebble_concurrency / 2))
        tries=0
      fi
      continue
    fi
    status=1
    break
  done
  echo "pebble:      $(cat "$work/pebble.result" 2>/dev/null || echo FAILED)" \
    "concurrency=$pebble_concurrency"
  kill -TERM "$pebble_pid" 2>/dev/null || true
  wait "$pebble_pid" 2>/dev/null || true
fi

# --- signetd ------------------------------------------------------------------------------
if [[ "$only" != pebble ]]; then
  data="$work/signet"
  signet_http=$(free_port)
  # Optional settings only when this signetd knows them (the ACME rate limits are recent).
  known=$("$signetd" serve --help-settings 2>/dev/null || true)
  sets=(--set "data_dir=$data" --set listen=127.0.0.1:0
    --set "validation.dns_resolvers=127.0.0.1:$dns_port" --set validation.dns_trust_anchors=none
    --set "validation.http_port=$signet_http" --set validation.allow_private_addresses=true
    --set names.internal_suffixes=test --set caa.issuer_domains=signet.local --set log.level=warn)
  for s in acme.rate_limit.new_orders_per_hour=0 \
    acme.rate_limit.certificates_per_registered_domain_per_week=0; do
    if grep -q "${s%%=*}" <<<"$known"; then sets+=(--set "$s"); fi
  done
  for s in "${signetd_extra[@]}"; do sets+=(--set "$s"); done
  "$signetd" serve "${sets[@]}" >"$work/signetd.stdout" 2>"$work/signetd.stderr" &
  signetd_pid=$!
  pids+=("$signetd_pid")
  if wait_for signetd "$signetd_pid" 60 test -s "$data/signetd.addr"; then
    signet_dir="https://$(<"$data/signetd.addr")/acme/directory"
    if curl -sfk --noproxy '*' "$signet_dir" | grep -q newOrder; then
      run_bench signet "$signet_dir" "$signet_http" "$concurrency" "$signetd_pid" || status=1
    else
      echo "bench: $signet_dir has no newOrder yet" >&2
      status=1
    fi
  else
    tail -n 30 "$work/signetd.stderr" >&2
    status=1
  fi
  echo "signet:      $(cat "$work/signet.result" 2>/dev/null || echo FAILED)" \
    "concurrency=$concurrency"
  if [[ -f "$work/signet.result" ]]; then
    echo "signet db:   $(/usr/bin/python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("select count(*) from certificates").fetchone()[0], "certificates stored;",
      "journal_mode", db.execute("pragma journal_mode").fetchone()[0])' "$data/signet.db" 2>/dev/null ||
      echo unknown)"
  fi
  kill -TERM "$signetd_pid" 2>/dev/null || true
  wait "$signetd_pid" 2>/dev/null || true
fi

if [[ -z "$only" ]]; then
  p=$(rate pebble)
  s=$(rate signet)
  if [[ -n "$p" && -n "$s" ]] && awk -v p="$p" 'BEGIN { exit !(p > 0) }'; then
    echo "ratio:       $(awk -v p="$p" -v s="$s" 'BEGIN { printf "%.2f", s / p }')" \
      "(signet orders/s / pebble orders/s)"
  else
    echo "ratio:       n/a"
  fi
  p=$(cpu pebble)
  s=$(cpu signet)
  if [[ -n "$p" && -n "$s" ]] && awk -v p="$p" 'BEGIN { exit !(p > 0) }'; then
    echo "cpu ratio:   $(awk -v p="$p" -v s="$s" 'BEGIN { printf "%.2f", s / p }')" \
      "(signet's CPU ms per order $s / pebble's $p; below 1 is less work per order)"
  else
    echo "cpu ratio:   n/a"
  fi
fi
exit $status
