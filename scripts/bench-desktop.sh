#!/usr/bin/env bash
# Desktop benchmark of the release build under Xvfb (issues 4 and 10):
#   - start: launch → first paint, cold (fresh data, WebKit caches) and warm (the same folders,
#     second launch), BENCH_START_RUNS times each (3), medians; screen grabs are the ground truth
#     for "painted", next to the timing marks the app logs itself (process start, setup done, page
#     load started/finished, first render in the UI);
#   - window shown: RSS, PSS and USS per process after BENCH_IDLE_SECONDS (60) idle with
#     BENCH_CHATS (20) active chats, CPU over that time, and CPU while the reply box has the focus
#     (the caret blinking), BENCH_FOCUS_SECONDS (20);
#   - growth: the same memory figures again after BENCH_GROWTH_SECONDS (300) more idle;
#   - tray mode: the window closed to the tray (openbox asks it to close, as its close button does),
#     the webview released, then RSS/PSS/USS and CPU over BENCH_IDLE_SECONDS hidden; then shown again
#     (a second launch, as the menu does): time until the rebuilt page is ready (its log mark) and
#     until a screen grab shows it painted;
#   - size of the .deb bundle and the binary.
# The simulator runs as its own process (`agent-desk-sim --tls`), so its work is not counted; the app
# runs in demo mode logged in to it (AGENT_DESK_DEMO_SERVER) as `cho` (takes any number of chats)
# with auto-accept on. The script opens the chats through the simulator's /_sim/ routes, one at a
# time, and waits until the app has taken each. The OS page cache is not dropped between runs:
# "cold" means the app's own folders and WebKit's caches are new.
#
# Usage: scripts/bench-desktop.sh            build (ui, release binaries, .deb), then measure
#        BENCH_SKIP_BUILD=1 scripts/bench-desktop.sh   measure the existing build
# Knobs: BENCH_CHATS (20), BENCH_IDLE_SECONDS (60), BENCH_SETTLE_SECONDS (0: wait before the idle
#        sample, after the last chat), BENCH_FOCUS_SECONDS (20; 0: skip),
#        BENCH_GROWTH_SECONDS (300; 0: skip), BENCH_START_RUNS (3), BENCH_TRAY (1; 0: skip),
#        BENCH_OUT=file (also write the tables there), AGENT_DESK_COMPOSITING=auto|on|off (passed on),
#        CARGO_TARGET_DIR (where the release build is), BENCH_APP / BENCH_SIM (other binaries).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
chats=${BENCH_CHATS:-20}
idle=${BENCH_IDLE_SECONDS:-60}
settle=${BENCH_SETTLE_SECONDS:-0}
focus_idle=${BENCH_FOCUS_SECONDS:-20}
growth=${BENCH_GROWTH_SECONDS:-300}
start_runs=${BENCH_START_RUNS:-3}
tray=${BENCH_TRAY:-1}
app=${BENCH_APP:-$target/release/agent-desk}
sim_bin=${BENCH_SIM:-$target/release/agent-desk-sim}

if [ "${1:-}" != "--measure" ]; then
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    echo "==> UI build (embedded in the binary)"
    (cd ui && { [ -d node_modules ] || npm ci; } && npm run build)
    echo "==> Release build"
    # tauri/custom-protocol: the production asset protocol, as `tauri build` compiles it.
    cargo build -p agent-desk --release --locked --features tauri/custom-protocol
    cargo build -p agent-desk-simulator --release --locked --bin agent-desk-sim
    echo "==> .deb bundle (Tauri CLI, bundling the binary just built)"
    (cd src-tauri && npx --yes @tauri-apps/cli@2 bundle --bundles deb)
  fi
  [ -x "$app" ] || { echo "no release binary at $app" >&2; exit 1; }
  [ -x "$sim_bin" ] || { echo "no simulator binary at $sim_bin (cargo build -p agent-desk-simulator --release --bin agent-desk-sim)" >&2; exit 1; }
  exec scripts/desktop-session.sh "$0" --measure
fi

# ---- inside the desktop session (Xvfb, D-Bus, keyring, dunst) ----
[ -n "${DISPLAY:-}" ] || { echo "no DISPLAY: run through scripts/desktop-session.sh" >&2; exit 1; }
work=$(mktemp -d /tmp/agent-desk-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sim="https://127.0.0.1:$port/_sim"
ca="$work/sim-ca.pem"
tck=$(getconf CLK_TCK)
app_pid=
sim_pid=
wm_pid=

# The app and every descendant (WebKitWebProcess, WebKitNetworkProcess, …).
tree_pids() {
  python3 - "$1" <<'PY'
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
PY
}

stop_app() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    local pids
    pids=$(tree_pids "$app_pid")
    kill -TERM "$app_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  app_pid=
}

cleanup() {
  stop_app
  for p in $sim_pid $wm_pid; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# utime+stime ticks of the given pids, one "pid ticks" per line.
cpu_ticks() {
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    awk -v pid="$p" '{ sub(/^.*\) /, ""); print pid, $12 + $13 }' "/proc/$p/stat"
  done
}

sim_get() { curl -fsS --cacert "$ca" "$sim/$1"; }
sim_post() { curl -fsS --cacert "$ca" -X POST -H 'Content-Type: application/json' -d "$2" "$sim/$1"; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
median() { python3 -c 'import statistics,sys; v=[float(x) for x in sys.argv[1:] if x != "none"]; print(f"{statistics.median(v):.0f}" if v else "none")' "$@"; }
app_logs() { cat "$1"/data/logs/agent-desk*.log 2>/dev/null || true; }

echo "==> Simulator: $sim_bin --tls on port $port (its own process)"
"$sim_bin" --tls --tls-ca-out "$ca" --port "$port" >"$work/sim.out" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do
  [ -s "$ca" ] && sim_get agents/cho >/dev/null 2>&1 && break
  sleep 0.1
done
sim_get agents/cho >/dev/null || { echo "the simulator did not start" >&2; cat "$work/sim.out" >&2; exit 1; }

# launch_app DIR: starts the app on the folders under DIR (data, WebKit's caches); sets app_pid and
# t0 (ns). The same DIR again is a warm start.
launch_app() {
  local dir=$1
  mkdir -p "$dir/data"
  [ -f "$dir/data/shell-settings.json" ] || printf '{"autoAccept": true}\n' > "$dir/data/shell-settings.json"
  t0=$(date +%s%N)
  AGENT_DESK_DEMO=1 AGENT_DESK_DEMO_SERVER="https://127.0.0.1:$port" AGENT_DESK_DEMO_CA="$ca" \
    AGENT_DESK_DEMO_USER=cho AGENT_DESK_DATA_DIR="$dir/data" AGENT_DESK_SECRETS=memory \
    XDG_CACHE_HOME="$dir/xdg-cache" XDG_DATA_HOME="$dir/xdg-data" \
    AGENT_DESK_RELEASE_WEBVIEW_MS=5000 \
    RUST_LOG=warn,agent_desk_lib::timing=info,agent_desk_lib::rendering=info,agent_desk_lib::tray_mode=info \
    "$app" >>"$dir/app.out" 2>&1 &
  app_pid=$!
}

# paint_after T0_NS: grabs the screen until it shows a rendered page (many colours: text, buttons;
# an empty X screen is one colour, a bare window a couple). Prints "upper lower mapped" in ms since
# T0, or "none 0 0".
paint_after() {
  python3 - "$1" <<'PY'
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
PY
}

# marks_of DIR T0_NS: the timing marks of the last launch logged under DIR, as table rows.
marks_of() {
  app_logs "$1" > "$work/marks.log"
  python3 - "$2" "$work/marks.log" <<'PY'
import re, sys
t0_ms = int(sys.argv[1]) / 1e6
text = open(sys.argv[2], errors="replace").read()
# The last launch only: from its "process start" mark on.
starts = [m.start() for m in re.finditer(r'timing mark="process start"', text)]
text = text[starts[-1]:] if starts else text
seen = set()
for m in re.finditer(r'timing mark="([^"]+)" since_start_ms=([0-9.]+) unix_ms=([0-9]+)', text):
    name, since, unix = m.group(1), float(m.group(2)), int(m.group(3))
    if name in seen:
        continue
    seen.add(name)
    print(f"| {name} | {since:.0f} ms | {unix - t0_ms:.0f} ms |")
mode = re.search(r'rendering: (.*?) mode=', text)
print(f"RENDERING {mode.group(1) if mode else 'not logged'}")
PY
}

wait_online() {
  local avail=
  for _ in $(seq 300); do
    avail=$(sim_get agents/cho 2>/dev/null | json_field '["availability"]' 2>/dev/null || true)
    [ "$avail" = Online ] && return 0
    sleep 0.1
  done
  echo "cho never came online (availability: ${avail:-none})" >&2
  return 1
}

echo "==> Start: $start_runs cold and $start_runs warm launches"
cold=()
warm=()
cold_marks=
for i in $(seq "$start_runs"); do
  for kind in cold warm; do
    launch_app "$work/start-$i"
    read -r upper _ _ <<<"$(paint_after "$t0")"
    [ "$upper" != none ] || { echo "the window never painted ($kind start $i)" >&2; cat "$work/start-$i/app.out" >&2; exit 1; }
    wait_online
    if [ "$kind" = cold ]; then
      cold+=("$upper")
      [ "$i" -gt 1 ] || cold_marks=$(marks_of "$work/start-$i" "$t0")
    else
      warm+=("$upper")
    fi
    echo "  $kind start $i: first paint after $upper ms"
    stop_app
  done
done
cold_median=$(median "${cold[@]}")
warm_median=$(median "${warm[@]}")

echo "==> Launching the app for the idle measurements (warm: the folders of start run 1)"
dir="$work/start-1"
launch_app "$dir"
read -r paint_upper paint_lower window_shown <<<"$(paint_after "$t0")"
[ "$paint_upper" != none ] || { echo "the window never painted" >&2; cat "$dir/app.out" >&2; exit 1; }
echo "window on screen after $window_shown ms; first paint between $paint_lower and $paint_upper ms after launch"
wait_online
echo "==> Opening $chats chats one at a time"
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
# The last chat's notifications (dunst shows each for a few seconds over the window, which then
# repaints what they covered) and its first render are not idleness: BENCH_SETTLE_SECONDS (0) pass
# before the idle sample starts.
if [ "$settle" -gt 0 ]; then
  echo "$chats chats active; settling ${settle} s"
  sleep "$settle"
fi
echo "$chats chats active; idling ${idle} s"

# memory_report SECONDS BEFORE AFTER PIDS…: the total "rss|pss|uss|cpu", then one table row per process.
memory_report() {
  python3 - "$tck" "$@" <<'PY'
import sys
tck, secs = int(sys.argv[1]), float(sys.argv[2])
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
    cpu = (after.get(pid, 0) - before.get(pid, 0)) / tck / secs * 100 if secs > 0 else 0.0
    total_rss += rss; total_pss += pss; total_uss += uss; total_cpu += cpu
    rows.append((comm, pid, rss, pss, uss, cpu))
print(f"{total_rss/1024:.1f} MiB|{total_pss/1024:.1f} MiB|{total_uss/1024:.1f} MiB|{total_cpu:.2f} %")
for comm, pid, rss, pss, uss, cpu in rows:
    print(f"| {comm} | {rss/1024:.1f} MiB | {pss/1024:.1f} MiB | {uss/1024:.1f} MiB | {cpu:.2f} % |")
print(f"| **total** | **{total_rss/1024:.1f} MiB** | **{total_pss/1024:.1f} MiB** | **{total_uss/1024:.1f} MiB** | **{total_cpu:.2f} %** |")
PY
}

# idle_sample SECONDS: idles that long, then prints the memory report of the app's processes.
idle_sample() {
  local pids before after
  pids=$(tree_pids "$app_pid")
  # shellcheck disable=SC2086
  before=$(cpu_ticks $pids)
  sleep "$1"
  pids=$(tree_pids "$app_pid")
  # shellcheck disable=SC2086
  after=$(cpu_ticks $pids)
  # shellcheck disable=SC2086
  memory_report "$1" "$before" "$after" $pids
}

report=$(idle_sample "$idle")
active=$(sim_get agents/cho | json_field '["chats"]')
[ "$active" -eq "$chats" ] || { echo "only $active chats still active after idling" >&2; exit 1; }
IFS='|' read -r total_rss total_pss total_uss total_cpu <<<"$(echo "$report" | head -n1)"
rows=$(echo "$report" | tail -n +2)

# The reply box focused (Ctrl+Shift+M), the caret blinking: an agent's normal idle state.
focus_cpu=skipped
if [ "$focus_idle" -gt 0 ] && command -v xdotool >/dev/null; then
  win=$(xdotool search --name '^Agent Desk' 2>/dev/null | head -n1 || true)
  if [ -n "$win" ]; then
    xdotool windowfocus --sync "$win" 2>/dev/null || true
    xdotool key --clearmodifiers ctrl+shift+m 2>/dev/null || true
    sleep 1
    focus_cpu=$(idle_sample "$focus_idle" | head -n1 | cut -d'|' -f4)
  fi
fi

growth_row="| after ${growth} s more idle (growth) | skipped | | |"
if [ "$growth" -gt 0 ]; then
  echo "==> Growth: ${growth} s more idle"
  IFS='|' read -r g_rss g_pss g_uss g_cpu <<<"$(idle_sample "$growth" | head -n1)"
  growth_row="| window shown, after ${growth} s more idle (growth) | ${g_rss} | ${g_pss} | ${g_uss} (CPU ${g_cpu}) |"
fi

tray_row="| hidden in the tray | skipped | | |"
hidden_rows="| skipped | | | | |"
tray_show=skipped
tray_ready=skipped
if [ "$tray" = 1 ]; then
  echo "==> Tray mode: closing the window to the tray (the window manager sends the close request)"
  if ! wmctrl -m >/dev/null 2>&1; then
    openbox --sm-disable >/dev/null 2>&1 &
    wm_pid=$!
    for _ in $(seq 100); do wmctrl -m >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  win=
  for _ in $(seq 100); do
    win=$(wmctrl -lp | awk -v pid="$app_pid" '$3 == pid { print $1; exit }')
    [ -n "$win" ] && break
    sleep 0.1
  done
  [ -n "$win" ] || { echo "the window manager does not list the app's window" >&2; exit 1; }
  wmctrl -i -c "$win"
  for _ in $(seq 300); do app_logs "$dir" | grep -q "webview released" && break; sleep 0.1; done
  app_logs "$dir" | grep -q "webview released" || { echo "the webview was not released" >&2; exit 1; }
  # The web process exits a moment after the webview goes.
  for _ in $(seq 100); do
    pages=0
    for p in $(tree_pids "$app_pid"); do
      grep -qs '^WebKitWebProc' "/proc/$p/comm" && pages=$((pages + 1))
    done
    [ "$pages" -eq 0 ] && break
    sleep 0.1
  done
  echo "    released ($pages web processes left); idling ${idle} s hidden"
  hidden=$(idle_sample "$idle")
  IFS='|' read -r h_rss h_pss h_uss h_cpu <<<"$(echo "$hidden" | head -n1)"
  tray_row="| hidden in the tray, webview released, ${idle} s idle | ${h_rss} | ${h_pss} | ${h_uss} (CPU ${h_cpu}) |"
  hidden_rows=$(echo "$hidden" | tail -n +2)
  echo "==> Showing the window again (a second launch hands over to the running app)"
  t_show=$(date +%s%N)
  AGENT_DESK_DEMO=1 AGENT_DESK_DATA_DIR="$dir/data" AGENT_DESK_SECRETS=memory "$app" >>"$dir/second.out" 2>&1 || true
  read -r tray_show _ _ <<<"$(paint_after "$t_show")"
  for _ in $(seq 100); do app_logs "$dir" | grep -q "shown again, page ready" && break; sleep 0.1; done
  tray_ready=$(app_logs "$dir" | grep -o 'mark="shown again, page ready" since_show_ms=[0-9.]*' | tail -n1 | sed 's/.*=//')
  tray_ready="${tray_ready:-not logged} ms"
  tray_show="${tray_show} ms"
fi

marks=$(marks_of "$dir" "$t0")
rendering=$(echo "$marks" | sed -n 's/^RENDERING //p')
marks=$(echo "$marks" | grep -v '^RENDERING ' || true)
cold_marks=$(echo "$cold_marks" | grep -v '^RENDERING ' || true)
mark_rows=$(python3 - "$cold_marks" "$marks" <<'PY'
import sys
def rows(text):
    out = {}
    for line in text.splitlines():
        parts = [p.strip() for p in line.strip().strip("|").split("|")]
        if len(parts) == 3:
            out[parts[0]] = (parts[1], parts[2])
    return out
cold, warm = rows(sys.argv[1]), rows(sys.argv[2])
for name in dict.fromkeys(list(cold) + list(warm)):
    c, w = cold.get(name, ("", "")), warm.get(name, ("", ""))
    print(f"| {name} | {c[0]} | {c[1]} | {w[0]} | {w[1]} |")
PY
)

deb=$(ls -t "$target"/release/bundle/deb/*.deb 2>/dev/null | head -n1 || true)
deb_size=n/a
[ -n "$deb" ] && deb_size=$(python3 -c "import os,sys; print(f'{os.path.getsize(sys.argv[1])/1048576:.2f} MiB ({os.path.basename(sys.argv[1])})')" "$deb")
bin_size=$(python3 -c "import os,sys; print(f'{os.path.getsize(sys.argv[1])/1048576:.2f} MiB')" "$app")

table=$(cat <<EOF
Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m), $(. /etc/os-release && echo "$PRETTY_NAME")), Xvfb 1280x800x24, simulator in its own process.

| figure | value |
| --- | --- |
| launch → first paint, cold (new folders and WebKit caches), median of ${start_runs} | ${cold_median} ms (${cold[*]}) |
| launch → first paint, warm (second launch on the same folders), median of ${start_runs} | ${warm_median} ms (${warm[*]}) |
| launch → first paint, the measured run (warm) | ${paint_upper} ms (window on screen, still blank, at ${window_shown} ms) |
| active chats during the idle minute | ${active} (agent \`cho\`, auto-accept) |
| CPU over ${idle} s idle, window shown (% of one core; ${settle} s settle first) | ${total_cpu} |
| CPU over ${focus_idle} s with the reply box focused (caret blinking) | ${focus_cpu} |
| tray → window shown, page ready (app log) | ${tray_ready} |
| tray → window shown and painted (screen grab, from the second launch) | ${tray_show} |
| rendering (app log) | ${rendering} |
| .deb bundle | ${deb_size} |
| app binary ($(basename "$(dirname "$app")")/agent-desk) | ${bin_size} |

| memory (app + WebKit processes) | RSS | PSS | USS |
| --- | --- | --- | --- |
| window shown, ${idle} s idle | ${total_rss} | ${total_pss} | ${total_uss} (CPU ${total_cpu}) |
${growth_row}
${tray_row}

Window shown, per process:

| process | RSS | PSS | USS | CPU |
| --- | --- | --- | --- | --- |
${rows}

Hidden in the tray, per process:

| process | RSS | PSS | USS | CPU |
| --- | --- | --- | --- | --- |
${hidden_rows}

| timing mark (app log) | cold start 1: since process start | since launch | measured run (warm): since process start | since launch |
| --- | --- | --- | --- | --- |
${mark_rows}
EOF
)
echo
echo "$table"
if [ -n "${BENCH_OUT:-}" ]; then
  echo "$table" > "$BENCH_OUT"
fi
