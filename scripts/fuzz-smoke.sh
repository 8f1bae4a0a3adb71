#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build (`make fuzz`; docs/FUZZING.md) on its seed corpus
# in test/fuzz/corpus/<name>/ for SECONDS each (default 5, as `make test` does), one after the
# other, and fails when any of them finds a crash, a leak, undefined behaviour or a hang.
#
#   scripts/fuzz-smoke.sh BUILD_FUZZ_DIR [SECONDS] [TARGET...]
#   scripts/fuzz-smoke.sh build-fuzz 300             # the long run: 5 minutes per target
#   scripts/fuzz-smoke.sh build-fuzz 60 fuzz_csr     # one target
#
# New inputs a target finds go to BUILD_FUZZ_DIR/corpus/<name>/ (kept between runs, so a long
# run continues where the last stopped; the seeds in the source tree are never written), a
# crashing input to BUILD_FUZZ_DIR/artifacts/<name>/, each run's output to
# BUILD_FUZZ_DIR/fuzz-logs/<name>.log.
set -euo pipefail

if (($# < 1)); then
  echo "usage: $0 BUILD_FUZZ_DIR [SECONDS] [TARGET...]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$(cd "$1" && pwd)
seconds=${2:-5}
shift $(($# >= 2 ? 2 : 1))

targets=("$@")
if ((${#targets[@]} == 0)); then
  for bin in "$build_dir"/bin/fuzz_*; do
    [[ -x "$bin" ]] && targets+=("$(basename "$bin")")
  done
fi
if ((${#targets[@]} == 0)); then
  echo "fuzz-smoke: no fuzz_* executables in $build_dir/bin; run 'make fuzz' first" >&2
  exit 1
fi

# Stack traces for UBSan findings too; abort on the first report (also set at compile time).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

failed=()
for target in "${targets[@]}"; do
  name=${target#fuzz_}
  bin="$build_dir/bin/$target"
  seeds="$root/test/fuzz/corpus/$name"
  if [[ ! -x "$bin" ]]; then
    echo "fuzz-smoke: $bin is missing; run 'make fuzz'" >&2
    failed+=("$target")
    continue
  fi
  if [[ ! -d "$seeds" ]]; then
    echo "fuzz-smoke: $target has no seed corpus $seeds" >&2
    failed+=("$target")
    continue
  fi
  work="$build_dir/corpus/$name"
  artifacts="$build_dir/artifacts/$name"
  log="$build_dir/fuzz-logs/$name.log"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  # -timeout: a single input taking this long is a hang (a request thread blocked for good).
  # Standard input is /dev/null so a forgotten passphrase prompt cannot wait on a terminal.
  status=0
  "$bin" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$work" "$seeds" </dev/null >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if ((status != 0)); then
    echo "fuzz-smoke: $target FAILED (exit $status) after ${runs:-?} runs; log: $log" >&2
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|.*deadly signal|.*Test unit written)' \
      "$log" | head -20 >&2 || true
    echo "fuzz-smoke: reproduce with: $bin $artifacts/<crash-file>" >&2
    failed+=("$target")
  else
    echo "fuzz-smoke: $target ok: ${runs:-?} runs in ${seconds}s"
  fi
done

if ((${#failed[@]} > 0)); then
  echo "fuzz-smoke: failed: ${failed[*]}" >&2
  exit 1
fi
