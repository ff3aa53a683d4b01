#!/usr/bin/env bash
# Fails when the TypeScript bindings committed under ui/src/bindings differ from what the Rust types
# generate now. Regenerates them in place, then asks git whether anything changed.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --locked -q -p agent-desk-engine export_bindings >/dev/null
cargo test --locked -q -p agent-desk export_bindings >/dev/null
if ! git diff --exit-code --stat -- ui/src/bindings || [ -n "$(git status --porcelain -- ui/src/bindings)" ]; then
  echo "ui/src/bindings is stale: regenerate with scripts/check-bindings.sh and commit the result" >&2
  git status --porcelain -- ui/src/bindings >&2
  exit 1
fi
echo "bindings: up to date"
