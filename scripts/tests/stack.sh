#!/usr/bin/env bash
# End-to-end test of the local stack, beside any stack the user runs:
# fresh state dir and free ports -> localstack-up.sh -> assert the resources
# through the AWS API -> terraform plan shows no changes -> down --destroy ->
# assert nothing is left -> assert every process is gone.
# Ends with "N passed, M failed"; exits non-zero on any failure.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib/tools.sh
source "$ROOT/scripts/lib/tools.sh"

PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok - $*"; }
nok() { FAIL=$((FAIL + 1)); echo "FAIL - $*"; }
finish() {
  echo "stack.sh wall time: $(($(date +%s) - T0)) s"
  echo "$PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
  exit $?
}

T0=$(date +%s)
tree_status() { git -C "$ROOT" status --porcelain --untracked-files=all --ignored -- terraform 2>/dev/null || echo "no git"; }
TREE_BEFORE="$(tree_status)"
PYTHON="$(ensure_moto)" || { nok "install moto venv"; finish; }

free_port() {
  # A free port whose next port is free too (the data plane's control port),
  # below the kernel's ephemeral range so that no outgoing connection can
  # take it between this check and the bind.
  "$PYTHON" - <<'PY'
import random, socket
lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
while True:
    p = random.randrange(max(1025, lo - 12000), lo - 2)
    socks = []
    try:
        for q in (p, p + 1):
            s = socket.socket()
            socks.append(s)
            s.bind(("127.0.0.1", q))
    except OSError:
        continue
    finally:
        for s in socks:
            s.close()
    print(p)
    break
PY
}
PORT="$(free_port)"
DP_PORT="$(free_port)"
while [ "$((DP_PORT - PORT))" -ge -1 ] && [ "$((DP_PORT - PORT))" -le 1 ]; do DP_PORT="$(free_port)"; done

export NAVOY_STATE_DIR
NAVOY_STATE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/navoy-stack-test.XXXXXX")"
cleanup() {
  "$ROOT/scripts/localstack-down.sh" >/dev/null 2>&1 || true
  rm -rf "$NAVOY_STATE_DIR"
}
trap cleanup EXIT
echo "# state dir $NAVOY_STATE_DIR, emulator port $PORT, data plane port $DP_PORT"

# ---- up
U0=$(date +%s)
if "$ROOT/scripts/localstack-up.sh" --port "$PORT" --dataplane-port "$DP_PORT"; then
  ok "localstack-up.sh on fresh state ($(($(date +%s) - U0)) s)"
else
  nok "localstack-up.sh on fresh state"
  finish
fi
DP_PID="$(cat "$NAVOY_STATE_DIR/run/dataplane.pid" 2>/dev/null || echo none)"
APPLY_LINE="$(grep -E '^Apply complete' "$NAVOY_STATE_DIR/logs/terraform-apply.log" || true)"
echo "# $APPLY_LINE"

TERRAFORM="$(ensure_terraform 2>/dev/null)"
navoy_tf_env
export TF_DATA_DIR="$NAVOY_STATE_DIR/tf-data/local"
TF_DIR="$ROOT/terraform/envs/local"
ENDPOINT="http://127.0.0.1:$PORT"

COUNT="$(cd "$TF_DIR" && "$TERRAFORM" state list 2>/dev/null | grep -vc '^data\.\|\.data\.' || true)"
echo "# managed resources in state: $COUNT"
[ "${COUNT:-0}" -gt 40 ] && ok "state holds $COUNT managed resources" || nok "state holds only ${COUNT:-0} managed resources"

# ---- resources, through the AWS API
(cd "$TF_DIR" && "$TERRAFORM" output -json) >"$NAVOY_STATE_DIR/outputs.json"
(cd "$TF_DIR" && "$TERRAFORM" show -json) >"$NAVOY_STATE_DIR/state.json"
ASSERT_OUT="$("$PYTHON" "$ROOT/scripts/tests/stack_assert.py" present "$ENDPOINT" \
  "$NAVOY_STATE_DIR/outputs.json" "$ROOT/terraform/policies/console-actions.txt" \
  "$NAVOY_STATE_DIR/state.json")"
echo "$ASSERT_OUT"
PASS=$((PASS + $(grep -c '^ok - ' <<<"$ASSERT_OUT")))
FAIL=$((FAIL + $(grep -c '^FAIL - ' <<<"$ASSERT_OUT")))

# ---- with the local data plane: the app answers through the local ALB listener
if [ "$DP_PID" != none ]; then
  H0=$(date +%s)
  if "$PYTHON" - "http://127.0.0.1:$DP_PORT/health" <<'PY'; then
import sys, time, urllib.request
deadline = time.time() + 90
while True:
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=3) as r:
            if r.status == 200:
                sys.exit(0)
    except Exception:
        pass
    if time.time() > deadline:
        sys.exit(1)
    time.sleep(1)
PY
    ok "app answers 200 on /health through the local listener ($(($(date +%s) - H0)) s)"
  else
    nok "app did not answer 200 on http://127.0.0.1:$DP_PORT/health within 90 s"
    tail -n 15 "$NAVOY_STATE_DIR/logs/dataplane.log"
  fi
fi

# ---- a second plan must show no changes
P0=$(date +%s)
(cd "$TF_DIR" && "$TERRAFORM" plan -input=false -no-color -detailed-exitcode -var "endpoint=$ENDPOINT") \
  >"$NAVOY_STATE_DIR/plan.log" 2>&1
RC=$?
if [ "$RC" -eq 0 ]; then
  ok "terraform plan -detailed-exitcode: no changes ($(($(date +%s) - P0)) s)"
else
  nok "terraform plan -detailed-exitcode returned $RC"
  grep -E '^  #|Plan:|Error' "$NAVOY_STATE_DIR/plan.log" | head -n 30
fi

# ---- destroy, keep the emulator to look at what is left
D0=$(date +%s)
if "$ROOT/scripts/localstack-down.sh" --destroy --keep-emulator; then
  ok "localstack-down.sh --destroy ($(($(date +%s) - D0)) s)"
else
  nok "localstack-down.sh --destroy"
fi
LEFT="$(cd "$TF_DIR" && "$TERRAFORM" state list 2>/dev/null | grep -v '^data\.\|\.data\.' || true)"
[ -z "$LEFT" ] && ok "state is empty after destroy" || nok "state still lists: $(echo "$LEFT" | head -n 5 | tr '\n' ' ')"

ASSERT_OUT="$("$PYTHON" "$ROOT/scripts/tests/stack_assert.py" absent "$ENDPOINT")"
echo "$ASSERT_OUT"
PASS=$((PASS + $(grep -c '^ok - ' <<<"$ASSERT_OUT")))
FAIL=$((FAIL + $(grep -c '^FAIL - ' <<<"$ASSERT_OUT")))

# ---- stop everything, nothing may keep running
EMU_PID="$(cat "$NAVOY_STATE_DIR/run/emulator.pid" 2>/dev/null || echo none)"
if "$ROOT/scripts/localstack-down.sh"; then ok "localstack-down.sh"; else nok "localstack-down.sh"; fi
if [ "$EMU_PID" != none ] && ! kill -0 "$EMU_PID" 2>/dev/null; then ok "emulator process $EMU_PID is gone"; else nok "emulator process $EMU_PID still running"; fi
for g in "$EMU_PID" "$DP_PID"; do
  [ "$g" = none ] && continue
  LEFT_PROCS="$(ps -eo pid=,pgid=,args= | awk -v g="$g" '$2 == g')"
  [ -z "$LEFT_PROCS" ] && ok "no process left in process group $g" || nok "processes left in group $g: $LEFT_PROCS"
done
if ! (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then ok "nothing listens on 127.0.0.1:$PORT"; else nok "127.0.0.1:$PORT still answers"; fi
if ! (exec 3<>"/dev/tcp/127.0.0.1/$DP_PORT") 2>/dev/null; then ok "nothing listens on 127.0.0.1:$DP_PORT"; else nok "127.0.0.1:$DP_PORT still answers"; fi
PIDFILES="$(ls "$NAVOY_STATE_DIR/run/"*.pid 2>/dev/null || true)"
[ -z "$PIDFILES" ] && ok "no pid files left" || nok "pid files left: $PIDFILES"
TREE_AFTER="$(tree_status)"
if [ "$TREE_AFTER" = "$TREE_BEFORE" ]; then
  ok "terraform/ tree unchanged (state and .terraform live outside it)"
else
  nok "terraform/ tree changed: $(diff <(echo "$TREE_BEFORE") <(echo "$TREE_AFTER") | head -n 5 | tr '\n' ' ')"
fi

finish
