#!/usr/bin/env bash
# Installs what the end-to-end tests and the demo need, idempotently (fast when already there):
#   - Debian's chromium (driven by playwright-core) and the libraries code-server's native modules build against
#   - code-server 4.100.3 (VS Code 1.100.3 on Node 20) from the npm registry, into a cache dir outside the
#     repo, so that every clone on this machine reuses it: ${HEADROOM_E2E_CACHE:-~/.cache/headroom-e2e}
# Prints the code-server path on its last line. See shared/reference/real-vscode-on-this-machine.md.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# @vscode/ripgrep, as pinned by code-server 4.100.3's VS Code, downloads rg at install time; there is no
# internet here, so it gets Debian's rg through the cache directory it checks before downloading.
RIPGREP_CACHE_NAME=vscode-ripgrep-cache-1.15.11
RIPGREP_TARBALL=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

CACHE=${HEADROOM_E2E_CACHE:-$HOME/.cache/headroom-e2e}
PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
BIN="$PREFIX/node_modules/.bin/code-server"
log() { echo "[setup-e2e] $*" >&2; }

# --- apt packages (only those missing) -------------------------------------------------------------------
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
command -v pkg-config >/dev/null || missing+=(pkg-config)
for lib in libkrb5-dev libxkbfile-dev libsecret-1-dev; do
  dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q 'install ok installed' || missing+=("$lib")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing packages: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  log "installing ${missing[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  # Try without a fresh index first: on a machine whose lists are current this saves the update.
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
fi

# --- code-server -------------------------------------------------------------------------------------
works() { [ -x "$BIN" ] && [ -f "$PREFIX/.installed" ] && "$BIN" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "; }

if works; then
  log "code-server $CODE_SERVER_VERSION already installed in $PREFIX"
else
  rg_cache="$(node -p 'require("os").tmpdir()')/$RIPGREP_CACHE_NAME"
  if [ ! -s "$rg_cache/$RIPGREP_TARBALL" ]; then
    pack=$(mktemp -d)
    mkdir -p "$rg_cache"
    cp "$(command -v rg)" "$pack/rg"
    tar czf "$rg_cache/$RIPGREP_TARBALL" -C "$pack" rg
    rm -rf "$pack"
  fi
  log "installing code-server $CODE_SERVER_VERSION into $PREFIX (npm, about a minute)"
  rm -rf "$PREFIX"
  mkdir -p "$PREFIX"
  # A package.json of its own keeps npm from climbing to an enclosing project.
  echo '{ "name": "headroom-e2e-code-server", "private": true }' >"$PREFIX/package.json"
  # code-server's postinstall builds VS Code's native modules and must run; npm 11 holds back install
  # scripts that no allowScripts policy approved, so this one-off install approves all of them.
  script_flags=()
  if npm config ls -l 2>/dev/null | grep -q '^dangerously-allow-all-scripts'; then
    script_flags+=(--dangerously-allow-all-scripts)
  fi
  npm_log="$CACHE/code-server-install.log"
  if ! npm_config_yes=true npm install --no-save --no-audit --no-fund --foreground-scripts "${script_flags[@]}" \
    --prefix "$PREFIX" "code-server@$CODE_SERVER_VERSION" >"$npm_log" 2>&1; then
    tail -n 40 "$npm_log" >&2
    log "npm install of code-server failed; full log: $npm_log"
    exit 1
  fi
  # The postinstall must have built the VS Code server's node modules (without it, code-server cannot start).
  if [ ! -d "$PREFIX/node_modules/code-server/lib/vscode/node_modules" ] || ! "$BIN" --version >/dev/null 2>&1; then
    tail -n 40 "$npm_log" >&2
    log "code-server installed but its install scripts did not complete; full log: $npm_log"
    exit 1
  fi
  touch "$PREFIX/.installed"
  works || { log "code-server $CODE_SERVER_VERSION does not report its version"; exit 1; }
  log "code-server ready"
fi
echo "$BIN"
