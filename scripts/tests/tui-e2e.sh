#!/usr/bin/env bash
# End-to-end test of the interactive console against a running stack, driven through tmux:
# the topology shows both AZs and the tasks, `:targets` shows healthy targets, the logs view
# receives a line written during the test (when Python with boto3 is available), and `q`
# exits with status 0 and leaves the terminal restored (no alternate screen, no mouse mode).
#
#   scripts/tests/tui-e2e.sh http://127.0.0.1:4566
#
# Environment: NAVOY_CONSOLE_BIN (default: the release build if present, else the debug build,
# built if missing), NAVOY_TEST_PYTHON (a Python with boto3, for the logs check), AWS_REGION
# (default us-east-1), AWS credentials (default: the emulator's test keys), NAVOY_CLUSTER.
set -euo pipefail

endpoint="${1:?usage: $0 ENDPOINT_URL}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# shellcheck source=SCRIPTDIR/tui-lib.sh
source "$root/scripts/tests/tui-lib.sh"

# Distinct AZ titles of the topology's columns (`┌ us-east-1a ...`).
az_count() {
  screen | grep -oE '┌ [a-z]{2}(-[a-z]+)+-[0-9][a-z] ' | sort -u | wc -l
}

console_start 120 40 --endpoint-url "$endpoint" --read-only

# 1. The topology is the home view and shows both AZs, their instances and tasks.
deadline=$((SECONDS + 30))
while [ "$SECONDS" -lt "$deadline" ] && [ "$(az_count)" -lt 2 ]; do
  sleep 0.2
done
if [ "$(az_count)" -ge 2 ]; then
  pass "topology shows both AZs"
else
  fail "topology shows both AZs"
fi
if wait_for 15 '[●◐◌○✖?·] [0-9a-f]{8} ' && screen | grep -q '▣ i-'; then
  pass "topology shows instances and their tasks"
else
  fail "topology shows instances and their tasks"
fi

# 2. `:targets` switches view; the seed stack's targets are healthy.
t send-keys -t "$session" ':' 'targets' Enter
if wait_for 10 '┌ targets' && wait_for 10 '● healthy +[0-9]'; then
  pass ":targets shows healthy targets"
else
  fail ":targets shows healthy targets"
fi

# 3. The logs of the service receive a line written now.
py="${NAVOY_TEST_PYTHON:-python3}"
if "$py" -c 'import boto3' 2>/dev/null; then
  t send-keys -t "$session" ':' 'services' Enter
  wait_for 10 '┌ services' || true
  t send-keys -t "$session" 'l'
  token="e2e-$$-$RANDOM"
  if wait_for 10 'logs · service' && "$py" "$(dirname "${BASH_SOURCE[0]}")/log_line.py" "$endpoint" "$token"; then
    if wait_for 10 "$token"; then
      pass "logs view shows a line written during the test"
    else
      fail "logs view shows a line written during the test"
    fi
  else
    fail "logs view opens for the service and a line can be written"
  fi
else
  printf 'skip logs check: %s has no boto3 (set NAVOY_TEST_PYTHON)\n' "$py"
fi

# 4. q exits with status 0 and restores the terminal.
quit_and_check_restored

summary
