#!/usr/bin/env bash
# Installs Agent Desk's .deb on a clean Debian 12 (bookworm) and runs it there:
#
#   1. a fresh copy of a minimal Debian 12 (debootstrap --variant=minbase, cached under
#      /var/cache/agent-desk/; each run starts from the untouched copy through an overlay whose
#      writable layer is a tmpfs),
#   2. `apt-get install --no-install-recommends ./agent-desk.deb`: the package's Depends alone must
#      bring everything the app needs,
#   3. the installed tree: /usr/bin/agent-desk, the .desktop file (Name, Exec, Icon, Categories;
#      desktop-file-validate), the hicolor icons (each PNG the size its folder says), the package name,
#   4. the INSTALLED `agent-desk --demo` on an X display: the window paints (a screen grab with many
#      colours), its title is "Agent Desk", and the app's log says the demo logged in to its
#      embedded simulator over https,
#   5. `apt-get remove --purge`: every file the package listed is gone and dpkg forgets it.
#
# The X server (Xvfb) and a private D-Bus session bus run on the host and are shared with the chroot
# through their sockets, so nothing but the package and its dependencies is installed in it.
# apt's package lists and downloaded .debs are kept in /var/cache/agent-desk/install-test-apt/
# between runs (they do not change what is installed, only how fast).
#
# Usage: scripts/test-install.sh [PATH.deb]   (default: the newest .deb of scripts/package.sh under
#        $CARGO_TARGET_DIR/release/bundle/deb/)
# Needs root, debootstrap, chroot, mount (overlayfs), Xvfb, dbus-daemon, ImageMagick's `import`,
# xdotool, xprop and python3. Without them it says it skipped, except under CI=true, where it fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
cache=/var/cache/agent-desk
base=$cache/chroot-bookworm-minbase-v1
apt_cache=$cache/install-test-apt
pkg=agent-desk

say() { echo "install-test: $*"; }
fail() { echo "install-test: FAILED: $*" >&2; exit 1; }
cannot_run() {
  if [ "${CI:-}" = true ]; then fail "$1, so the install test cannot run (it must run in CI)."; fi
  say "SKIPPED: $1."
  exit 0
}

deb=${1:-}
if [ -z "$deb" ]; then
  deb=$(find "$target/release/bundle/deb" -maxdepth 1 -name '*.deb' -printf '%T@ %p\n' 2>/dev/null | sort -rn | head -n1 | cut -d' ' -f2- || true)
  [ -n "$deb" ] || fail "no .deb under $target/release/bundle/deb/: build one with scripts/package.sh --bundles deb."
fi
[ -f "$deb" ] || fail "$deb does not exist."

[ "$(id -u)" -eq 0 ] || cannot_run "this is $(id -un), not root (a chroot and its mounts need root)"
for tool in debootstrap chroot mount umount Xvfb dbus-daemon import xdotool xprop python3; do
  command -v "$tool" >/dev/null || cannot_run "$tool is not installed (scripts/setup.sh installs it)"
done
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || true
grep -qw overlay /proc/filesystems || cannot_run "the kernel has no overlayfs"

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s until it succeeds; fails with
# "DESCRIPTION did not happen within SECONDS s" otherwise.
wait_for() {
  local seconds=$1 deadline
  shift 2
  deadline=$((SECONDS + seconds))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

# ---------------------------------------------------------------------------------------------
# The cached clean Debian 12 (about a minute the first time).
if [ ! -x "$base/usr/bin/apt-get" ]; then
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/chroot-build.XXXXXX")
  chmod 755 "$tmp"
  # The machine's own Debian mirror (debootstrap's default when none is configured).
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 ~ /^bookworm$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  say "building a clean Debian 12 in $base (debootstrap --variant=minbase bookworm ${mirror:-default mirror})"
  start=$SECONDS
  if ! debootstrap --variant=minbase bookworm "$tmp" ${mirror:+"$mirror"} >"$tmp.log" 2>&1; then
    tail -n 5 "$tmp.log" >&2
    rm -rf "$tmp"
    fail "debootstrap could not build a Debian 12 chroot (log: $tmp.log)."
  fi
  rm -f "$tmp.log"
  if ! mv -T "$tmp" "$base" 2>/dev/null; then rm -rf "$tmp"; fi  # another run made it first
  say "built in $((SECONDS - start)) s"
fi

# ---------------------------------------------------------------------------------------------
# This run's copy: an overlay on the cached tree (which stays untouched), and its mounts.
run=$(mktemp -d "$cache/install-test-run.XXXXXX")
sysroot=$run/root
mounts=()     # unmounted in reverse order on exit
host_pids=()  # Xvfb, dbus-daemon
app_pid=

# Every process whose root is the chroot (the app, WebKit's helpers, a stuck apt), by pid.
chroot_pids() {
  local p link
  for p in /proc/[0-9]*; do
    link=$(readlink "$p/root" 2>/dev/null) || continue
    [ "$link" = "$sysroot" ] && echo "${p#/proc/}"
  done
  return 0
}
no_chroot_processes() { [ -z "$(chroot_pids)" ]; }
stop_chroot_processes() {
  local pids
  pids=$(chroot_pids)
  [ -n "$pids" ] || return 0
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  wait_for 10 "the chroot's processes ended" no_chroot_processes && return 0
  # shellcheck disable=SC2046
  kill -KILL $(chroot_pids) 2>/dev/null || true
  wait_for 5 "the chroot's processes were killed" no_chroot_processes || true
}
cleanup() {
  local rc=$? i
  set +e
  stop_chroot_processes
  for ((i = ${#host_pids[@]} - 1; i >= 0; i--)); do kill "${host_pids[i]}" 2>/dev/null; done
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" 2>/dev/null \
      || echo "install-test: could not unmount ${mounts[i]}" >&2
  done
  if grep -qF " $run/" /proc/self/mounts; then
    echo "install-test: mounts are left under $run, so it is not deleted" >&2
  else
    rm -rf "$run"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# mount_at WHERE ARGS...: mounts and remembers WHERE for the cleanup.
mount_at() {
  local where=$1
  shift
  mkdir -p "$where"
  mount "$@" "$where" || fail "could not mount $where ($*)."
  mounts+=("$where")
}
mkdir -p "$apt_cache/archives/partial" "$apt_cache/lists/partial"
# The overlay's writable layer in memory (about 700 MB once installed): faster than the disk, and
# gone with one umount instead of a long rm -rf.
mount_at "$run/rw" -t tmpfs -o size=4g,mode=755 tmpfs
mkdir -p "$run/rw/upper" "$run/rw/work"
mount_at "$sysroot" -t overlay overlay -o "lowerdir=$base,upperdir=$run/rw/upper,workdir=$run/rw/work"
mount_at "$sysroot/proc" -t proc proc
mount_at "$sysroot/sys" -t sysfs -o ro sysfs
mount_at "$sysroot/dev" --bind /dev
mount_at "$sysroot/dev/pts" -t devpts -o newinstance,ptmxmode=0666 devpts
mount_at "$sysroot/dev/shm" -t tmpfs -o mode=1777 tmpfs
mount_at "$sysroot/var/cache/apt/archives" --bind "$apt_cache/archives"
mount_at "$sysroot/var/lib/apt/lists" --bind "$apt_cache/lists"

in_chroot() {
  chroot "$sysroot" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 HOME=/root DEBIAN_FRONTEND=noninteractive "$@"
}

# Debian 12 as installed: the release, its updates and its security updates (from the mirror the
# host uses, or Debian's own).
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}
security=$(awk '/^URIs:/ && /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
security=${security:-http://deb.debian.org/debian-security}
printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' \
  "$mirror" "$mirror" "$security" >"$sysroot/etc/apt/sources.list"

# A throwaway system: dpkg need not fsync every file it unpacks (about half the install time).
echo force-unsafe-io >"$sysroot/etc/dpkg/dpkg.cfg.d/agent-desk-test-unsafe-io"

# ---------------------------------------------------------------------------------------------
say "installing $(basename "$deb") on a clean Debian 12 (only its Depends)"
cp "$deb" "$sysroot/tmp/$pkg.deb"
start=$SECONDS
in_chroot apt-get update -qq >"$run/apt.log" 2>&1 \
  || { tail -n 5 "$run/apt.log" >&2; fail "apt-get update failed in the chroot (is the Debian mirror $mirror reachable?)."; }
if ! in_chroot apt-get install -y -q --no-install-recommends "/tmp/$pkg.deb" >>"$run/apt.log" 2>&1; then
  tail -n 15 "$run/apt.log" >&2
  fail "apt-get install ./$(basename "$deb") failed on a clean Debian 12."
fi
say "installed in $((SECONDS - start)) s ($(grep -c '^Setting up' "$run/apt.log") packages set up)"

# shellcheck disable=SC2016 # dpkg-query's format, not the shell's
status=$(in_chroot dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$pkg" 2>/dev/null || true)
case "$status" in
  "ii "*) say "dpkg: $pkg $(echo "${status#ii }" | tr -d ' ') installed" ;;
  *) fail "dpkg does not list the package '$pkg' as installed after apt-get (status: '${status:-none}')." ;;
esac
in_chroot dpkg-query -L "$pkg" >"$run/files" || fail "dpkg -L $pkg failed."

# ---------------------------------------------------------------------------------------------
say "checking the installed tree"
[ -x "$sysroot/usr/bin/agent-desk" ] || fail "/usr/bin/agent-desk is not installed (or not executable)."
found=$(in_chroot sh -c 'command -v agent-desk' || true)
[ "$found" = /usr/bin/agent-desk ] || fail "agent-desk on the chroot's PATH is '${found:-nothing}', not /usr/bin/agent-desk."
missing=$(in_chroot sh -c 'ldd /usr/bin/agent-desk | grep "not found"' || true)
[ -z "$missing" ] || fail "the installed binary lacks shared libraries: $(echo "$missing" | awk '{print $1}' | tr '\n' ' ')"

mapfile -t desktops < <(grep -E '^/usr/share/applications/[^/]+\.desktop$' "$run/files")
[ "${#desktops[@]}" -eq 1 ] || fail "the package has ${#desktops[@]} .desktop files under /usr/share/applications, not one."
desktop=${desktops[0]}
entry() { # KEY: the value of KEY in the [Desktop Entry] group
  awk -F= -v key="$1" '/^\[/ {group = $0} group == "[Desktop Entry]" && $1 == key {sub(/^[^=]*=/, ""); print; exit}' \
    "$sysroot$desktop"
}
[ "$(entry Type)" = Application ] || fail "$desktop: Type is '$(entry Type)', not Application."
[ "$(entry Name)" = "Agent Desk" ] || fail "$desktop: Name is '$(entry Name)', not 'Agent Desk'."
exec_cmd=$(entry Exec | awk '{print $1}')
exec_path=$(in_chroot sh -c "command -v '$exec_cmd'" || true)
[ "$exec_path" = /usr/bin/agent-desk ] || fail "$desktop: Exec runs '$exec_cmd', which is not the installed /usr/bin/agent-desk."
icon=$(entry Icon)
[ -n "$icon" ] || fail "$desktop has no Icon."
# Categories must include one of the freedesktop.org main categories, or menus file it under "Other".
if ! entry Categories | tr ';' '\n' | grep -qxE 'AudioVideo|Audio|Video|Development|Education|Game|Graphics|Network|Office|Science|Settings|System|Utility'; then
  fail "$desktop: Categories '$(entry Categories)' has no freedesktop.org main category."
fi
if command -v desktop-file-validate >/dev/null; then
  out=$(desktop-file-validate "$sysroot$desktop" 2>&1) || fail "desktop-file-validate rejects $desktop: $out"
  [ -z "$out" ] || say "desktop-file-validate notes: $out"
elif [ "${CI:-}" = true ]; then
  fail "desktop-file-validate is not installed (package desktop-file-utils; scripts/setup.sh installs it)."
else
  say "(desktop-file-validate is not installed; the .desktop file was checked by hand only)"
fi
say "$desktop: Name=$(entry Name), Exec=$(entry Exec), Icon=$icon, Categories=$(entry Categories)"

# Icons: Icon=NAME must resolve to hicolor/SIZE/apps/NAME.png, and each PNG must be the size its
# folder names (NxN: N pixels; NxN@2: 2N pixels).
mapfile -t icons < <(grep -E "^/usr/share/icons/hicolor/[^/]+/apps/$icon\.png$" "$run/files")
[ "${#icons[@]}" -gt 0 ] || fail "no icon named $icon.png under /usr/share/icons/hicolor/*/apps/ for Icon=$icon."
sizes=()
for f in "${icons[@]}"; do
  [ -s "$sysroot$f" ] || fail "$f is listed by dpkg but missing or empty."
  folder=$(basename "$(dirname "$(dirname "$f")")")
  actual=$(python3 - "$sysroot$f" <<'EOF'
import struct, sys
head = open(sys.argv[1], "rb").read(24)
if head[:8] != b"\x89PNG\r\n\x1a\n":
    print("not-a-png")
else:
    print("%dx%d" % struct.unpack(">II", head[16:24]))
EOF
)
  if [[ $folder =~ ^([0-9]+)x([0-9]+)(@([0-9]+))?$ ]]; then
    scale=${BASH_REMATCH[4]:-1}
    expected="$((BASH_REMATCH[1] * scale))x$((BASH_REMATCH[2] * scale))"
  else
    fail "$f is in '$folder', which is not a hicolor size folder (NxN or NxN@S)."
  fi
  [ "$actual" = "$expected" ] || fail "$f is $actual pixels, but its folder $folder means $expected."
  sizes+=("$folder")
done
say "icons: ${sizes[*]}"

# ---------------------------------------------------------------------------------------------
say "launching the installed agent-desk --demo"
# Xvfb on a free display (-displayfd picks it), reachable from the chroot through /tmp/.X11-unix.
exec 3< <(Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp -noreset 2>"$run/xvfb.log")
host_pids+=($!)
read -r -t 20 display <&3 || fail "Xvfb did not start within 20 s: $(tail -n 3 "$run/xvfb.log")"
export DISPLAY=":$display"
mount_at "$sysroot/tmp/.X11-unix" --bind /tmp/.X11-unix
# A private session bus (no service files: nothing of the host is started for the app).
mkdir -p "$run/bus"
cat >"$run/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$run/bus/socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
dbus-daemon --config-file="$run/bus.conf" --nofork --nopidfile >"$run/dbus.log" 2>&1 &
host_pids+=($!)
wait_for 10 "the session bus" test -S "$run/bus/socket" || fail "dbus-daemon did not start within 10 s: $(cat "$run/dbus.log")"
mount_at "$sysroot/run/session-bus" --bind "$run/bus"
install -d -m 700 "$sysroot/run/user/0"

log_dir=$sysroot/root/.local/share/com.agentdesk.desk/logs
chroot "$sysroot" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME=/root USER=root \
  DISPLAY="$DISPLAY" DBUS_SESSION_BUS_ADDRESS=unix:path=/run/session-bus/socket XDG_RUNTIME_DIR=/run/user/0 \
  agent-desk --demo >"$run/app.out" 2>&1 &
app_pid=$!
launched=$SECONDS

app_log() { cat "$log_dir"/agent-desk*.log 2>/dev/null || true; }
app_failed() { # one sentence and the end of the app's output
  echo "install-test: the app's output (last lines):" >&2
  tail -n 20 "$run/app.out" | sed 's/^/    /' >&2
  fail "$1"
}
app_running() { kill -0 "$app_pid" 2>/dev/null; }
app_exited() { # WHEN: the app is gone; say with which status
  local rc=0
  wait "$app_pid" 2>/dev/null || rc=$?
  app_failed "agent-desk exited (status $rc) $1."
}

# The window paints: a screen grab with many colours (an empty screen has one, the bare window a
# couple; the rendered page has text, buttons and the chat list).
colours() {
  import -display "$DISPLAY" -window root -depth 8 rgb:- 2>/dev/null | python3 -c '
import sys
raw = sys.stdin.buffer.read()
print(len({raw[i:i + 3] for i in range(0, len(raw) - 2, 21)}))'
}
painted() {
  app_running || app_exited "before its window painted"
  [ "$(colours)" -ge 24 ]
}
wait_for 60 "first paint" painted || app_failed "the window did not paint within 60 s (the screen shows $(colours) colours)."
say "the window painted $((SECONDS - launched)) s after launch ($(colours) colours on screen)"

# The window: titled after the app ("Agent Desk", then counts such as " — 1 ringing"), and of the
# X class the .desktop file's StartupWMClass names, so docks and menus match it to its launcher.
wm_class=$(entry StartupWMClass)
[ -n "$wm_class" ] || fail "$desktop has no StartupWMClass."
app_window() { xdotool search --name '^Agent Desk( |$)' 2>/dev/null | head -n1; }
window_shown() { [ -n "$(app_window)" ]; }
wait_for 10 "the window title" window_shown || app_failed "no window titled 'Agent Desk' is on the display."
win=$(app_window)
classes=$(xprop -id "$win" WM_CLASS 2>/dev/null | sed -n 's/^WM_CLASS([A-Z_]*) = //p')
grep -qF "\"$wm_class\"" <<<"$classes" \
  || fail "the window's WM_CLASS is '${classes:-unset}', which does not match StartupWMClass=$wm_class in $desktop."
say "window $win: title '$(xdotool getwindowname "$win")', WM_CLASS $classes"

logged_in() {
  app_running || app_exited "before the demo logged in"
  if app_log | grep -q 'demo mode could not start'; then
    app_failed "the app logged that the demo could not start: $(app_log | grep 'demo mode could not start' | head -n1)"
  fi
  app_log | grep -q 'demo mode: logged in'
}
wait_for 60 "the demo login" logged_in || app_failed "the app's log ($log_dir) never said 'demo mode: logged in' within 60 s."
sim_url=$(app_log | sed -n 's/.*demo simulator started url=\([^ ]*\).*/\1/p' | head -n1)
case "$sim_url" in
  https://*) ;;
  *) app_failed "the demo simulator is not served over https (its logged url: '${sim_url:-none}')." ;;
esac
say "the app's log: $(app_log | grep -o 'demo mode: logged in.*' | head -n1) (simulator $sim_url)"
app_running || app_exited "after logging in"

kill -TERM "$app_pid"
wait_for 15 "the app to exit" no_chroot_processes || say "(the app did not exit within 15 s of SIGTERM; killing it)"
stop_chroot_processes
wait "$app_pid" 2>/dev/null || true
app_pid=

# ---------------------------------------------------------------------------------------------
say "removing the package (apt-get remove --purge)"
in_chroot apt-get remove --purge -y -q "$pkg" >>"$run/apt.log" 2>&1 \
  || { tail -n 10 "$run/apt.log" >&2; fail "apt-get remove --purge $pkg failed."; }
# shellcheck disable=SC2016
status=$(in_chroot dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
[ -z "$status" ] || [ "$status" = "un " ] || fail "dpkg still knows $pkg after the purge (status '$status')."
left=()
while IFS= read -r f; do
  if [ -z "$f" ] || [ "$f" = /. ]; then continue; fi
  if [ -d "$sysroot$f" ] && [ ! -L "$sysroot$f" ]; then
    # A folder may stay when another package owns it too, or something else is in it.
    in_chroot dpkg-query -S "$f" >/dev/null 2>&1 && continue
    [ -n "$(ls -A "$sysroot$f")" ] && continue
    left+=("$f/")
  elif [ -e "$sysroot$f" ] || [ -L "$sysroot$f" ]; then
    left+=("$f")
  fi
done <"$run/files"
[ "${#left[@]}" -eq 0 ] || fail "the purge left ${#left[@]} of the package's paths behind: ${left[*]}"
say "purged: none of the $(grep -c . "$run/files") paths it installed is left"

say "passed in $SECONDS s (removing this run's copy)"
