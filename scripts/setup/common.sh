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

# run_or_fail WHAT SOURCE COMMAND...: runs COMMAND with its output in a log that is shown only when it fails, and
# then ends setup with one sentence, naming SOURCE (where downloads come from) when the log says it was unreachable.
run_or_fail() {
  local what="$1" source="$2"; shift 2
  local log; log="$(mktemp)"
  if "$@" >"$log" 2>&1; then
    rm -f "$log"
    return 0
  fi
  tail -n 8 "$log" >&2
  local unreachable=0
  grep -qiE 'ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|dial tcp|no such host|connection refused|i/o timeout|TLS handshake|network connectivity' "$log" && unreachable=1
  rm -f "$log"
  [ "$unreachable" = 1 ] && fail "$what failed: $source is not reachable from this machine; check the network, then run this again."
  fail "$what failed (see the lines above)."
}

npm_or_fail() { # WHAT COMMAND...
  local what="$1"; shift
  run_or_fail "$what" "the npm registry" "$@"
}
