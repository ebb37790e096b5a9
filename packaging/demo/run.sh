#!/usr/bin/env bash
# `make run`: two demo backends and tern in front of them, in the foreground.
# Ctrl-C stops everything.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM
for i in 1 2; do
  "$build/tests/tern-testbackend" --port "900$i" --name "backend-$i" &
  pids+=($!)
done
"$build/tern" --check --config packaging/examples/demo.yaml
cat <<MSG

tern is starting on http://127.0.0.1:8080 in front of backend-1 (:9001) and backend-2 (:9002).
In another terminal, watch requests alternate between them:

  for i in 1 2 3 4; do curl -s http://127.0.0.1:8080/; done

and the targets' health as tern sees it (healthy after two checks, 5 s apart):

  curl -s http://127.0.0.1:9901/v1/target-groups

Reload the config with:  kill -HUP \$(pgrep -x tern)      Stop with Ctrl-C.

MSG
"$build/tern" --config packaging/examples/demo.yaml &
pids+=($!)
wait "${pids[-1]}"
