#!/usr/bin/env bash
# A stand-in C compiler for type-checking the macOS build on Linux (scripts/cross-check.sh), where
# no Apple SDK can be had: the C sources of ring, SQLite and objc2's helper need its headers.
# cc-rs's questions (which compiler is this, is a flag supported) go to clang for arm64 macOS;
# a compile (-c) writes an EMPTY Mach-O object where -o says. So build scripts finish and rustc
# checks every line of Rust, but no C is compiled: good for `cargo check`/`clippy`, never for a
# build that links.
set -euo pipefail
target=--target=arm64-apple-macosx11.0
compile=no
for arg in "$@"; do [ "$arg" = -c ] && compile=yes; done
[ "$compile" = yes ] || exec clang "$target" "$@"
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out="$2"; shift 2 ;;
    -o*) out="${1#-o}"; shift ;;
    *) shift ;;
  esac
done
[ -n "$out" ] || { echo "macos-check-cc: a compile without -o" >&2; exit 1; }
exec clang "$target" -x c -c /dev/null -o "$out"
