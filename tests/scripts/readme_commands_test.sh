#!/usr/bin/env bash
# The README's two commands are what CI and a newcomer run: CI's entry point (.ci/run)
# calls exactly the README's test command, both commands exist as executables that need
# only bash, and the dependency script they start from installs make and Python.
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "FAIL: $*" >&2; exit 1; }
run=$(bash scripts/readme-command.sh run)
test=$(bash scripts/readme-command.sh test)
[ -n "$run" ] || fail "README.md has no run command under \"## Two commands\""
[ -n "$test" ] || fail "README.md has no test command under \"## Two commands\""
for c in "$run" "$test"; do
  [ -x "$c" ] || fail "README's command $c is not an executable file"
  head -n 1 "$c" | grep -qx '#!/usr/bin/env bash' || fail "$c does not start with #!/usr/bin/env bash"
  # make may only be called after scripts/deps.sh installed it.
  first_make=$(grep -nE '^[^#]*\bmake\b' "$c" | head -n 1 | cut -d: -f1)
  first_deps=$(grep -nE '^[^#]*scripts/deps\.sh' "$c" | head -n 1 | cut -d: -f1)
  if [ -n "$first_make" ] && { [ -z "$first_deps" ] || [ "$first_deps" -gt "$first_make" ]; }; then
    fail "$c calls make before scripts/deps.sh"
  fi
done
grep -v '^#' .ci/run | grep -qx "$test" || fail ".ci/run does not call the README's test command ($test)"
for p in make g++ python3 procps; do
  tr -s '[:space:]()' '\n' <scripts/deps.sh | grep -qxF "$p" || fail "scripts/deps.sh does not install $p"
done
echo "README commands: run '$run', test '$test'; .ci/run calls '$test'"
