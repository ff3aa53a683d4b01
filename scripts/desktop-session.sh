#!/usr/bin/env bash
# Runs a command inside a throwaway Linux desktop session, the way CI and the tests need it:
#   - an X display (Xvfb) for the WebKit window,
#   - a D-Bus session bus (notifications, Secret Service),
#   - an unlocked gnome-keyring answering the Secret Service API, with its files in a temp folder,
#   - a fresh kernel session keyring (keyutils backend),
#   - dunst, the notification daemon, started by D-Bus on the first notification,
#   - a private XDG_RUNTIME_DIR, so a test's own PulseAudio daemon (src-tauri/src/sound_pulse_tests.rs)
#     listens where audio clients look by default and never meets the machine's real audio.
# Usage: scripts/desktop-session.sh <command> [args...]
set -euo pipefail

if [ -z "${AGENT_DESK_DESKTOP_SESSION:-}" ]; then
  export AGENT_DESK_DESKTOP_SESSION=1
  scratch=$(mktemp -d /tmp/agent-desk-session.XXXXXX)
  export XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache"
  mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
  export XDG_RUNTIME_DIR="$scratch/run"
  mkdir -m 700 "$XDG_RUNTIME_DIR"
  if [ -z "${DISPLAY:-}" ]; then
    exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
      keyctl session - dbus-run-session -- "$0" "$@"
  fi
  exec keyctl session - dbus-run-session -- "$0" "$@"
fi

# Inside the session: unlock a new login keyring for the Secret Service backend.
eval "$(printf 'agent-desk-session' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
export GNOME_KEYRING_CONTROL
exec "$@"
