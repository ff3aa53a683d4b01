#!/usr/bin/env bash
# Makes the tones the desk plays (src-tauri/sounds/*.wav, bundled into the binary with
# include_bytes! by src-tauri/src/sound.rs). They are synthesised here from sine waves with sox, so
# they are ours to ship. Run it again only to change a tone; the WAV files are committed.
#   scripts/make-tones.sh
set -euo pipefail
cd "$(dirname "$0")/../src-tauri/sounds"
command -v sox >/dev/null || { echo "sox is missing: run scripts/setup.sh" >&2; exit 1; }

rate=22050
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# note FILE SECONDS HZ...: a soft note (the frequencies summed), quick attack, decaying tail.
note() {
  local out=$1 secs=$2
  shift 2
  local sines=()
  for hz in "$@"; do sines+=(sine "$hz"); done
  sox -n -r "$rate" -b 16 -c 1 "$work/n.wav" synth "$secs" "${sines[@]}" channels 1
  sox "$work/n.wav" "$out" fade q 0.004 -0 "$(awk -v s="$secs" 'BEGIN { print s * 0.85 }')"
}
# silence FILE SECONDS
silence() { sox -n -r "$rate" -b 16 -c 1 "$1" trim 0 "$2"; }
# finish OUT INPUTS...: joined, peak at -3 dBFS.
finish() {
  local out=$1
  shift
  sox "$@" "$work/joined.wav"
  sox "$work/joined.wav" -r "$rate" -b 16 -c 1 "$out" gain -n -3
}

# Message: two rising notes (E6, A6).
note "$work/m1.wav" 0.12 1318.5
note "$work/m2.wav" 0.28 1760
finish message.wav "$work/m1.wav" "$work/m2.wav"

# Phone: two short warbling bursts, like a soft desk phone.
sox -n -r "$rate" -b 16 -c 1 "$work/p.wav" synth 0.35 sine 880 sine 1108.7 channels 1 tremolo 18 60 fade q 0.01 -0 0.05
silence "$work/gap.wav" 0.12
finish phone.wav "$work/p.wav" "$work/gap.wav" "$work/p.wav"

# Bell: one struck note (B5 with its octave and twelfth), a long decay.
sox -n -r "$rate" -b 16 -c 1 "$work/b.wav" synth 1.1 sine 987.77 sine 1975.5 sine 2963.3 channels 1 fade q 0.002 -0 1.05
finish bell.wav "$work/b.wav"

# Chime: three rising notes (C6, E6, G6).
note "$work/c1.wav" 0.13 1046.5
note "$work/c2.wav" 0.13 1318.5
note "$work/c3.wav" 0.32 1568
finish chime.wav "$work/c1.wav" "$work/c2.wav" "$work/c3.wav"

for f in message phone bell chime; do
  printf '%s.wav: ' "$f"
  sox "$f.wav" -n stat 2>&1 | awk '/Length|RMS +amplitude/ { printf "%s ", $0 } END { print "" }'
done
