#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need, then builds every module and runs every test.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -ntp verify
