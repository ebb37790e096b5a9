#!/usr/bin/env bash
# `make fresh-check` / `make fresh-check-run`: the README's commands on a fresh Debian 12.
#
#   scripts/fresh-check.sh [test|run]
#
# Builds a minimal Debian 12 (`debootstrap --variant=minbase bookworm`, cached between runs
# in $TERN_FRESH_CACHE), copies it to $TERN_FRESH_WORK/root, puts a clean `git archive` of
# HEAD in /root/tern there and, chrooted as root with an empty environment, runs the
# README's test command (test) or its run command until the demo answers a curl (run).
# Prints the result and how long each phase took. Needs root (debootstrap, chroot,
# mounts) and Debian's mirror. The chroot shares the host's network: the run mode needs
# ports 8080, 9001, 9002 and 9901 free on the host.
#
# The copy is a fresh machine: no make, no compiler, no Python. Two files a real machine
# or the debian:12 image has and debootstrap does not write are added: /etc/hosts
# (localhost) and /etc/resolv.conf (the host's). Uncommitted changes are not checked.
set -euo pipefail
mode=${1:-test}
case $mode in test | run) ;; *) echo "usage: $0 [test|run]" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${TERN_FRESH_CACHE:-/var/cache/tern/fresh-check}
work=${TERN_FRESH_WORK:-/var/tmp/tern-fresh-check}
mirror=${TERN_FRESH_MIRROR:-http://deb.debian.org/debian}
run_limit=${TERN_FRESH_RUN_LIMIT:-1800} # seconds the run mode waits for the first answer
base=$cache/bookworm-minbase
chr=$work/root
log=$work/$mode.log
say() { echo "fresh-check: $*"; }
die() { echo "fresh-check: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot and mounts)"
cd "$root"

# The command is read from the README's "Two commands" block, so that the check runs what
# a newcomer types.
command=$(bash scripts/readme-command.sh "$mode")
[ -n "$command" ] || die "no $mode command in README.md's \"Two commands\" block"
git rev-parse --verify -q HEAD >/dev/null || die "not a git checkout with a commit"
[ -z "$(git status --porcelain)" ] || say "warning: uncommitted changes are not part of the check (git archive HEAD)"

declare -a phase_names=() phase_secs=()
record() { phase_names+=("$1"); phase_secs+=("$2"); }
started_all=$SECONDS

# Processes left in the chroot (a demo, a daemon a package started) and its mounts go
# when the script ends, however it ends.
cleanup() {
  [ -d "$chr" ] || return 0
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$chr" ] && kill -9 "${p#/proc/}" 2>/dev/null
  done
  sleep 0.2
  for m in dev sys proc; do
    mountpoint -q "$chr/$m" && { umount -R "$chr/$m" 2>/dev/null || umount -R -l "$chr/$m"; }
  done
  return 0
}
trap cleanup EXIT
remove_chroot() { # only once nothing is mounted under it (rm -rf through a /dev bind would
  cleanup         # delete the host's /dev)
  if grep -q " $chr/" /proc/mounts; then
    die "$chr still has mounts; not removing it"
  fi
  rm -rf "$chr"
}

# Phase 1: the cached minimal Debian 12.
t=$SECONDS
if [ -d "$base" ]; then
  record "minbase (cached)" $((SECONDS - t))
else
  command -v debootstrap >/dev/null 2>&1 || {
    say "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null
  }
  say "debootstrap --variant=minbase bookworm $base"
  mkdir -p "$cache"
  rm -rf "$base.tmp"
  debootstrap --variant=minbase bookworm "$base.tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { tail -n 20 "$cache/debootstrap.log" >&2; die "debootstrap failed (log: $cache/debootstrap.log)"; }
  mv "$base.tmp" "$base"
  record "minbase (debootstrap)" $((SECONDS - t))
fi

# Phase 2: a fresh copy with the project in it.
t=$SECONDS
mkdir -p "$work"
[ -d "$chr" ] && remove_chroot
cp -a "$base" "$chr"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$chr/etc/hosts"
cp -L /etc/resolv.conf "$chr/etc/resolv.conf" 2>/dev/null || true
mkdir -p "$chr/root/tern"
git archive --format=tar HEAD | tar -x -C "$chr/root/tern"
for tool in make cc g++ cmake python3 curl; do
  ! chroot "$chr" /usr/bin/env bash -c "command -v $tool" >/dev/null 2>&1 ||
    die "the minimal Debian already has $tool: not a fresh machine"
done
mount -t proc proc "$chr/proc"
mount -t sysfs sysfs "$chr/sys"
mount --rbind /dev "$chr/dev"
mount --make-rslave "$chr/dev"
record "fresh copy + git archive $(git rev-parse --short HEAD)" $((SECONDS - t))

in_chroot() { # COMMAND: runs COMMAND with bash in /root/tern, as root, empty environment
  chroot "$chr" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash \
    TERM="${TERM:-dumb}" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c "cd /root/tern && $1"
}

summary() { # RESULT
  echo
  echo "fresh-check ($mode): $1"
  echo "  README's $mode command: $command  (Debian 12 minbase chroot, as root)"
  local i
  for i in "${!phase_names[@]}"; do
    printf '  %-44s %6s s\n' "${phase_names[$i]}" "${phase_secs[$i]}"
  done
  printf '  %-44s %6s s\n' "total" $((SECONDS - started_all))
  echo "  log: $log"
}

t=$SECONDS
if [ "$mode" = test ]; then
  say "running '$command' in the chroot (log: $log)"
  set +e
  in_chroot "$command" 2>&1 | tee "$log" | grep --line-buffered -E \
    '^(tern-test: |installing: |[0-9]+% tests passed|The following tests FAILED|[[:space:]]+[0-9]+ - )'
  rc=${PIPESTATUS[0]}
  set -e
  # The command's own phases ("tern-test: build took N s").
  while read -r name secs; do
    record "  $name" "$secs"
  done < <(sed -n 's/^tern-test: \(.*\) took \([0-9]*\) s$/\1 \2/p' "$log")
  record "$command" $((SECONDS - t))
  if [ "$rc" -ne 0 ]; then
    tail -n 40 "$log"
    summary "FAILED (exit $rc); the chroot is kept in $chr"
    exit 1
  fi
  remove_chroot
  summary "PASSED"
  exit 0
fi

# The run mode: start the README's run command, wait for the demo's first answer.
for port in 8080 9001 9002 9901; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is in use on this machine; the demo needs it"
  fi
done
say "starting '$command' in the chroot (log: $log)"
setsid bash -c "$(declare -f in_chroot); chr='$chr'; in_chroot '$command'" >"$log" 2>&1 </dev/null &
demo=$!
answer=""
until answer=$(in_chroot "curl -fsS --max-time 2 http://127.0.0.1:8080/" 2>/dev/null); do
  if ! kill -0 "$demo" 2>/dev/null; then
    tail -n 40 "$log"
    summary "FAILED: '$command' exited before the demo answered"
    exit 1
  fi
  if [ $((SECONDS - t)) -gt "$run_limit" ]; then
    tail -n 40 "$log"
    summary "FAILED: no answer on http://127.0.0.1:8080/ after $run_limit s"
    exit 1
  fi
  sleep 1
done
record "$command until the first answer" $((SECONDS - t))
echo "first answer: $answer"
for i in 1 2 3; do
  echo "next answer:  $(in_chroot "curl -fsS --max-time 2 http://127.0.0.1:8080/" 2>&1)"
done
kill -TERM -- "-$demo" 2>/dev/null || true
wait "$demo" 2>/dev/null || true
remove_chroot
summary "PASSED (the demo answered a curl)"
