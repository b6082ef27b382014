#!/usr/bin/env bash
# Installs what the end-to-end tests and the demo need, idempotently (fast when already there):
#   - the Debian packages of scripts/system-packages.sh (chromium, and what code-server's native modules need)
#   - code-server 4.100.3 (VS Code 1.100.3 on Node 20) from the npm registry, into a cache dir outside the
#     repo, so that every clone on this machine reuses it: ${HEADROOM_E2E_CACHE:-~/.cache/headroom-e2e}
#     (.ci/run under CI points HEADROOM_E2E_CACHE at a fresh folder, so every CI run proves this install)
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

bash "$(dirname "$0")/system-packages.sh"

# --- code-server -------------------------------------------------------------------------------------
works() { [ -x "$BIN" ] && [ -f "$PREFIX/.installed" ] && "$BIN" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "; }

if works; then
  log "code-server $CODE_SERVER_VERSION already installed in $PREFIX"
else
  # The rg tarball goes into a temp dir of the cache's own (TMPDIR for the npm install below), not the
  # machine's /tmp, so a fresh cache folder shares nothing with earlier installs.
  install_tmp="$CACHE/tmp"
  rg_cache="$install_tmp/$RIPGREP_CACHE_NAME"
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
  # scripts that no allowScripts policy approved, so this one-off install approves all of them. As root,
  # that postinstall exits 1 ("Please pass --unsafe-perm to npm") unless npm_config_unsafe_perm=true
  # reaches it, which is what --unsafe-perm sets.
  script_flags=(--unsafe-perm)
  if npm config ls -l 2>/dev/null | grep -q '^dangerously-allow-all-scripts'; then
    script_flags+=(--dangerously-allow-all-scripts)
  fi
  npm_log="$CACHE/code-server-install.log"
  if ! TMPDIR="$install_tmp" npm_config_yes=true npm install --no-save --no-audit --no-fund --foreground-scripts "${script_flags[@]}" \
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
