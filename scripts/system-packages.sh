#!/usr/bin/env bash
# The Debian packages the quick start needs (one list), checked before anything else runs, so that
# `npm run demo` and `bash .ci/run` either install them or stop at once with the one line to run.
#   chromium                      headless browser for the end-to-end tests, the demo check and benches
#   ripgrep                       rg for code-server (its @vscode/ripgrep would download one otherwise)
#   pkg-config g++ make           code-server's postinstall builds VS Code's native modules (node-gyp)...
#   libkrb5-dev libxkbfile-dev libsecret-1-dev   ...against these headers
#   python3-venv                  the virtual environments of scripts/setup-python.sh
#   python3-pandas                Debian's pandas 1.5 on /usr/bin/python3 (the third pandas model)
# Root installs them with apt-get; another user through `sudo -n` (sudo without a password prompt);
# a user with neither gets one message naming the packages and exits 1.
set -euo pipefail

PACKAGES=(chromium ripgrep pkg-config g++ make libkrb5-dev libxkbfile-dev libsecret-1-dev python3-venv python3-pandas)
log() { echo "[headroom setup] $*" >&2; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for package in "${PACKAGES[@]}"; do installed "$package" || missing+=("$package"); done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  log "missing Debian packages: ${missing[*]}"
  log "This user is not root and has no password-less sudo, so they cannot be installed from here."
  log "Run this as root (or with sudo), then run this command again:"
  log "    apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  exit 1
fi

log "installing ${missing[*]} (apt-get, a minute or two on a fresh machine)"
export DEBIAN_FRONTEND=noninteractive
# Try without a fresh index first: on a machine whose lists are current this saves the update.
if ! "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  "${as_root[@]}" apt-get update -q >/dev/null
  "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
still=()
for package in "${missing[@]}"; do installed "$package" || still+=("$package"); done
if [ ${#still[@]} -gt 0 ]; then
  log "apt-get did not install: ${still[*]}"
  exit 1
fi
