#!/usr/bin/env bash
# The project's test command: installs what the tests need (pinned, into .navoy/), then runs
# every check: formatting, lints, the Rust tests (unit, snapshot, mocks, moto), the dependency audit
# (cargo-deny: licenses, bans, sources, advisories), the data plane's tests, the Terraform stack
# test, the IaC scan, and the end-to-end drill on the live local stack.
#
#   scripts/test.sh            everything (what CI runs)
#   scripts/test.sh --quick    only fmt, clippy and cargo test
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/tools.sh
source scripts/lib/tools.sh

quick=0
[ "${1:-}" = "--quick" ] && quick=1

passed=0
failed=0
failures=()
started=$(date +%s)
# Steps append here what a passing step did not check (printed again at the end).
NAVOY_TEST_NOTES="$(mktemp "${TMPDIR:-/tmp}/navoy-test-notes.XXXXXX")"
export NAVOY_TEST_NOTES
trap 'rm -f "$NAVOY_TEST_NOTES"' EXIT

run_step() { # name command...
  local name="$1" t0 rc
  shift
  printf '\n==> %s\n' "$name"
  t0=$(date +%s)
  set +e
  "$@"
  rc=$?
  set -e
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    printf '==> %s: ok (%ss)\n' "$name" "$(($(date +%s) - t0))"
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf '==> %s: FAILED with exit %s (%ss)\n' "$name" "$rc" "$(($(date +%s) - t0))"
  fi
}

printf '==> installing pinned test tools into .navoy/\n'
if ! command -v tmux >/dev/null 2>&1; then
  # The console's end-to-end test drives the real binary in tmux, as a person would.
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null
  else
    echo "tmux is missing and cannot be installed here: install it to run the console's end-to-end test" >&2
  fi
fi
NAVOY_TEST_PYTHON="$(ensure_moto)"
export NAVOY_TEST_PYTHON
# Every ECS answer the emulator gives during the tests is also made by moto's own serialiser
# and compared (scripts/emulator/moto_serialize.py); the local stack alone runs the fast path.
export NAVOY_MOTO_SERIALIZER="${NAVOY_MOTO_SERIALIZER:-verify}"

run_step "cargo fmt --check" cargo fmt --all -- --check
run_step "cargo clippy -D warnings" cargo clippy --locked --all-targets -- -D warnings
run_step "cargo test" cargo test --locked

if [ "$quick" -eq 0 ]; then
  [ -x scripts/tests/deny.sh ] && run_step "cargo-deny: licenses, bans, sources, advisories" scripts/tests/deny.sh
  [ -d scripts/emulator/tests ] && run_step "data plane tests (pytest)" "$NAVOY_TEST_PYTHON" -m pytest scripts/emulator/tests -q -p no:cacheprovider
  [ -x scripts/tests/terraform-static.sh ] && run_step "terraform fmt -check and validate (both entry points)" scripts/tests/terraform-static.sh
  [ -x scripts/tests/stack.sh ] && run_step "terraform stack: up, plan no changes, destroy" scripts/tests/stack.sh
  [ -x scripts/tests/checkov.sh ] && run_step "checkov IaC scan" scripts/tests/checkov.sh
  [ -x scripts/tests/e2e.sh ] && run_step "end to end on the live local stack" scripts/tests/e2e.sh
fi

printf '\n==> test.sh finished in %ss\n' "$(($(date +%s) - started))"
for f in "${failures[@]+"${failures[@]}"}"; do
  printf '    failed: %s\n' "$f"
done
while IFS= read -r note; do
  printf '    note: %s\n' "$note"
done <"$NAVOY_TEST_NOTES"
printf 'steps: %s passed, %s failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
