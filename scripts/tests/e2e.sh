#!/usr/bin/env bash
# End to end on the live local stack: up (moto + Terraform + data plane) on free ports in a
# temporary state dir, then the console against it (status --json, the TUI in tmux, the
# operations drill when present, the same operations from the TUI), then down --destroy. Ends
# with 'N passed, N failed'.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# shellcheck source=../lib/tools.sh
source scripts/lib/tools.sh
python="$(ensure_moto)"

free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)"
# The data plane takes two ports (listener, control): a free pair below the ephemeral range,
# where no outgoing connection can be holding the second one.
dp_port="$("$python" - <<'PY'
import random, socket
for _ in range(200):
    p = random.randrange(20000, 30000, 2)
    try:
        for q in (p, p + 1):
            s = socket.socket(); s.bind(("127.0.0.1", q)); s.close()
        print(p); break
    except OSError:
        continue
PY
)"
state="$(mktemp -d)"
export NAVOY_STATE_DIR="$state"
export NAVOY_AUDIT_LOG="$state/audit.jsonl"
endpoint="http://127.0.0.1:$port"
bin="${CARGO_TARGET_DIR:-$root/target}/debug/navoy-console"

passed=0
failed=0
check() { # name command...
  local name="$1"
  shift
  if "$@"; then
    passed=$((passed + 1)); printf 'ok   %s\n' "$name"
  else
    failed=$((failed + 1)); printf 'FAIL %s\n' "$name"
  fi
}

cleanup() {
  scripts/localstack-down.sh --destroy >/dev/null 2>&1 || scripts/localstack-down.sh >/dev/null 2>&1 || true
  rm -rf "$state"
}
trap cleanup EXIT

cargo build --locked --quiet
t0=$(date +%s)
scripts/localstack-up.sh --engine moto --port "$port" --dataplane-port "$dp_port"
echo "stack up in $(($(date +%s) - t0))s"

console() { "$bin" --endpoint-url "$endpoint" --local "$@"; }

# test.sh runs the emulator's ECS serialiser in verify mode: every answer below is also made by
# moto's own serialiser and compared. Make sure the stack really runs that way.
if [ "${NAVOY_MOTO_SERIALIZER:-}" = verify ]; then
  check "the emulator compares every ECS answer with moto's (serialiser: verify)" \
    grep -q "ECS serialiser: verify" "$state/logs/emulator.log"
fi

# Wait (bounded) until the data plane has both tasks healthy behind the ALB.
healthy_at=""
for _ in $(seq 1 90); do
  if console status --json >"$state/status.json" 2>"$state/status.err" &&
    "$python" - "$state/status.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
tgs = s["target_groups"]["value"]
ok = [t for g in tgs for t in g["targets"] if t["health"] == "healthy"]
sys.exit(0 if len(ok) >= 2 else 1)
PY
  then
    healthy_at=$(($(date +%s) - t0)); break
  fi
  sleep 2
done
echo "two healthy targets ${healthy_at:-never} s after up began"

check "status --json: the seed topology, joined" "$python" - "$state/status.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["schema"] == "navoy-console/status/v1"
assert not [k for k, v in s.items() if isinstance(v, dict) and v.get("status") == "unavailable"], "a section is unavailable"
net = s["network"]["value"]
vpc = [v for v in net["vpcs"] if v["cidr"] == "10.40.0.0/16"][0]["id"]
subnets = [x for x in net["subnets"] if x["vpc_id"] == vpc]
assert sorted({x["az"] for x in subnets}) == ["us-east-1a", "us-east-1b"], subnets
assert sorted(x["tier"] for x in subnets) == ["private", "private", "public", "public"], subnets
assert [lb["name"] for lb in s["load_balancers"]["value"]] == ["navoy-alb"]
svc = [x for x in s["services"]["value"] if x["name"] == "navoy-app"][0]
running = [t for t in s["tasks"]["value"] if t["last_status"] == "RUNNING"]
assert len(running) == svc["desired"] == 2, (len(running), svc["desired"])
assert len({t["az"] for t in running}) == 2, "tasks spread over both AZs"
for t in running:
    assert [h for _, h in t["targets"]] == ["healthy"], t["targets"]
assert len(s["container_instances"]["value"]) >= 2
print("status: %d API calls" % sum(c["calls"] for c in s["api_calls"]))
PY

check "status (text) names both AZs and the ALB" bash -c "'$bin' --endpoint-url '$endpoint' --local status | tee '$state/status.txt' | grep -q 'us-east-1b' && grep -q 'ALB navoy-alb' '$state/status.txt'"
check "the app answers through the local listener" "$python" -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:$dp_port/', timeout=5).status == 200 else 1)"

if [ -x scripts/tests/tui-e2e.sh ]; then
  check "TUI in tmux: topology, targets, logs, quit" env NAVOY_CONSOLE_BIN="$bin" NAVOY_TEST_PYTHON="$python" scripts/tests/tui-e2e.sh "$endpoint"
fi
# The operations drill on the live stack (tests/ops.rs): real effects, audit records, refusals
# that make no mutating call. It puts the stack back as it found it.
# They are ignored by a plain `cargo test` (no stack there); both must run and pass here.
check "operations drill: scale, redeploy, drain, undrain, stop, scale back (cargo test ops::)" \
  bash -c "env NAVOY_TEST_ENDPOINT='$endpoint' cargo test --locked --test main ops:: -- --ignored --test-threads 1 2>&1 | tee '$state/ops-tests.log' && grep -q 'test result: ok. 2 passed' '$state/ops-tests.log'"
# The same drain and undrain from the console's keys, its refusal when read-only, then live
# resizes from 1x1 to 300x100. After the drill, so the drill meets the stack as it came up; this
# one needs only every instance ACTIVE (it drains the one running the most tasks) and leaves
# every instance ACTIVE again.
check "TUI in tmux: drain, undrain, read-only refusal, audit, resizes, quit" \
  env NAVOY_CONSOLE_BIN="$bin" NAVOY_TEST_PYTHON="$python" scripts/tests/tui-ops-e2e.sh "$endpoint"

printf 'e2e: %s passed, %s failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
