#!/usr/bin/env bash
# Tests scripts/setup.sh's checks ("what is missing") with the real script, in two ways:
#
# 1. A clean Debian 12 (bookworm) chroot, made with debootstrap and cached under
#    /var/cache/agent-desk/ (about 40 s the first time, then reused): no Rust, Debian's own Node 18,
#    none of the packages. `setup.sh --check` must name each with the expected sentence, and as a
#    user who cannot run apt-get, `setup.sh` must stop at once without installing anything.
#    Needs root and debootstrap; skipped (saying so) without them.
# 2. The host, with PATH and HOME pointed at folders that hold only what a case needs (a `node`
#    that prints v18.19.0, a `cargo` without rustup, a `dpkg-query` that lacks one package, ...):
#    these vary the environment the script inspects, not the script. A few seconds.
#
# Finally, on this machine (just set up by setup.sh), `setup.sh --check` must find nothing missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok: $1"; }
bad() { failed=$((failed + 1)); echo "  FAILED: $1" >&2; }

# expect_line NAME OUTPUT REGEX: OUTPUT has a line matching the extended REGEX (whole line).
expect_line() {
  if grep -qxE -- "$3" <<<"$2"; then ok "$1"; else
    bad "$1"; printf '    expected a line matching: %s\n    got:\n%s\n' "$3" "$(sed 's/^/      /' <<<"$2")" >&2
  fi
}
expect_no_line() {
  if grep -qE -- "$3" <<<"$2"; then
    bad "$1"; printf '    unexpected line matching: %s\n    got:\n%s\n' "$3" "$(sed 's/^/      /' <<<"$2")" >&2
  else ok "$1"; fi
}
expect_rc() { if [ "$2" -eq "$3" ]; then ok "$1"; else bad "$1 (exit $2, expected $3)"; fi; }

toolchain=$(sed -n 's/^channel *= *"\([^"]*\)".*/\1/p' rust-toolchain.toml)
tc=${toolchain//./\\.}
again='then run scripts/setup.sh again\.'
rustup_cmd="curl --proto '=https' --tlsv1\.2 -sSf https://sh\.rustup\.rs \| sh"
node_fix="so install Node 22 with npm from NodeSource or with nvm \(nvm install 22\), $again"

# ---------------------------------------------------------------------------------------------
echo "setup.sh checks: the minimum Node agrees with the installed Vite"
if [ -f ui/node_modules/vite/package.json ]; then
  engines=$(node -e 'console.log(require("./ui/node_modules/vite/package.json").engines.node)')
  if [ "$engines" = "^20.19.0 || >=22.12.0" ]; then ok "Vite's engines field is $engines"
  else bad "Vite now needs Node '$engines': update node_ok and NODE_NEEDED in scripts/setup.sh"; fi
else
  echo "  (ui/node_modules is not installed; nothing to compare)"
fi

# ---------------------------------------------------------------------------------------------
echo "setup.sh checks on a clean Debian 12 (chroot)"
chroot_test() {
  if [ "$(id -u)" -ne 0 ] || ! command -v debootstrap >/dev/null || ! command -v chroot >/dev/null; then
    echo "  SKIPPED: needs root, debootstrap and chroot (this is $(id -un); debootstrap: $(command -v debootstrap || echo none))"
    return 0
  fi
  local cache=/var/cache/agent-desk/chroot-bookworm-node18-v1
  if [ ! -x "$cache/usr/bin/node" ]; then
    mkdir -p /var/cache/agent-desk
    local tmp mirror
    tmp=$(mktemp -d /var/cache/agent-desk/chroot-build.XXXXXX)
    chmod 755 "$tmp"  # the chroot's / (mktemp makes it 0700, which shuts out the non-root case)
    # The machine's own Debian mirror (debootstrap's default when none is configured).
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 ~ /^bookworm$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    echo "  building the chroot in $cache (debootstrap --variant=minbase bookworm, plus Debian's nodejs)"
    local start=$SECONDS
    if ! debootstrap --variant=minbase --include=nodejs bookworm "$tmp" ${mirror:+"$mirror"} >"$tmp.log" 2>&1; then
      bad "debootstrap failed (log: $tmp.log)"
      tail -n 5 "$tmp.log" >&2
      rm -rf "$tmp"
      return 0
    fi
    rm -f "$tmp.log"
    if ! mv -T "$tmp" "$cache" 2>/dev/null; then rm -rf "$tmp"; fi  # another run made it first
    echo "  built in $((SECONDS - start)) s"
  fi

  local work=/tmp/agent-desk-setup-test
  rm -rf "${cache:?}$work"
  mkdir -p "$cache$work/scripts"
  cp scripts/setup.sh "$cache$work/scripts/"
  cp rust-toolchain.toml "$cache$work/"
  chmod -R a+rX "$cache$work"
  in_chroot() { chroot "$@"; }
  local env=(/usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8)
  local out rc

  rc=0; out=$(in_chroot "$cache" "${env[@]}" HOME=/root bash "$work/scripts/setup.sh" --check 2>&1) || rc=$?
  expect_rc "as root: --check exits 1" "$rc" 1
  expect_line "as root: no Rust -> the rustup command" "$out" \
    "rust manual: Rust is not installed: install rustup with: $rustup_cmd, $again"
  expect_line "as root: Debian's Node 18 is too old" "$out" \
    "node manual: Node v18\.[0-9.]+ is too old: Vite 7 needs Node 20\.19\+ or 22\.12\+ \(Debian 12's nodejs package is 18\), $node_fix"
  expect_line "as root: the packages, which setup.sh would install" "$out" \
    "packages auto: Debian packages are not installed: build-essential pkg-config file libssl-dev .* shellcheck gcc-mingw-w64-x86-64 clang llvm, and scripts/setup\.sh installs them with apt-get\."

  rc=0; out=$(in_chroot --userspec=65534:65534 "$cache" "${env[@]}" HOME=/nonexistent bash "$work/scripts/setup.sh" --check 2>&1) || rc=$?
  expect_rc "as nobody: --check exits 1" "$rc" 1
  expect_line "as nobody: the packages, with the apt-get line to run as root" "$out" \
    "packages manual: Debian packages are not installed and this user can run neither apt-get \(not root\) nor sudo: as root, run: apt-get update && apt-get install -y --no-install-recommends build-essential pkg-config .* shellcheck gcc-mingw-w64-x86-64 clang llvm, $again"

  local start=$SECONDS
  rc=0; out=$(in_chroot --userspec=65534:65534 "$cache" "${env[@]}" HOME=/nonexistent bash "$work/scripts/setup.sh" 2>&1) || rc=$?
  expect_rc "as nobody: setup.sh stops (exit 1)" "$rc" 1
  if [ $((SECONDS - start)) -le 5 ]; then ok "as nobody: it stops at once ($((SECONDS - start)) s)"; else bad "as nobody: took $((SECONDS - start)) s to stop"; fi
  expect_line "as nobody: setup.sh says what to do about Rust" "$out" \
    "setup: Rust is not installed: install rustup with: $rustup_cmd, $again"
  expect_no_line "as nobody: nothing was installed" "$out" "installing|npm ci"
  if chroot "$cache" dpkg-query -W -f='${Status}' build-essential 2>/dev/null | grep -q "install ok installed"; then
    bad "the chroot gained build-essential"; else ok "the chroot is unchanged (no build-essential)"; fi
  rm -rf "${cache:?}$work"
}
chroot_test

# ---------------------------------------------------------------------------------------------
echo "setup.sh checks in varied environments (PATH and HOME with only what each case needs)"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The plain tools the script uses, and nothing else: no rustup, cargo, node, npm, dpkg, apt, sudo.
base="$scratch/base"
mkdir -p "$base"
for t in bash env sed grep sort head awk tr id dirname cat; do ln -s "$(command -v "$t")" "$base/$t"; done

# fake DIR NAME SCRIPT: an executable DIR/NAME running SCRIPT (sh).
fake() { mkdir -p "$1"; printf '#!/bin/sh\n%s\n' "$3" >"$1/$2"; chmod +x "$1/$2"; }
# run_check CASE_DIR: setup.sh --check with PATH=CASE_DIR/bin:base and HOME=CASE_DIR/home.
run_check() {
  mkdir -p "$1/bin" "$1/home"
  rc=0
  out=$(cd "$root" && "$base/env" -i PATH="$1/bin:$base" HOME="$1/home" "$base/bash" scripts/setup.sh --check 2>&1) || rc=$?
}
# A dpkg-query that finds every package installed except those in $LACKING.
dpkg_lacking() {
  fake "$1/bin" dpkg-query "for a; do p=\$a; done; case \" $2 \" in *\" \$p \"*) exit 1;; esac; printf 'install ok installed'"
}
all_there() {
  fake "$1/bin" rustup "case \"\$1\" in toolchain) echo '$toolchain-x86_64-unknown-linux-gnu (active)';; component) printf 'rustfmt-x86_64-unknown-linux-gnu\nclippy-x86_64-unknown-linux-gnu\n';; esac"
  fake "$1/bin" node "echo v22.12.0"
  fake "$1/bin" npm "echo 10.9.0"
  dpkg_lacking "$1" ""
  fake "$1/bin" apt-get "touch '$1/apt-get-ran'"
}

c="$scratch/empty"; run_check "$c"
expect_rc "nothing at all: exit 1" "$rc" 1
expect_line "nothing at all: Rust -> the rustup command" "$out" \
  "rust manual: Rust is not installed: install rustup with: $rustup_cmd, $again"
expect_line "nothing at all: Node" "$out" \
  "node manual: Node is not installed: Vite 7 needs Node 20\.19\+ or 22\.12\+ \(Debian 12's nodejs package is 18, too old\), $node_fix"
expect_line "nothing at all: not Debian" "$out" \
  "packages manual: This is not a Debian-based system \(no dpkg-query\), so install the equivalents of the Debian packages listed in README\.md \(Requirements\) yourself, $again"

c="$scratch/all"; all_there "$c"; run_check "$c"
expect_rc "everything there: exit 0" "$rc" 0
expect_line "everything there: prints nothing" "x${out}" "x"

c="$scratch/node18"; all_there "$c"; fake "$c/bin" node "echo v18.19.0"; run_check "$c"
expect_rc "Node 18: exit 1" "$rc" 1
expect_line "Node 18: too old, with Debian's version named" "$out" \
  "node manual: Node v18\.19\.0 is too old: Vite 7 needs Node 20\.19\+ or 22\.12\+ \(Debian 12's nodejs package is 18\), $node_fix"
expect_no_line "Node 18: nothing else reported" "$out" "^(rust|npm|packages) "

for v in v20.18.1 v21.7.3 v22.11.0; do
  c="$scratch/node-$v"; all_there "$c"; fake "$c/bin" node "echo $v"; run_check "$c"
  expect_line "Node $v is too old" "$out" \
    "node manual: Node ${v//./\\.} is too old: Vite 7 needs Node 20\.19\+ or 22\.12\+, $node_fix"
done
for v in v20.19.0 v22.12.0 v24.1.0; do
  c="$scratch/node-$v"; all_there "$c"; fake "$c/bin" node "echo $v"; run_check "$c"
  expect_rc "Node $v is new enough" "$rc" 0
done

c="$scratch/nonpm"; all_there "$c"; rm "$c/bin/npm"; run_check "$c"
expect_line "npm missing" "$out" \
  "npm manual: npm is not installed: install the npm that goes with your Node \(NodeSource's nodejs package and nvm both include it\), $again"

c="$scratch/oldcargo"; all_there "$c"; rm "$c/bin/rustup"; fake "$c/bin" cargo "echo 'cargo 1.63.0'"; run_check "$c"
expect_line "Debian's cargo 1.63 without rustup" "$out" \
  "rust manual: cargo 1\.63\.0 is older than the pinned Rust $tc and rustup is not installed: install rustup with: $rustup_cmd, $again"

c="$scratch/offpath"; all_there "$c"; rm "$c/bin/rustup"; fake "$c/home/.cargo/bin" rustup "exit 0"; run_check "$c"
expect_line "rustup installed but not on PATH" "$out" \
  "rust manual: rustup is installed in ~/\.cargo/bin but that folder is not on PATH: run '\. \"\\\$HOME/\.cargo/env\"' \(or log in again\), $again"

c="$scratch/notoolchain"; all_there "$c"; fake "$c/bin" rustup "case \"\$1\" in toolchain) echo 'stable-x86_64-unknown-linux-gnu (default)';; esac"; run_check "$c"
expect_line "rustup without the pinned toolchain: setup.sh installs it" "$out" \
  "rust auto: Rust $tc \(pinned in rust-toolchain\.toml\) is not installed, and scripts/setup\.sh installs it with rustup\."

c="$scratch/noclippy"; all_there "$c"; fake "$c/bin" rustup "case \"\$1\" in toolchain) echo '$toolchain-x86_64-unknown-linux-gnu';; component) echo 'rustfmt-x86_64-unknown-linux-gnu';; esac"; run_check "$c"
expect_line "the pinned toolchain without clippy: setup.sh adds it" "$out" \
  "rust auto: Rust $tc lacks clippy, and scripts/setup\.sh adds them with rustup\."

if [ "$(id -u)" -eq 0 ]; then
  c="$scratch/pkgs-root"; all_there "$c"; dpkg_lacking "$c" "dunst xvfb"; run_check "$c"
  expect_line "root lacking two packages: setup.sh installs them" "$out" \
    "packages auto: Debian packages are not installed: xvfb dunst, and scripts/setup\.sh installs them with apt-get\."
fi

# Not root, no sudo: an `id` that says uid 1000 (when this runs as root) varies who the script sees.
c="$scratch/pkgs-user"; all_there "$c"; dpkg_lacking "$c" "dunst"; fake "$c/bin" id 'if [ "$1" = -u ]; then echo 1000; else echo user; fi'
run_check "$c"
expect_line "a user without sudo lacking dunst: the apt-get line" "$out" \
  "packages manual: Debian packages are not installed and this user can run neither apt-get \(not root\) nor sudo: as root, run: apt-get update && apt-get install -y --no-install-recommends dunst, $again"
rc=0
out=$(cd "$root" && "$base/env" -i PATH="$c/bin:$base" HOME="$c/home" "$base/bash" scripts/setup.sh 2>&1) || rc=$?
expect_rc "a user without sudo: setup.sh stops" "$rc" 1
expect_line "a user without sudo: setup.sh says what to run" "$out" \
  "setup: Debian packages are not installed and this user can run neither apt-get \(not root\) nor sudo: as root, run: apt-get update && apt-get install -y --no-install-recommends dunst, $again"
if [ -e "$c/apt-get-ran" ]; then bad "a user without sudo: apt-get was run"; else ok "a user without sudo: apt-get was not run"; fi

# ---------------------------------------------------------------------------------------------
echo "setup.sh checks on this machine, just set up"
rc=0; out=$(bash scripts/setup.sh --check 2>&1) || rc=$?
expect_rc "nothing missing here" "$rc" 0
[ "$rc" -eq 0 ] || echo "$out" >&2

echo
echo "setup-checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
