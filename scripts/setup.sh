#!/usr/bin/env bash
# Installs everything `npm test` and `npm start` need, and nothing twice: a second run takes about a second.
#   Debian packages: chromium (extension-host and UI tests), libkrb5-dev, make, g++, python3 (code-server's native
#   modules build from source), nats-server (Debian's 2.9.10: the oldest server we support).
#   npm: the project's own dependencies; Node 24 and code-server into a tools folder outside the repo (default
#   ~/.cache/nats-k3s-tools, override with NATS_K3S_TOOLS), each from the lockfile committed in tools/.
#   Go: nats-server 2.14, the nats CLI, helm v3 and v4, kine, kwok, kube-apiserver, kube-controller-manager and
#   kubectl, built from the modules pinned in tools/go/*/go.mod into the same tools folder.
# Then it writes out/tools.json, which names every binary. Every failure ends with one plain sentence on stderr
# and a non-zero exit.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
tools="${NATS_K3S_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/nats-k3s-tools}"
chromium_bin="${NATS_K3S_CHROMIUM:-/usr/bin/chromium}"
debian_nats_server=/usr/sbin/nats-server # Debian puts it in sbin

# shellcheck source=setup/common.sh
. "$repo/scripts/setup/common.sh"
# shellcheck source=setup/go-tools.sh
. "$repo/scripts/setup/go-tools.sh"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) node_arch=x64 ;;
  Linux-aarch64 | Linux-arm64) node_arch=arm64 ;;
  *) fail "this machine is $(uname -s) on $(uname -m); the test tools install on Linux x64 and arm64 only." ;;
esac

# --- Debian packages ---------------------------------------------------------------------------------------
missing=()
[ -x "$debian_nats_server" ] || missing+=(nats-server)
[ -x "$chromium_bin" ] || missing+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v python3 >/dev/null 2>&1 || missing+=(python3)

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

# --- the project's own node_modules ----------------------------------------------------------------------------
# Installed when the lockfile differs from the one of the last install (by content: a checkout or a copy changes
# modification times, and `npm ci` empties node_modules before it downloads, so a needless run can leave it empty).
installed_lock="$repo/node_modules/.nats-k3s-setup-lock.json"
if ! cmp -s "$repo/package-lock.json" "$installed_lock"; then
  say "installing the project's npm dependencies"
  (cd "$repo" && npm_or_fail "npm ci" npm_clean timeout 900 npm ci "${npm_flags[@]}")
  cp "$repo/package-lock.json" "$installed_lock"
fi

# A tools subfolder installed by `npm ci` from tools/$1's committed package.json and package-lock.json.
# $2 = what to say, $3 = the command that prints the installed version, $4 = the version wanted; rest = env for npm.
install_locked() {
  local name="$1" what="$2" check="$3" want="$4"; shift 4
  local dir="$tools/$name"
  if [ -f "$dir/.complete" ] && cmp -s "$repo/tools/$name/package-lock.json" "$dir/package-lock.json" &&
    [ "$(eval "$check" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  say "installing $what into $dir"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$repo/tools/$name/package.json" "$repo/tools/$name/package-lock.json" "$dir/"
  (cd "$dir" && npm_or_fail "installing $what" npm_clean "$@" timeout 1500 npm ci "${npm_flags[@]}" --foreground-scripts)
  [ "$(eval "$check" 2>/dev/null)" = "$want" ] || fail "installing $what left no working copy in $dir; delete that folder, then run this again."
  touch "$dir/.complete"
}

# --- Node 24, exact (code-server needs it; the rest runs on any Node >= 20) ------------------------------------
node24_version="$(sed -nE 's/.*"node": "([0-9.]+)".*/\1/p' "$repo/tools/node24/package.json")"
n24="$tools/node24/node_modules/node/node_modules/node-linux-$node_arch"
install_locked node24 "Node $node24_version" '"$n24/bin/node" --version' "v$node24_version"

# --- code-server (a real VS Code host for the extension-host and UI tests and the demo) ------------------------
code_server_version="$(sed -nE 's/.*"code-server": "([0-9.]+)".*/\1/p' "$repo/tools/code-server/package.json")"
cs="$tools/code-server/node_modules/code-server"
# npm must run on Node 24 (code-server's postinstall checks it) and build native modules against its headers.
install_locked code-server "code-server $code_server_version (about two minutes: native modules build)" \
  "\"\$n24/bin/node\" -p \"require('$cs/package.json').version\"" "$code_server_version" \
  PATH="$n24/bin:$PATH" npm_config_nodedir="$n24"

# --- Go tools -------------------------------------------------------------------------------------------------
build_go_tools
gobin="$tools/go/bin"

# --- check what the tests rely on --------------------------------------------------------------------------------
want_nats="$(go_mod_version nats-server github.com/nats-io/nats-server/v2)"
got_nats="$("$gobin/nats-server" --version 2>&1 | sed -nE 's/^nats-server: (v[0-9.]+).*/\1/p' || true)"
[ "$got_nats" = "$want_nats" ] || fail "$gobin/nats-server reports ${got_nats:-no version}, not $want_nats; delete $tools/go, then run this again."
oldest_nats="$("$debian_nats_server" --version 2>&1 | sed -nE 's/^nats-server: v?([0-9.]+).*/\1/p' || true)"
case "$oldest_nats" in
  2.9.*) ;;
  *) fail "$debian_nats_server is nats-server ${oldest_nats:-of unknown version}; the compatibility pass needs Debian's 2.9 (apt-get install nats-server on Debian 12)." ;;
esac

# Tell the Node scripts where the tools are (written whole, then renamed).
mkdir -p "$repo/out"
cat >"$repo/out/tools.json.tmp" <<JSON
{
  "node24": "$n24/bin/node",
  "codeServer": "$cs",
  "chromium": "$chromium_bin",
  "natsServer": "$gobin/nats-server",
  "natsServerVersion": "${want_nats#v}",
  "natsServerOldest": "$debian_nats_server",
  "natsServerOldestVersion": "$oldest_nats",
  "nats": "$gobin/nats",
  "helm3": "$gobin/helm3",
  "helm4": "$gobin/helm4",
  "kine": "$gobin/kine",
  "kwok": "$gobin/kwok",
  "kubeApiserver": "$gobin/kube-apiserver",
  "kubeControllerManager": "$gobin/kube-controller-manager",
  "kubectl": "$gobin/kubectl"
}
JSON
mv -f "$repo/out/tools.json.tmp" "$repo/out/tools.json"
