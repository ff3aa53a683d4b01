#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for building, running and testing Agent Desk.
# Idempotent and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # build
  build-essential pkg-config file libssl-dev libdbus-1-dev
  # Tauri v2 on Linux (WebKitGTK 4.1, tray, icons, input)
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  # a display, D-Bus, WebDriver for the real window
  xvfb xauth dbus-x11 webkit2gtk-driver x11-utils
  # a window manager and X tools for the close-to-tray window test
  openbox wmctrl xdotool
  # keychain backends and a notification daemon
  gnome-keyring keyutils libsecret-tools dunst
  # screenshots, benchmarks and the headless-browser UI tests
  imagemagick procps chromium
  # node for the UI
  nodejs npm
)

missing=()
for p in "${packages[@]}"; do
  # nodejs/npm may come from elsewhere (e.g. a preinstalled node); accept the commands.
  if [ "$p" = nodejs ] && command -v node >/dev/null; then continue; fi
  if [ "$p" = npm ] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The web UI's packages, exactly as locked.
if [ -f ui/package-lock.json ]; then
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    echo "setup: npm ci in ui/"
    (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
echo "setup: ok"
