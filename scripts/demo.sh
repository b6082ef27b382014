#!/usr/bin/env bash
# `npm run demo`: a real VS Code (code-server) with Headroom installed and the demo workspace open,
# served on 127.0.0.1:$PORT (default 8080). Installs what it needs on a fresh machine (idempotent),
# builds the VSIX, prints the URL to open, and runs in the foreground until Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
log() { echo "[demo] $*" >&2; }

# Debian packages first: a user who can install none of them learns it before minutes of npm and pip.
bash scripts/system-packages.sh
[ -x node_modules/.bin/esbuild ] || { log "installing npm packages"; npm ci --no-audit --no-fund; }
log "preparing Python (pandas, scikit-learn) for the demo's scripts"
bash scripts/setup-python.sh >&2
code_server=$(bash scripts/setup-e2e.sh | tail -n 1)
log "building the VSIX"
npm run --silent package >&2
version=$(node -p 'require("./package.json").version')

cache=${HEADROOM_E2E_CACHE:-$HOME/.cache/headroom-e2e}
profile="$cache/demo-profile"
mkdir -p "$profile/user-data/User" "$profile/extensions"
cat >"$profile/user-data/User/settings.json" <<JSON
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "git.openRepositoryInParentFolders": "never",
  "headroom.python.path": "$repo/.venv/bin/python"
}
JSON
"$code_server" --force --install-extension "headroom-$version.vsix" \
  --extensions-dir "$profile/extensions" --user-data-dir "$profile/user-data" >&2

port=${PORT:-8080}
workspace="$repo/demo"
echo
echo "Headroom demo: open http://127.0.0.1:$port/?folder=$workspace"
echo "(Ctrl+C stops it. Runs and logs go to demo/.headroom/, which git ignores.)"
echo
exec "$code_server" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
  --extensions-dir "$profile/extensions" --user-data-dir "$profile/user-data" "$workspace"
