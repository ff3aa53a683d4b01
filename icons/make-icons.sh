#!/usr/bin/env bash
# Regenerates every icon in this folder with ImageMagick (`convert`); the PNGs are committed, so this
# runs only when the artwork changes. App icon: a chat bubble on a blue tile. Tray icons: the bubble
# with a dot in the availability's colour, plus an orange ring badge when something rings or is unread.
set -euo pipefail
cd "$(dirname "$0")"

bubble() { # size out
  local s=$1 out=$2
  convert -size 512x512 xc:none \
    -fill '#1f5fbf' -draw 'roundrectangle 16,16 496,496 96,96' \
    -fill white -draw 'roundrectangle 96,120 416,352 56,56' \
    -fill white -draw 'polygon 150,340 150,430 240,348' \
    -fill '#1f5fbf' -draw 'circle 176,236 176,264' -draw 'circle 256,236 256,264' -draw 'circle 336,236 336,264' \
    -resize "${s}x${s}" "PNG32:$out"
}

bubble 512 icon.png
bubble 32 32x32.png
bubble 128 128x128.png
bubble 256 128x128@2x.png  # macOS .icns
bubble 256 256x256.png      # Linux bundles: hicolor 256x256
bubble 64 64x64.png
convert icon.png -define icon:auto-resize=256,128,64,48,32,16 icon.ico
if command -v png2icns >/dev/null; then png2icns icon.icns icon.png 128x128@2x.png 128x128.png 32x32.png >/dev/null; fi  # png2icns: apt icnsutils

# Tray: 64x64 (the tray host scales it down).
declare -A colour=([online]='#2e9e44' [away]='#e0a800' [occupied]='#d03030' [offline]='#8a8a8a')
for a in online away occupied offline; do
  for alert in 0 1; do
    name="tray/$a.png"; [ "$alert" = 1 ] && name="tray/$a-alert.png"
    args=(64x64.png -fill "${colour[$a]}" -stroke white -strokewidth 3 -draw 'circle 48,48 48,62')
    [ "$alert" = 1 ] && args+=(-fill '#ff7a00' -stroke white -strokewidth 3 -draw 'circle 14,14 14,27')
    convert "${args[@]}" "PNG32:$name"
  done
done
