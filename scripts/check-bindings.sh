#!/usr/bin/env bash
# Fails when the TypeScript bindings committed under ui/src/bindings differ from what the Rust types
# generate now (the engine's types, and the shell's IPC contract: every command's argument and return
# types, read off its Rust function), or when a file there is no longer part of the contract.
# Regenerates them in place, then asks git whether anything changed.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --locked -q -p agent-desk-engine export_bindings >/dev/null
cargo test --locked -q -p agent-desk export_bindings >/dev/null
if ! git diff --exit-code --stat -- ui/src/bindings || [ -n "$(git status --porcelain -- ui/src/bindings)" ]; then
  echo "ui/src/bindings is stale: regenerate with scripts/check-bindings.sh and commit the result" >&2
  git status --porcelain -- ui/src/bindings >&2
  exit 1
fi
if ! cargo test --locked -q -p agent-desk no_stale_binding_files >/dev/null 2>&1; then
  echo "ui/src/bindings holds files no longer in the IPC contract:" >&2
  cargo test --locked -q -p agent-desk no_stale_binding_files 2>&1 | grep -F 'no longer in the IPC contract' >&2 || true
  exit 1
fi
echo "bindings: up to date"
