#!/usr/bin/env bash
# Desktop benchmark of the release build under Xvfb (issue 4):
#   - time from launch to first paint (the first screen grab showing the rendered page),
#   - resident memory (RSS, PSS, USS) of the app and its WebKit processes after 60 s idle with 20 active demo chats,
#   - CPU use over those 60 s (utime+stime from /proc, as % of one core),
#   - CPU use while the reply box has the focus (the caret blinking), BENCH_FOCUS_SECONDS (20 s),
#   - the timing marks the app logs itself (process start, setup done, page load started/finished,
#     first render in the UI), next to the screen-grab figures,
#   - size of the .deb bundle.
# The app runs in demo mode (embedded simulator) logged in as `cho` (takes any number of chats) with
# auto-accept on and the scripted visitors off; the script opens the chats through the demo
# simulator's /_sim/ routes, one at a time, and waits until the app has taken each.
#
# Usage: scripts/bench-desktop.sh            build (ui, release binary, .deb), then measure
#        BENCH_SKIP_BUILD=1 scripts/bench-desktop.sh   measure the existing build
# Knobs: BENCH_CHATS (20), BENCH_IDLE_SECONDS (60), BENCH_FOCUS_SECONDS (20; 0: skip),
#        BENCH_OUT=file (also write the table there), AGENT_DESK_COMPOSITING=auto|on|off (passed on),
#        CARGO_TARGET_DIR (where the release build is), BENCH_APP (another binary, e.g. a debug one).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
chats=${BENCH_CHATS:-20}
idle=${BENCH_IDLE_SECONDS:-60}
focus_idle=${BENCH_FOCUS_SECONDS:-20}
app=${BENCH_APP:-$target/release/agent-desk}

if [ "${1:-}" != "--measure" ]; then
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    echo "==> UI build (embedded in the binary)"
    (cd ui && { [ -d node_modules ] || npm ci; } && npm run build)
    echo "==> Release build"
    # tauri/custom-protocol: the production asset protocol, as `tauri build` compiles it.
    cargo build -p agent-desk --release --locked --features tauri/custom-protocol
    echo "==> .deb bundle (Tauri CLI, bundling the binary just built)"
    (cd src-tauri && npx --yes @tauri-apps/cli@2 bundle --bundles deb)
  fi
  [ -x "$app" ] || { echo "no release binary at $app" >&2; exit 1; }
  exec scripts/desktop-session.sh "$0" --measure
fi

# ---- inside the desktop session (Xvfb, D-Bus, keyring, dunst) ----
[ -n "${DISPLAY:-}" ] || { echo "no DISPLAY: run through scripts/desktop-session.sh" >&2; exit 1; }
work=$(mktemp -d /tmp/agent-desk-bench.XXXXXX)
data="$work/data"
mkdir -p "$data"
printf '{"autoAccept": true}\n' > "$data/shell-settings.json"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The demo serves https with its own CA, which it writes to the data folder at start.
sim="https://127.0.0.1:$port/_sim"
tck=$(getconf CLK_TCK)
app_pid=

cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    local pids
    pids=$(tree_pids "$app_pid")
    kill -TERM "$app_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
    for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The app and every descendant (WebKitWebProcess, WebKitNetworkProcess, …).
tree_pids() {
  python3 - "$1" <<'EOF'
import os, sys
root = int(sys.argv[1])
children = {}
for name in os.listdir("/proc"):
    if not name.isdigit():
        continue
    try:
        stat = open(f"/proc/{name}/stat").read()
    except OSError:
        continue
    fields = stat.rsplit(")", 1)[1].split()
    children.setdefault(int(fields[1]), []).append(int(name))
out, todo = [], [root]
while todo:
    pid = todo.pop()
    out.append(pid)
    todo.extend(children.get(pid, []))
print(" ".join(map(str, out)))
EOF
}

# utime+stime ticks of the given pids, one "pid ticks" per line.
cpu_ticks() {
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    awk -v pid="$p" '{ sub(/^.*\) /, ""); print pid, $12 + $13 }' "/proc/$p/stat"
  done
}

sim_get() { curl -fsS --cacert "$data/demo-ca.pem" "$sim/$1"; }
sim_post() { curl -fsS --cacert "$data/demo-ca.pem" -X POST -H 'Content-Type: application/json' -d "$2" "$sim/$1"; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

echo "==> Launching $app (demo as cho, auto-accept, visitors off, simulator on port $port)"
t0=$(date +%s%N)
AGENT_DESK_DEMO=1 AGENT_DESK_DEMO_PORT=$port AGENT_DESK_DEMO_VISITORS=0 AGENT_DESK_DEMO_USER=cho \
  AGENT_DESK_DATA_DIR="$data" AGENT_DESK_SECRETS=memory \
  RUST_LOG=warn,agent_desk_lib::timing=info,agent_desk_lib::rendering=info \
  "$app" >"$work/app.out" 2>&1 &
app_pid=$!

# First paint: grab the screen until it shows the page (many colours: text, buttons). An empty X
# screen is one colour; the bare GTK/WebKit window a couple.
first_paint=$(python3 - "$t0" <<'EOF'
import subprocess, sys, time
t0 = int(sys.argv[1])
deadline = time.time() + 60
prev_end = None
mapped = None
while time.time() < deadline:
    raw = subprocess.run(["import", "-window", "root", "-depth", "8", "rgb:-"],
                         capture_output=True).stdout
    end = time.time_ns()
    colours = len({raw[i:i + 3] for i in range(0, len(raw) - 2, 3 * 7)})
    if colours >= 2 and mapped is None:
        mapped = (end - t0) / 1e6
    if colours >= 24:
        lower = (prev_end - t0) / 1e6 if prev_end else 0.0
        print(f"{(end - t0) / 1e6:.0f} {lower:.0f} {mapped:.0f}")
        sys.exit(0)
    prev_end = end
print("none 0 0")
EOF
)
read -r paint_upper paint_lower window_shown <<<"$first_paint"
[ "$paint_upper" != none ] || { echo "the window never painted" >&2; cat "$work/app.out" >&2; exit 1; }
echo "window on screen after $window_shown ms; first paint between $paint_lower and $paint_upper ms after launch"

echo "==> Waiting for the demo login, then opening $chats chats one at a time"
for _ in $(seq 300); do
  avail=$(sim_get agents/cho 2>/dev/null | json_field '["availability"]' 2>/dev/null || true)
  [ "$avail" = Online ] && break
  sleep 0.1
done
[ "$avail" = Online ] || { echo "cho never came online (availability: ${avail:-none})" >&2; cat "$work/app.out" >&2; exit 1; }
for i in $(seq "$chats"); do
  key=$(sim_post chats "{\"skill\":\"Billing\",\"visitorName\":\"Visitor $i\",\"text\":\"Hello, I have a billing question ($i).\"}" | json_field '["chatSessionKey"]')
  for _ in $(seq 300); do
    n=$(sim_get agents/cho | json_field '["chats"]')
    [ "$n" -ge "$i" ] && break
    sleep 0.1
  done
  [ "$n" -ge "$i" ] || { echo "the app did not take chat $i (has $n)" >&2; exit 1; }
  sim_post "chats/$key/lines" "{\"text\":\"My invoice number is INV-$((1000 + i)). Could you check it?\"}" >/dev/null
done
echo "$chats chats active; idling ${idle} s"

pids=$(tree_pids "$app_pid")
# shellcheck disable=SC2086
before=$(cpu_ticks $pids)
sleep "$idle"
# shellcheck disable=SC2086
after=$(cpu_ticks $pids)
active=$(sim_get agents/cho | json_field '["chats"]')
[ "$active" -eq "$chats" ] || { echo "only $active chats still active after idling" >&2; exit 1; }

# The reply box focused (Ctrl+Shift+M), the caret blinking: an agent's normal idle state.
focus_cpu=skipped
if [ "$focus_idle" -gt 0 ] && command -v xdotool >/dev/null; then
  win=$(xdotool search --name '^Agent Desk' 2>/dev/null | head -n1 || true)
  if [ -n "$win" ]; then
    xdotool windowfocus --sync "$win" 2>/dev/null || true
    xdotool key --clearmodifiers ctrl+shift+m 2>/dev/null || true
    sleep 1
    # shellcheck disable=SC2086
    fbefore=$(cpu_ticks $pids)
    sleep "$focus_idle"
    # shellcheck disable=SC2086
    fafter=$(cpu_ticks $pids)
    focus_cpu=$(python3 - "$tck" "$focus_idle" "$fbefore" "$fafter" <<'EOF'
import sys
tck, secs = int(sys.argv[1]), float(sys.argv[2])
def parse(text):
    return {int(p): int(t) for p, t in (l.split() for l in text.splitlines())}
b, a = parse(sys.argv[3]), parse(sys.argv[4])
print(f"{sum(a.get(p, 0) - b.get(p, 0) for p in a) / tck / secs * 100:.1f} %")
EOF
)
  fi
fi

# The app's own timing marks (its log file has no colours), against the process start and against
# this script's launch time.
marks=$(python3 - "$t0" "$data/logs" <<'EOF'
import glob, re, sys
t0_ms = int(sys.argv[1]) / 1e6
text = "".join(open(f, errors="replace").read() for f in sorted(glob.glob(sys.argv[2] + "/agent-desk*.log")))
seen = set()
for m in re.finditer(r'timing mark="([^"]+)" since_start_ms=([0-9.]+) unix_ms=([0-9]+)', text):
    name, since, unix = m.group(1), float(m.group(2)), int(m.group(3))
    if name in seen:
        continue
    seen.add(name)
    print(f"| {name} | {since:.0f} ms | {unix - t0_ms:.0f} ms |")
mode = re.search(r'rendering: (.*?) mode=', text)
print(f"RENDERING {mode.group(1) if mode else 'not logged'}")
EOF
)
rendering=$(echo "$marks" | sed -n 's/^RENDERING //p')
marks=$(echo "$marks" | grep -v '^RENDERING ' || true)

report=$(python3 - "$tck" "$idle" "$before" "$after" $pids <<'EOF'
import sys
tck, idle = int(sys.argv[1]), float(sys.argv[2])
def parse(text):
    out = {}
    for line in text.splitlines():
        pid, ticks = line.split()
        out[int(pid)] = int(ticks)
    return out
before, after = parse(sys.argv[3]), parse(sys.argv[4])
rows, total_rss, total_pss, total_uss, total_cpu = [], 0, 0, 0, 0.0
for pid in map(int, sys.argv[5:]):
    try:
        comm = open(f"/proc/{pid}/comm").read().strip()
        status = open(f"/proc/{pid}/status").read()
        rollup = open(f"/proc/{pid}/smaps_rollup").read()
    except OSError:
        continue
    rss = next(int(l.split()[1]) for l in status.splitlines() if l.startswith("VmRSS:"))
    pss = next(int(l.split()[1]) for l in rollup.splitlines() if l.startswith("Pss:"))
    uss = sum(int(l.split()[1]) for l in rollup.splitlines() if l.startswith(("Private_Clean:", "Private_Dirty:")))
    cpu = (after.get(pid, 0) - before.get(pid, 0)) / tck / idle * 100
    total_rss += rss; total_pss += pss; total_uss += uss; total_cpu += cpu
    rows.append((comm, pid, rss, pss, uss, cpu))
print(f"{total_rss/1024:.1f} MiB|{total_pss/1024:.1f} MiB|{total_uss/1024:.1f} MiB|{total_cpu:.1f} %")
for comm, pid, rss, pss, uss, cpu in rows:
    print(f"| {comm} | {rss/1024:.1f} MiB | {pss/1024:.1f} MiB | {uss/1024:.1f} MiB | {cpu:.1f} % |")
print(f"| **total** | **{total_rss/1024:.1f} MiB** | **{total_pss/1024:.1f} MiB** | **{total_uss/1024:.1f} MiB** | **{total_cpu:.1f} %** |")
EOF
)

IFS='|' read -r total_rss total_pss total_uss total_cpu <<<"$(echo "$report" | head -n1)"
rows=$(echo "$report" | tail -n +2)

deb=$(ls -t "$target"/release/bundle/deb/*.deb 2>/dev/null | head -n1 || true)
deb_size=n/a
[ -n "$deb" ] && deb_size=$(python3 -c "import os,sys; print(f'{os.path.getsize(sys.argv[1])/1048576:.2f} MiB ({os.path.basename(sys.argv[1])})')" "$deb")
bin_size=$(python3 -c "import os,sys; print(f'{os.path.getsize(sys.argv[1])/1048576:.2f} MiB')" "$app")

table=$(cat <<EOF
Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m), $(. /etc/os-release && echo "$PRETTY_NAME")), Xvfb 1280x800x24.

| figure | value |
| --- | --- |
| launch → first paint | ${paint_upper} ms (page not yet on screen at ${paint_lower} ms) |
| launch → window on screen (still blank) | ${window_shown} ms |
| active chats during the idle minute | ${active} (demo simulator in the app, agent \`cho\`, auto-accept) |
| resident memory after ${idle} s idle (RSS, app + WebKit processes) | ${total_rss} |
| the same as PSS (shared pages split between their users, other programs included) | ${total_pss} |
| the same as USS (private pages only: what the app alone owns) | ${total_uss} |
| CPU over the ${idle} s (% of one core) | ${total_cpu} |
| CPU over ${focus_idle} s with the reply box focused (caret blinking) | ${focus_cpu} |
| rendering (app log) | ${rendering} |
| .deb bundle | ${deb_size} |
| app binary ($(basename "$(dirname "$app")")/agent-desk) | ${bin_size} |

| process | RSS | PSS | USS | CPU |
| --- | --- | --- | --- | --- |
${rows}

| timing mark (app log) | since process start | since launch (script) |
| --- | --- | --- |
${marks}
| screen grab: window on screen | | ${window_shown} ms |
| screen grab: first paint | | ${paint_upper} ms |
EOF
)
echo
echo "$table"
if [ -n "${BENCH_OUT:-}" ]; then
  echo "$table" > "$BENCH_OUT"
fi
