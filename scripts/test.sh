#!/usr/bin/env bash
# Runs every test of Agent Desk: Rust unit, integration and end-to-end suites (the real app window
# under Xvfb over WebDriver), the UI's unit tests (vitest) and its headless-Chromium tests.
# Installs what is missing first (scripts/setup.sh), so it works on a fresh Debian machine.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/setup.sh

step() { printf '\n==> %s\n' "$*"; }

step "setup.sh's checks: a clean Debian 12 chroot and varied environments (seconds once the chroot is cached)"
bash scripts/test-setup.sh

step "GitHub Actions workflows (actionlint)"
bash scripts/lint-workflows.sh

step "UI build (the app embeds ui/dist; an unchanged UI keeps its files, so the app is not rebuilt)"
bash scripts/build-ui.sh

step "Format"
cargo fmt --all -- --check

step "Build the workspace once, all targets (avoids rebuilds from feature unification)"
cargo build --workspace --all-targets --locked

step "Lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "TypeScript bindings are up to date"
bash scripts/check-bindings.sh

step "UI unit tests (vitest)"
(cd ui && npm test)

step "UI in headless Chromium"
(cd ui && npm run test:browser)

step "Rust tests, inside a throwaway desktop session (Xvfb, D-Bus, keyring, notification daemon)"
# --include-ignored: the tests that need the desktop session are #[ignore]d (a plain `cargo test`
# outside one lists them as ignored); here the session is there, so they run.
scripts/desktop-session.sh cargo test --workspace --locked --no-fail-fast -- --include-ignored

step "Client, engine and CLI suites again over https: the simulator reading fromEventIds the other way (spec §4.13), lists always arrays"
scripts/desktop-session.sh scripts/test-other-reading.sh

step "Linux packages (.deb, .rpm; a release build), then the .deb installed, launched and purged on a clean Debian 12 chroot"
bash scripts/package.sh
bash scripts/test-install.sh

echo
echo "all tests passed"
