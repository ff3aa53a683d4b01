#!/usr/bin/env bash
# Type-checks the app, the CLI and the engine (every target: lib, bins, tests) for Windows and macOS
# from Linux, with clippy -D warnings, so a cfg branch that breaks another OS shows up here and not
# only on GitHub's runners. Compiled is not run: nothing here starts the app on either system.
#
#   scripts/cross-check.sh [windows|macos]...   (default: both)
#
# Windows (x86_64-pc-windows-gnu): real C cross compiler (Debian's gcc-mingw-w64-x86-64), so the
#   C parts build too; nothing is linked.
# macOS (aarch64-apple-darwin): no Apple SDK here, so C sources are NOT compiled: the stand-in
#   compiler scripts/macos-check-cc.sh gives empty objects (clang answers cc-rs's questions) and
#   rustc checks the Rust. A link or a bundle needs a Mac (release.yml does it on macos-latest).
set -euo pipefail
cd "$(dirname "$0")/.."

systems=("$@")
[ ${#systems[@]} -gt 0 ] || systems=(windows macos)

need() {
  local missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "cross-check: missing ${missing[*]}: run scripts/setup.sh (or apt-get install gcc-mingw-w64-x86-64 clang llvm)" >&2
    exit 1
  fi
}
need_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx "$1"; then
    echo "cross-check: the Rust target $1 is not installed: run rustup target add $1" >&2
    exit 1
  fi
}

# The app embeds ui/dist; tauri's build script wants it to exist.
[ -d ui/dist ] || bash scripts/build-ui.sh

packages=(-p agent-desk -p agent-desk-cli -p agent-desk-engine)
for system in "${systems[@]}"; do
  case "$system" in
    windows)
      target=x86_64-pc-windows-gnu
      need x86_64-w64-mingw32-gcc
      need_target "$target"
      echo "==> clippy for $target"
      cargo clippy --locked --target "$target" "${packages[@]}" --all-targets -- -D warnings
      ;;
    macos)
      target=aarch64-apple-darwin
      need clang llvm-ar
      need_target "$target"
      echo "==> clippy for $target (Rust only: C replaced by empty objects, see above)"
      CC_aarch64_apple_darwin="$(pwd)/scripts/macos-check-cc.sh" AR_aarch64_apple_darwin=llvm-ar \
        cargo clippy --locked --target "$target" "${packages[@]}" --all-targets -- -D warnings
      ;;
    *) echo "usage: scripts/cross-check.sh [windows|macos]..." >&2; exit 2 ;;
  esac
done
echo "cross-check: ${systems[*]}: clean"
