#!/usr/bin/env bash
# Long run of the decoder property tests (crates/chat-agent-api/tests/decode_props.rs): builds them
# in release, then runs them again and again, each time with fresh random seeds, until the time is
# up; prints how many cases ran and how many properties failed.
#
# Usage: scripts/fuzz-decoder.sh [SECONDS]        (default 600)
# Knobs: FUZZ_CASES_PER_RUN  cases per property in one run (default 20000)
#        CARGO_TARGET_DIR    where to build (as for cargo)
# A failing property is shrunk by proptest, printed, and its seed saved in
# crates/chat-agent-api/tests/decode_props.proptest-regressions, which the ordinary `cargo test`
# replays first from then on. The output of failing runs is kept in the log named at the end.
# Exit status: 0 when nothing failed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-600}
per_run=${FUZZ_CASES_PER_RUN:-20000}
case "$seconds$per_run" in
  *[!0-9]*) echo "usage: $0 [SECONDS] (FUZZ_CASES_PER_RUN a number)" >&2; exit 2 ;;
esac

echo "==> building the decoder property tests (release)"
bin=$(cargo test -p chat-agent-api --release --test decode_props --no-run --message-format=json \
  | grep -o '"executable":"[^"]*decode_props[^"]*"' | tail -n1 | sed 's/^"executable":"//; s/"$//')
[ -x "$bin" ] || { echo "could not find the decode_props test binary" >&2; exit 1; }
props=$("$bin" --list 2>/dev/null | grep -c ': test$')

log=$(mktemp /tmp/fuzz-decoder.XXXXXX.log)
out=$(mktemp /tmp/fuzz-decoder-run.XXXXXX)
trap 'rm -f "$out"' EXIT
echo "==> $props properties, $per_run cases each per run, for ${seconds}s"

start=$(date +%s)
end=$((start + seconds))
runs=0 cases=0 failures=0 cut=0
while :; do
  now=$(date +%s)
  left=$((end - now))
  [ "$left" -gt 0 ] || break
  set +e
  # The test binary runs in the crate folder, as under `cargo test` (proptest saves failures there).
  (cd "$root/crates/chat-agent-api" && PROPTEST_CASES=$per_run timeout "$left" "$bin") >"$out" 2>&1
  rc=$?
  set -e
  if [ "$rc" -eq 124 ]; then
    cut=1 # time ran out in the middle of a run: its cases are not counted
    break
  fi
  runs=$((runs + 1))
  failed=$(grep -c '\.\.\. FAILED$' "$out" || true)
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=$props # crashed without a test summary: count every property as failed
  fi
  cases=$((cases + (props - failed) * per_run))
  if [ "$failed" -gt 0 ]; then
    failures=$((failures + failed))
    { echo "---- run $runs (exit $rc)"; cat "$out"; } >>"$log"
    grep -E '\.\.\. FAILED$|minimal failing input' "$out" | sed 's/^/   /' || true
  fi
  printf '    run %d: %s (%ds left)\n' "$runs" "$([ "$failed" -eq 0 ] && echo ok || echo "$failed failed")" \
    "$((end - $(date +%s)))"
done

elapsed=$(($(date +%s) - start))
echo "==> ${elapsed}s, $runs complete runs, $cases cases passed, $failures failed properties"
[ "$cut" -eq 0 ] || echo "    (the last run was cut by the time limit; its cases are not counted)"
if [ "$failures" -gt 0 ]; then
  echo "    failing output: $log"
  exit 1
fi
rm -f "$log"
