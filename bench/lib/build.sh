# Sourced by bench/run.sh and bench/failover.sh: the tern binary they measure.
# build_tern PREBUILT PREFIX: uses PREBUILT when set, else builds tern (Release) into
# $build_dir; sets tern_bin and build_seconds; exits 1 with the build log's tail on failure.
build_tern() {
  local prebuilt=$1 prefix=$2 started=$SECONDS
  mkdir -p "$build_dir"
  if [ -n "$prebuilt" ]; then
    tern_bin=$prebuilt
  else
    echo "$prefix: building tern (Release) in build-bench/"
    if ! { cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DTERN_TESTS=OFF &&
      cmake --build "$build_dir" --target tern -j "$(nproc)"; } >"$build_dir/bench-build.log" 2>&1; then
      tail -n 40 "$build_dir/bench-build.log" >&2
      echo "$prefix: building tern failed (log: $build_dir/bench-build.log)" >&2
      exit 1
    fi
    tern_bin=$build_dir/tern
  fi
  build_seconds=$((SECONDS - started))
}
