#!/usr/bin/env bash
# Builds Agent Desk's Linux packages, .deb and .rpm, with the Tauri bundler (a release build of the
# app with the UI embedded; about 5 minutes from clean on 2 cores, then ~1 min to bundle).
#
#   scripts/package.sh                 both bundles
#   scripts/package.sh --bundles deb   just one
#
# Prints the paths of the packages it made. Windows and macOS bundles are built by
# .github/workflows/release.yml on those systems.
#
# The Tauri CLI it uses, in this order: $TAURI_CLI (a command), `cargo tauri` (cargo-tauri on PATH),
# ui/node_modules/.bin/tauri (npm's @tauri-apps/cli). It stops at once when there is none.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bundles=deb,rpm
case "${1:-}" in
  --bundles) bundles=${2:?"usage: scripts/package.sh [--bundles deb,rpm]"} ;;
  "") ;;
  *) echo "usage: scripts/package.sh [--bundles deb,rpm]" >&2; exit 2 ;;
esac

tauri=()
if [ -n "${TAURI_CLI:-}" ]; then
  read -r -a tauri <<<"$TAURI_CLI"
elif command -v cargo-tauri >/dev/null; then
  tauri=(cargo tauri)
elif [ -x ui/node_modules/.bin/tauri ]; then
  tauri=("$root/ui/node_modules/.bin/tauri")
else
  echo "package: the Tauri CLI is missing: install it with 'npm --prefix ui install --no-save @tauri-apps/cli@2' (a prebuilt binary, seconds) or 'cargo install tauri-cli --version ^2 --locked' (a long build), then run scripts/package.sh again." >&2
  exit 1
fi
if ! version=$("${tauri[@]}" --version 2>/dev/null); then
  echo "package: '${tauri[*]} --version' failed, so that Tauri CLI cannot be used." >&2
  exit 1
fi
case "$version" in
  *" 2."*) ;;
  *) echo "package: ${tauri[*]} is '$version', but Agent Desk needs Tauri CLI 2.x." >&2; exit 1 ;;
esac

bash scripts/setup.sh

# The UI, through build-ui.sh: an unchanged UI keeps ui/dist's old files, so a warm release build
# is not redone. The bundler's own beforeBuildCommand (tauri.conf.json; the release workflow uses it)
# is switched off here because it would rewrite ui/dist every time. TAURI_APP_PATH says where the
# app is, so the CLI need not guess.
bash scripts/build-ui.sh
export TAURI_APP_PATH="$root/src-tauri"
echo "package: ${tauri[*]} build --bundles $bundles ($version)"
"${tauri[@]}" build --bundles "$bundles" --config '{"build": {"beforeBuildCommand": null}}' -- --locked

target="${CARGO_TARGET_DIR:-$root/target}"
found=0
for kind in ${bundles//,/ }; do
  for f in "$target"/release/bundle/"$kind"/*."$kind"; do
    [ -e "$f" ] || continue
    echo "package: $f"
    found=$((found + 1))
  done
done
if [ "$found" -eq 0 ]; then
  echo "package: the build ended but no .${bundles//,/ or .} file is under $target/release/bundle/" >&2
  exit 1
fi
