"""Live figures of the console against a running local stack, for scripts/bench.sh.

Start-up (process start to first frame, and to the first frame showing data) and idle CPU are
read from the real binary in tmux; the same snapshot is then gathered with the aws CLI, the
way an on-call engineer would type it, to compare.
"""
import argparse
import json
import os
import subprocess
import sys
import time
import venv

AWSCLI = "awscli==1.46.3"


def tmux(sock, *args, capture=False):
    cmd = ["tmux", "-L", sock, "-f", "/dev/null", *args]
    if capture:
        return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    subprocess.run(cmd, check=True)
    return ""


def wait_screen(sock, needle, deadline):
    while time.monotonic() < deadline:
        if needle in tmux(sock, "capture-pane", "-p", capture=True):
            return time.monotonic()
        time.sleep(0.005)
    raise SystemExit(f"the console never showed {needle!r}")


def cpu_ticks(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def aws_cli(tools, endpoint):
    """The describe calls an engineer would type for the same picture, run one after another."""
    env_dir = os.path.join(tools, "venv-awscli")
    aws = os.path.join(env_dir, "bin", "aws")
    if not os.path.exists(aws):
        venv.create(env_dir, with_pip=True)
        subprocess.run([os.path.join(env_dir, "bin", "pip"), "install", "-q", AWSCLI], check=True)
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")

    def run(*args):
        out = subprocess.run([aws, "--endpoint-url", endpoint, "--output", "json", *args], check=True, capture_output=True, text=True, env=env)
        return json.loads(out.stdout or "{}")

    t0 = time.monotonic()
    cluster = run("ecs", "list-clusters")["clusterArns"][0]
    run("ecs", "describe-clusters", "--clusters", cluster)
    services = run("ecs", "list-services", "--cluster", cluster)["serviceArns"]
    svc = run("ecs", "describe-services", "--cluster", cluster, "--services", *services[:10])["services"]
    tasks = run("ecs", "list-tasks", "--cluster", cluster)["taskArns"]
    if tasks:
        run("ecs", "describe-tasks", "--cluster", cluster, "--tasks", *tasks[:100])
    cis = run("ecs", "list-container-instances", "--cluster", cluster)["containerInstanceArns"]
    if cis:
        run("ecs", "describe-container-instances", "--cluster", cluster, "--container-instances", *cis[:100])
    for tg in {lb["targetGroupArn"] for s in svc for lb in s.get("loadBalancers", [])}:
        run("elbv2", "describe-target-health", "--target-group-arn", tg)
        run("elbv2", "describe-target-groups", "--target-group-arns", tg)
    run("elbv2", "describe-load-balancers")
    run("ec2", "describe-vpcs")
    run("ec2", "describe-subnets")
    run("ec2", "describe-route-tables")
    run("autoscaling", "describe-auto-scaling-groups")
    return time.monotonic() - t0


def log_lag(sock, endpoint, lines=10):
    """PutLogEvents to the line on screen, in the service's logs view, `lines` times."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tests"))
    import log_line

    tmux(sock, "send-keys", ":", "services", "Enter")
    wait_screen(sock, "┌ services", time.monotonic() + 10)
    tmux(sock, "send-keys", "l")
    wait_screen(sock, "logs · service", time.monotonic() + 10)
    targets = log_line.streams(endpoint)[:1]
    lags = []
    for n in range(lines):
        token = f"lag-{os.getpid()}-{n}"
        t0 = time.monotonic()
        log_line.put(endpoint, targets, token)
        lags.append((wait_screen(sock, token, t0 + 10) - t0) * 1000)
        time.sleep(0.37)  # not in step with the poll interval
    lags.sort()
    return {"log_lag_ms_median": lags[len(lags) // 2], "log_lag_ms_max": lags[-1], "log_lag_ms": lags}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--endpoint", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--idle-seconds", type=int, default=60)
    a = p.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sock = f"navoy-bench-{os.getpid()}"
    result = {}
    try:
        t0 = time.monotonic()
        tmux(sock, "new-session", "-d", "-x", "120", "-y", "40", f"exec {a.bin} --endpoint-url {a.endpoint} --local")
        first = wait_screen(sock, "navoy-console", t0 + 30)
        data = wait_screen(sock, "ALB navoy-alb", t0 + 60)
        result["first_frame_ms"] = (first - t0) * 1000
        result["first_data_ms"] = (data - t0) * 1000
        pid = int(tmux(sock, "display-message", "-p", "#{pane_pid}", capture=True).strip())
        time.sleep(5)
        before, w0 = cpu_ticks(pid), time.monotonic()
        time.sleep(a.idle_seconds)
        used = (cpu_ticks(pid) - before) / os.sysconf("SC_CLK_TCK")
        result["idle_cpu_pct"] = 100 * used / (time.monotonic() - w0)
        result.update(log_lag(sock, a.endpoint))
        tmux(sock, "send-keys", "q")
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True)
    t = time.monotonic()
    subprocess.run([a.bin, "--endpoint-url", a.endpoint, "--local", "status", "--json"], check=True, capture_output=True)
    result["console_snapshot_s"] = time.monotonic() - t
    result["aws_cli_s"] = aws_cli(os.path.join(root, ".navoy"), a.endpoint)
    json.dump(result, open(a.out, "w"))
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
