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
# The SDK itself, exactly as locked, when it is missing or the lock changed since the last install.
client=examples/chat/client
if [ ! -f "$client/node_modules/.package-lock.json" ] || [ "$client/package-lock.json" -nt "$client/node_modules/.package-lock.json" ]; then
  echo "== npm ci in $client"
  (cd "$client" && npm ci --no-audit --no-fund)
fi

mvn -B -ntp verify
