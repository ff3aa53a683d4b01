#!/usr/bin/env bash
# Runs the client's, the engine's and the CLI's test binaries (already built by `cargo build
# --workspace --all-targets`) again over https (the simulator's TLS mode: the real transport every
# agent uses) with the simulator playing the other side of its switches: `fromEventIds`
# read as "from this id" instead of its default literal "after this id" (spec §4.13), and every list
# sent as an array instead of a bare object when it has one member (spec §9 quirk 1). So both suites
# pass under both readings, both list shapes, and both transports.
# Runs the built binaries directly: no second build with other feature sets. Run it inside
# scripts/desktop-session.sh: it includes the #[ignore]d tests that need the desktop session.
set -euo pipefail
cd "$(dirname "$0")/.."

# ... and over https: the simulator serves TLS with a generated CA the test helpers trust.
export AGENT_DESK_SIM_FROM_EVENT_IDS=from AGENT_DESK_SIM_ALWAYS_ARRAYS=1 AGENT_DESK_SIM_TLS=1
# Test harnesses only ("profile" has "test":true): the plain CLI binary, built for the CLI's tests,
# has "test":true in its "target" too but is not a test.
list=$(cargo test --workspace --locked --no-run --message-format=json 2>/dev/null |
  grep '"reason":"compiler-artifact"' |
  grep -E '"package_id":"[^"]*(crates/engine|crates/cli|crates/chat-agent-api)#' |
  grep -E '"profile":\{[^}]*"test":true' |
  sed -n 's/.*"manifest_path":"\([^"]*\)".*"executable":"\([^"]*\)".*/\1 \2/p')
if [ -z "$list" ]; then
  echo "test-other-reading: no engine or CLI test binaries found" >&2
  exit 1
fi
failed=0
while read -r manifest bin; do
  echo "--- $(basename "$bin") (fromEventIds read as 'from', lists always arrays, https)"
  # Run from the package folder, as cargo test does.
  (cd "$(dirname "$manifest")" && "$bin" --include-ignored) || failed=1
done <<< "$list"
exit $failed
