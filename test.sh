#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need, then builds every module and runs every test.
set -euo pipefail
cd "$(dirname "$0")"

# Node.js + npm for the npm SDK test (cli NpmClientTest runs examples/chat/client with node).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "== installing nodejs and npm (Debian packages)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update
  $SUDO apt-get install -y nodejs npm
fi
# The SDK (and tsc), exactly as locked, when missing or the lock changed since the last install: the chat client
# (NpmClientTest) and the project that type-checks generated bindings (GenerateTypeScriptCompileTest).
for project in examples/chat/client cli/src/test/node/codegen; do
  if [ ! -f "$project/node_modules/.package-lock.json" ] || [ "$project/package-lock.json" -nt "$project/node_modules/.package-lock.json" ]; then
    echo "== npm ci in $project"
    (cd "$project" && npm ci --no-audit --no-fund)
  fi
done

mvn -B -ntp verify
