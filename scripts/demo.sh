#!/usr/bin/env bash
# Sets up a fresh Linux machine and starts Agent Desk in demo mode: the app embeds the simulator,
# whose demo visitors arrive, write and leave on their own, and logs in as agent "ann".
# With no display (a server or a container) the app runs on a virtual one (Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
(cd ui && npm run build)
# custom-protocol: serve the built UI from inside the binary, as `tauri build` does.
cargo build -p agent-desk --release --locked --features tauri/custom-protocol
app="${CARGO_TARGET_DIR:-target}/release/agent-desk"

export AGENT_DESK_DEMO=1
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "demo: no display found; running on a virtual display (Xvfb). Screenshot: import -window root shot.png"
  exec scripts/desktop-session.sh "$app" --demo
fi
exec "$app" --demo
