#!/usr/bin/env bash
# The TypeScript client's checks, run by bin/test:
#   1. tools from npm (versions pinned by package-lock.json) into node_modules, when missing or stale;
#   2. types generated again from ../../openapi.yaml and compared with the committed src/openapi.ts;
#   3. type-check and build: tsc (dist/ for Node and npm) and deno check (the source JSR ships);
#   4. the tests against real broker processes, under Node's test runner and under Deno.
set -euo pipefail
cd "$(dirname "$0")"
root="$(cd ../.. && pwd)"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Installing Node.js and npm from apt"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "The TypeScript client needs Node >= 20; this machine has $(node --version)" >&2
  exit 1
fi

stamp=node_modules/.installed-from-lock
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  echo "Installing the TypeScript client's dev tools (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$stamp"
fi
bin=node_modules/.bin

generated="$(mktemp)"
trap 'rm -f "$generated"' EXIT
"$bin/openapi-typescript" "$root/openapi.yaml" --default-non-nullable false -o "$generated" >/dev/null
if ! diff -u src/openapi.ts "$generated" >/dev/null; then
  diff -u src/openapi.ts "$generated" | head -40 >&2 || true
  echo "src/openapi.ts is stale: run 'npm run generate' in clients/typescript after changing openapi.yaml" >&2
  exit 1
fi

rm -rf dist
"$bin/tsc" -p tsconfig.json
LOCKBROKER_NO_CDS=1 "$root/bin/lockbroker" --help >/dev/null # builds target/lockbroker.jar when missing or stale (no start-up cache: the tests start the jar themselves)

echo "TypeScript client tests under Node $(node --version)"
node --test --test-concurrency=1 test/*.test.mjs

deno=""
for candidate in "$bin/deno" node_modules/@deno/*/deno; do
  if [ -x "$candidate" ] && "$candidate" --version >/dev/null 2>&1; then
    deno="$candidate"
    break
  fi
done
if [ -z "$deno" ]; then
  echo "SKIPPED: TypeScript client tests under Deno: the npm package deno installed no runnable binary for $(uname -sm)"
  exit 0
fi
export DENO_DIR="$PWD/.deno-dir" DENO_NO_UPDATE_CHECK=1 NO_COLOR=1
"$deno" check mod.ts
echo "TypeScript client tests under $("$deno" --version | head -1)"
"$deno" test -A test/*.test.mjs
