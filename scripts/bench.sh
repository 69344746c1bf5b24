#!/usr/bin/env bash
# Every performance figure in one run (release builds; not part of the test run):
# render per view, refresh at scale against moto, logs ingestion, start-up and idle CPU of the
# console against the live local stack, and the same snapshot gathered with the aws CLI.
# Prints one table (figure, budget, measured, pass/fail) and writes benches/results/latest.json.
#
#   scripts/bench.sh                 everything (brings a local stack up on free ports, then down)
#   NAVOY_BENCH_QUICK=1 scripts/bench.sh   small refresh estate, no stack, no aws CLI
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/tools.sh
source scripts/lib/tools.sh
python="$(ensure_moto)"
export NAVOY_TEST_PYTHON="$python"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
target="${CARGO_TARGET_DIR:-$root/target}"
quick="${NAVOY_BENCH_QUICK:-0}"

echo "==> render (criterion, 200x60, large estate)"
cargo bench --locked --bench render -- --noplot >"$out/render.log" 2>&1 || { tail -20 "$out/render.log"; exit 1; }
echo "==> logs ingestion"
cargo bench --locked --bench logs 2>/dev/null | tail -1 >"$out/logs.json"
echo "==> refresh at scale against moto"
if [ "$quick" = 1 ]; then
  cargo bench --locked --bench refresh -- --services 200 --tasks 500 --instances 10 --targets 100 2>/dev/null | tail -1 >"$out/refresh.json"
else
  cargo bench --locked --bench refresh 2>/dev/null | tail -1 >"$out/refresh.json"
fi

# The bench profile reuses the benches' release artifacts (the release profile adds LTO).
cargo build --locked --profile bench --bin navoy-console
bin="$target/release/navoy-console"
echo '{}' >"$out/live.json"
if [ "$quick" != 1 ]; then
  echo "==> live stack: start-up, idle CPU, aws CLI comparison"
  export NAVOY_STATE_DIR="$out/stack"
  port="$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  dp_port="$("$python" -c 'import random; print(random.randrange(20000, 30000, 2))')"
  trap 'scripts/localstack-down.sh --destroy >/dev/null 2>&1 || true; rm -rf "$out"' EXIT
  scripts/localstack-up.sh --engine moto --port "$port" --dataplane-port "$dp_port" >"$out/up.log" 2>&1
  "$python" scripts/bench_live.py --bin "$bin" --endpoint "http://127.0.0.1:$port" --out "$out/live.json"
fi

mkdir -p benches/results
"$python" - "$out" "$target" <<'PY'
import json, os, sys, datetime, platform
out, target = sys.argv[1], sys.argv[2]
rows, result = [], {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "machine": f"{os.cpu_count()} cores, {platform.machine()}"}
def row(figure, budget, measured, ok):
    rows.append((figure, budget, measured, "pass" if ok else "FAIL"))
crit = os.path.join(target, "criterion")
render = {}
for d in sorted(os.listdir(crit)) if os.path.isdir(crit) else []:
    if not d.startswith("render_"):
        continue
    view = d[len("render_"):]
    est = os.path.join(crit, d, "new", "estimates.json")
    if os.path.exists(est):
        ms = json.load(open(est))["mean"]["point_estimate"] / 1e6
        render[view] = ms
        row(f"render {view} (200x60, 5,000 tasks)", "<= 2 ms", f"{ms:.3f} ms", ms <= 2.0)
result["render_ms"] = render
logs = json.load(open(os.path.join(out, "logs.json")))
result["logs"] = logs
row("logs: 1,000,000 lines, peak RSS", "<= 64 MB", f"{logs['peak_rss_mib']:.1f} MiB", logs["peak_rss_mib"] <= 64)
row("logs: throughput", "-", f"{logs['lines_per_s']:,.0f} lines/s", True)
ref = json.load(open(os.path.join(out, "refresh.json")))
result["refresh"] = ref
calls = ref["api_calls"]
estate = f"{ref['services']} services, {ref['tasks']} tasks, {ref['targets']} targets"
row(f"refresh, full (nothing carried): {estate}", "< 3 s", f"{ref['wall_s_best_of_3']:.2f} s", ref["wall_s_best_of_3"] < 3)
if ref.get("console_cpu_s_runs"):
    row("refresh, full: the console's own CPU", "-", f"{min(ref['console_cpu_s_runs']):.2f} s", True)
if ref.get("endpoint_cpu_s_runs"):
    row("refresh, full: moto's CPU (one core at most)", "-", f"{min(ref['endpoint_cpu_s_runs']):.2f} s", True)
row("refresh, steady (settled carried over), slowest of 8", "< 3 s", f"{ref['steady_wall_s_max']:.2f} s", ref["steady_wall_s_max"] < 3)
row("refresh, steady: API calls, most in one", "-", str(ref["steady_api_calls_total_max"]), True)
lim = -(-ref["services"] // 10)
row("refresh: DescribeServices calls", f"<= {lim}", str(calls.get("DescribeServices", 0)), calls.get("DescribeServices", 0) <= lim)
lim = -(-ref["tasks"] // 100)
row("refresh: DescribeTasks calls", f"<= {lim}", str(calls.get("DescribeTasks", 0)), calls.get("DescribeTasks", 0) <= lim)
row("refresh: requests sent twice in one refresh (operation + body)", "0", str(len(ref["repeated_calls"])), not ref["repeated_calls"])
live = json.load(open(os.path.join(out, "live.json")))
result["live"] = live
if live:
    row("start-up: process start to first frame", "-", f"{live['first_frame_ms']:.0f} ms", True)
    row("start-up: first frame with data (demo stack)", "-", f"{live['first_data_ms']:.0f} ms", True)
    row("idle CPU over 60 s", "< 1 %", f"{live['idle_cpu_pct']:.2f} %", live["idle_cpu_pct"] < 1)
    if "log_lag_ms_max" in live:
        row("logs: PutLogEvents to the line on screen, worst of 10", "<= 1 s", f"{live['log_lag_ms_max']:.0f} ms (median {live['log_lag_ms_median']:.0f})", live["log_lag_ms_max"] <= 1000)
    if "aws_cli_s" in live:
        row("same snapshot with the aws CLI (sequential)", "-", f"{live['aws_cli_s']:.1f} s vs {live['console_snapshot_s']:.2f} s = {live['aws_cli_s']/live['console_snapshot_s']:.0f}x", True)
result["table"] = [dict(zip(("figure", "budget", "measured", "result"), r)) for r in rows]
w = max(len(r[0]) for r in rows)
print(f"\n{'figure':<{w}}  {'budget':<10}  {'measured':<28}  result")
for r in rows:
    print(f"{r[0]:<{w}}  {r[1]:<10}  {r[2]:<28}  {r[3]}")
json.dump(result, open("benches/results/latest.json", "w"), indent=2)
print("\nwritten: benches/results/latest.json")
sys.exit(0 if all(r[3] == "pass" for r in rows) else 1)
PY
