#!/usr/bin/env bash
# Builds and runs bench_members (members_bench.cpp) and rewrites bench/members/RESULTS.md
# with the figures, the machine and the exact command.
#
# Knobs (environment):
#   MEMBERS_BUILD_DIR   build tree (default build-bench/, the one `make bench` uses)
#   MEMBERS_JOBS        parallel compile jobs (default 2)
#   MEMBERS_REPETITIONS (5), MEMBERS_MIN_TIME (0.2, s per repetition)
#   MEMBERS_OUT         where the Markdown goes (default bench/members/RESULTS.md; "-": none)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
build_dir=${MEMBERS_BUILD_DIR:-$root/build-bench}
jobs=${MEMBERS_JOBS:-2}
repetitions=${MEMBERS_REPETITIONS:-5}
min_time=${MEMBERS_MIN_TIME:-0.2}
out_md=${MEMBERS_OUT:-$root/bench/members/RESULTS.md}
command_line="bash bench/members/run.sh"
for knob in MEMBERS_BUILD_DIR MEMBERS_JOBS MEMBERS_REPETITIONS MEMBERS_MIN_TIME MEMBERS_OUT; do
  [ -n "${!knob:-}" ] && command_line="$knob=$(printf '%q' "${!knob}") $command_line"
done

echo "members: building bench_members (Release) in ${build_dir#"$root"/}/"
mkdir -p "$build_dir"
if ! { cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DTERN_TESTS=OFF &&
  cmake --build "$build_dir" --target bench_members -j "$jobs"; } >"$build_dir/members-build.log" 2>&1; then
  tail -n 40 "$build_dir/members-build.log" >&2
  echo "members: build failed (log: $build_dir/members-build.log)" >&2
  exit 1
fi
bin=$build_dir/bench/members/bench_members
[ -x "$bin" ] || { echo "members: $bin not built (is libbenchmark-dev installed?)" >&2; exit 1; }

loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)
json=$build_dir/members-latest.json
args=(--benchmark_repetitions="$repetitions" --benchmark_report_aggregates_only=true
  --benchmark_min_time="$min_time")
echo "members: ${bin#"$root"/} ${args[*]}"
"$bin" "${args[@]}" --benchmark_out="$json" --benchmark_out_format=json
/usr/bin/python3 bench/members/report.py "$json" "$out_md" \
  "command=$command_line" \
  "binary_command=./${bin#"$root"/} ${args[*]}" \
  "loadavg_before=$loadavg_before" \
  "loadavg_after=$(cut -d' ' -f1-3 /proc/loadavg)" \
  "cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
  "nproc=$(nproc)" \
  "kernel=$(uname -sr)" \
  "gxx=$(g++ --version | head -n 1)" \
  "source=$(git describe --always --dirty 2>/dev/null || echo unknown)" \
  "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
