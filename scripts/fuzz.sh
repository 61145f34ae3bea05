#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for SECONDS each (default 30: the short run of
# `make test`; `make fuzz` runs 600), then prints executions and crashes per target and fails
# on any crash. A crash's input is kept in $FUZZ_DIR/artifacts/<target>/ and reproduced with
# `cargo fuzz run <target> <that file>` (same flags as below).
#
# Stable Rust only: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags to the stable compiler.
# No sanitizer (the code forbids `unsafe`; a panic or a failed assertion is what is looked for),
# with debug assertions on, so an arithmetic overflow is a crash too.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
fuzz_dir=${FUZZ_DIR:-$PWD/target/fuzz}
export RUSTC_BOOTSTRAP=1
flags=(--sanitizer none --debug-assertions --target-dir "$fuzz_dir/build")
# The short run builds the targets unoptimised (FUZZ_PROFILE=dev, `make fuzz-smoke`): cargo-fuzz's
# optimised build (one codegen unit a crate) took 9.5 minutes of `make test` on 2 cores, for
# a run of 30 s a target; the long run (`make fuzz`) keeps the optimised build, many times the
# executions a second.
[ "${FUZZ_PROFILE:-release}" = dev ] && flags+=(--dev)

targets=$(cd fuzz && cargo fuzz list)
(cd fuzz && cargo fuzz build "${flags[@]}" >&2)

failed=0
report=()
for target in $targets; do
  corpus="$fuzz_dir/corpus/$target"
  artifacts="$fuzz_dir/artifacts/$target/"
  mkdir -p "$corpus" "$artifacts"
  # The committed seeds start the corpus; what the fuzzer learns stays outside the tree.
  [ -d "fuzz/seeds/$target" ] && cp -n fuzz/seeds/"$target"/* "$corpus"/ 2>/dev/null || true
  log="$fuzz_dir/$target.log"
  # Crash inputs of earlier runs stay for reproducing them; only this run's count.
  started="$fuzz_dir/$target.started"
  touch "$started"
  set +e
  (cd fuzz && cargo fuzz run "${flags[@]}" "$target" "$corpus" -- \
    -max_total_time="$seconds" -artifact_prefix="$artifacts" -print_final_stats=1 \
    -max_len=8192 -timeout=10 -rss_limit_mb=2048) >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -n 1)
  crashes=$(find "$artifacts" -type f -newer "$started" | wc -l)
  if [ $rc -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
  report+=("$(printf '%-20s %8ss %12s %8s' "$target" "$seconds" "${runs:-?}" "$crashes")")
  if [ "$crashes" -ne 0 ]; then
    failed=1
    echo "fuzz: $target crashed; its log: $log; inputs: $artifacts" >&2
    grep -E 'panicked at|SUMMARY|Test unit written' "$log" | head -n 5 >&2 || true
  fi
done

printf '%-20s %9s %12s %8s\n' target time executions crashes
printf '%s\n' "${report[@]}"
if [ $failed -ne 0 ]; then
  echo "fuzz: crashes found (see above)" >&2
  exit 1
fi
echo "fuzz: 0 crashes"
