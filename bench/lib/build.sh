# Sourced by bench/run.sh and bench/failover.sh: the tern binary they measure.
# build_tern PREBUILT PREFIX: uses PREBUILT when set, else builds tern (Release) into
# $build_dir; sets tern_bin and build_seconds; exits 1 with the build log's tail on failure.
# With BENCH_IO_URING=1 the build runs Asio on io_uring instead of epoll (CMake option
# TERN_IO_URING, liburing-dev from scripts/deps.sh) and goes to $build_dir-uring.
build_tern() {
  local prebuilt=$1 prefix=$2 started=$SECONDS
  local dir=$build_dir options=()
  if [ "${BENCH_IO_URING:-0}" = 1 ] && [ -z "$prebuilt" ]; then
    dir=$build_dir-uring
    options=(-DTERN_IO_URING=ON)
    if ! dpkg-query -W -f='${Status}' liburing-dev 2>/dev/null | grep -q 'install ok installed'; then
      echo "$prefix: liburing-dev is missing for the io_uring build (scripts/deps.sh installs it)" >&2
      exit 1
    fi
  fi
  mkdir -p "$dir"
  if [ -n "$prebuilt" ]; then
    tern_bin=$prebuilt
  else
    echo "$prefix: building tern (Release${options[*]:+, ${options[*]}}) in ${dir#"$root"/}/"
    if ! { cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DTERN_TESTS=OFF "${options[@]}" &&
      cmake --build "$dir" --target tern -j "$(nproc)"; } >"$dir/bench-build.log" 2>&1; then
      tail -n 40 "$dir/bench-build.log" >&2
      echo "$prefix: building tern failed (log: $dir/bench-build.log)" >&2
      exit 1
    fi
    tern_bin=$dir/tern
  fi
  build_seconds=$((SECONDS - started))
}
