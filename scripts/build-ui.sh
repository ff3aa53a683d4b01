#!/usr/bin/env bash
# Builds the web UI (type check + Vite) and puts it in ui/dist only when the output differs from
# what is there. The app embeds ui/dist, and cargo rebuilds it (a ~6 min release build with LTO)
# whenever those files are newer than its last build; an identical UI rewritten by Vite would be
# "newer", so an unchanged UI keeps its old files and dates.
set -euo pipefail
cd "$(dirname "$0")/../ui"
out=$(mktemp -d /tmp/agent-desk-ui.XXXXXX)
trap 'rm -rf "$out"' EXIT
npm run build -- --outDir "$out" --emptyOutDir
# The bundle's size, raw and gzipped; fails when well over its budget (see the script).
node scripts/bundle-size.mjs "$out"
if [ -d dist ] && diff -rq "$out" dist >/dev/null; then
  echo "build-ui: ui/dist is unchanged (kept as it was)"
else
  rm -rf dist
  cp -r "$out" dist
  echo "build-ui: ui/dist updated"
fi
