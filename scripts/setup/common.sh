# Shared by scripts/setup.sh and its parts: messages, and npm run with a clean environment.

say() { printf 'setup: %s\n' "$*" >&2; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# Runs a command without what an outer npm run exports. Under `npm test` npm sets npm_config_user_agent
# ("npm/11 node/v20 …"), npm_lifecycle_*, npm_package_* and puts node_modules/.bin dirs first on PATH; a nested
# npm reads npm_config_* as its own config, so code-server's postinstall saw Node 20 and refused to install.
npm_clean() { # [NAME=VALUE...] command...
  local unset_args=() set_args=() name base_path="$PATH"
  while IFS='=' read -r name _; do
    case "$name" in
      npm_*|NPM_*|INIT_CWD|NODE|NODE_ENV) unset_args+=(-u "$name") ;;
    esac
  done < <(env)
  while [ $# -gt 0 ] && [[ "$1" == [A-Za-z_]*=* ]]; do
    if [[ "$1" == PATH=* ]]; then base_path="${1#PATH=}"; else set_args+=("$1"); fi
    shift
  done
  # Drop every node_modules/.bin that an outer npm put on PATH.
  local path_clean; path_clean="$(printf '%s' "$base_path" | tr ':' '\n' | grep -v '/node_modules/\.bin$' | paste -sd: -)"
  env "${unset_args[@]}" PATH="$path_clean" "${set_args[@]}" "$@"
}

# Short fetch timeouts: without a registry, npm otherwise waits minutes per request before failing.
npm_flags=(--no-audit --no-fund --loglevel=error --fetch-retries=1 --fetch-timeout=60000 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=10000)

# $1 = what (for the message), rest = the command. Output goes to a log shown only on failure.
npm_or_fail() {
  local what="$1"; shift
  local log; log="$(mktemp)"
  if ! "$@" >"$log" 2>&1; then
    tail -n 8 "$log" >&2
    if grep -qE 'ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|network' "$log"; then
      rm -f "$log"
      fail "$what failed: the npm registry is not reachable from this machine; check the network, then run this again."
    fi
    rm -f "$log"
    fail "$what failed (see the lines above)."
  fi
  rm -f "$log"
}
