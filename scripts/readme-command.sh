#!/usr/bin/env bash
# Prints the README's run or test command, as a newcomer types it: the line of the sh
# block under "## Two commands" whose command ends in /run or /test, comment dropped.
#   scripts/readme-command.sh run|test
set -euo pipefail
cd "$(dirname "$0")/.."
awk '/^## Two commands/ { s = 1 } s && /^```sh/ { b = 1; next } b && /^```/ { exit } b' README.md |
  sed 's/[[:space:]]*#.*$//' | awk -v w="$1" '$1 ~ ("(^|/)" w "$")' | head -n 1
