#!/usr/bin/env python3
"""Local data plane for the Navoy stack on moto.

Plays what AWS runs behind its APIs, against the normal AWS API only:

* ECS agent: registers Auto Scaling instances as container instances, runs
  each task as a real process on a loopback port, injects environment and
  secrets, ships stdout to CloudWatch Logs (awslogs), walks task states.
* ECS service scheduler: keeps desiredCount tasks, rolling deployments within
  minimumHealthyPercent/maximumPercent, circuit breaker, DRAINING instances,
  replaces failed and unhealthy tasks, writes service events.
* ALB: registers/deregisters task targets, runs health checks per target
  group settings, drains for the deregistration delay, and listens on a local
  port that round-robins to healthy targets.
* Background load and CloudWatch metrics.

States the API cannot express (target health, deployments, events, task
lifecycle) are written through the moto extension's /_navoy/ routes.

    dataplane.py --endpoint http://127.0.0.1:4566 [--listen-port 8080] [--load-rps 2]
    dataplane.py fault --unhealthy TASK | --crash TASK | --fail-instance ID
"""

from __future__ import annotations

import argparse
import base64
import collections
import datetime as dt
import http.client
import http.server
import itertools
import json
import logging
import math
import os
import random
import re
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
APP_DIR = os.path.join(HERE, "app")
LOG = logging.getLogger("dataplane")
PENDING_STATES = ("PROVISIONING", "PENDING", "ACTIVATING")


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def short(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------
# clients
# ---------------------------------------------------------------------------


class Aws:
    def __init__(self, endpoint: str, region: str) -> None:
        import boto3
        from botocore.config import Config

        os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
        self.endpoint = endpoint.rstrip("/")
        self.region = region
        cfg = Config(retries={"max_attempts": 2, "mode": "standard"},
                     connect_timeout=3, read_timeout=15, max_pool_connections=20)
        session = boto3.session.Session(region_name=region)
        self._clients = {}
        for name in ("ecs", "elbv2", "ec2", "autoscaling", "logs", "cloudwatch",
                     "secretsmanager", "ssm", "sts"):
            self._clients[name] = session.client(name, endpoint_url=self.endpoint, config=cfg)
        self.account = self.sts.get_caller_identity()["Account"]
        self.writes = 0  # extension writes, to know when a re-read is needed

    def __getattr__(self, name: str) -> Any:
        try:
            return self._clients[name]
        except KeyError:
            raise AttributeError(name) from None

    def ext(self, route: str, body: dict[str, Any]) -> dict[str, Any]:
        """Write a state the AWS API cannot express (moto extension)."""
        self.writes += 1
        body = dict(body, account=self.account, region=self.region)
        req = urllib.request.Request(self.endpoint + "/_navoy/" + route,
                                     data=json.dumps(body, default=str).encode(),
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            LOG.warning("extension %s refused %s: %s", route, body, e.read()[:300])
            return {"error": str(e)}


# ---------------------------------------------------------------------------
# awslogs driver
# ---------------------------------------------------------------------------


class LogShipper(threading.Thread):
    """Batches container output to CloudWatch Logs, flushed every 0.25 s."""

    def __init__(self, aws: Aws) -> None:
        super().__init__(name="awslogs", daemon=True)
        self.aws = aws
        self.cv = threading.Condition()
        self.buf: dict[tuple[str, str], list[dict[str, Any]]] = collections.defaultdict(list)
        self.ready: set[tuple[str, str]] = set()
        self.stop = False

    def put(self, group: str, stream: str, message: str) -> None:
        with self.cv:
            self.buf[(group, stream)].append(
                {"timestamp": int(time.time() * 1000), "message": message})
            self.cv.notify()

    def _ensure(self, group: str, stream: str, create_group: bool = False) -> None:
        """Like the awslogs driver: the stream is created, the group only with
        awslogs-create-group=true (otherwise a missing group fails the task)."""
        if (group, stream) in self.ready:
            return
        logs = self.aws.logs
        if create_group:
            try:
                logs.create_log_group(logGroupName=group)
                LOG.info("awslogs: created log group %s", group)
            except logs.exceptions.ResourceAlreadyExistsException:
                pass
        try:
            logs.create_log_stream(logGroupName=group, logStreamName=stream)
        except logs.exceptions.ResourceAlreadyExistsException:
            pass
        self.ready.add((group, stream))

    def run(self) -> None:
        while not self.stop:
            with self.cv:
                while not self.buf and not self.stop:
                    self.cv.wait(5)
                batch, self.buf = self.buf, collections.defaultdict(list)
            for (group, stream), events in batch.items():
                try:
                    self._ensure(group, stream)
                    for i in range(0, len(events), 1000):
                        self.aws.logs.put_log_events(logGroupName=group, logStreamName=stream,
                                                     logEvents=events[i:i + 1000])
                except Exception as e:  # keep shipping other streams
                    LOG.warning("awslogs: put to %s/%s failed: %s", group, stream, e)
            time.sleep(0.25)


# ---------------------------------------------------------------------------
# container runtime (the "docker" part of the agent)
# ---------------------------------------------------------------------------


class Proc:
    def __init__(self, task_arn: str, port: int, ip: str, popen: subprocess.Popen,
                 log_target: tuple[str, str] | None, cpu_units: int, mem_mib: int) -> None:
        self.task_arn = task_arn
        self.task_id = short(task_arn)
        self.port = port
        self.ip = ip
        self.popen = popen
        self.log_target = log_target
        self.cpu_units = cpu_units
        self.mem_mib = mem_mib
        self.started = time.time()
        self.ready = False
        self.unhealthy_injected = False
        self.cpu_seen = 0.0


class Runtime:
    def __init__(self, shipper: LogShipper, app_cmd: list[str], stop_timeout: float) -> None:
        self.shipper = shipper
        self.app_cmd = app_cmd
        self.stop_timeout = stop_timeout
        self.procs: dict[str, Proc] = {}
        self.lock = threading.Lock()

    def by_ip(self, ip: str) -> Proc | None:
        with self.lock:
            for p in self.procs.values():
                if p.ip == ip:
                    return p
        return None

    def start(self, task_arn: str, ip: str, env: dict[str, str],
              log_target: tuple[str, str] | None, cpu: int, mem: int) -> Proc:
        port = free_port()
        full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env,
                    "PORT": str(port), "BIND_HOST": "127.0.0.1"}
        popen = subprocess.Popen(self.app_cmd, cwd=APP_DIR, env=full_env,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, start_new_session=True)
        proc = Proc(task_arn, port, ip, popen, log_target, cpu, mem)
        with self.lock:
            self.procs[task_arn] = proc
        threading.Thread(target=self._pump, args=(proc,), daemon=True,
                         name=f"stdout-{proc.task_id[:8]}").start()
        return proc

    def _pump(self, proc: Proc) -> None:
        assert proc.popen.stdout is not None
        for raw in proc.popen.stdout:
            line = raw.decode(errors="replace").rstrip("\n")
            if proc.log_target:
                self.shipper.put(proc.log_target[0], proc.log_target[1], line)

    def is_listening(self, proc: Proc) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", proc.port), timeout=0.2):
                return True
        except OSError:
            return False

    def kill(self, task_arn: str, graceful: bool = True) -> int | None:
        with self.lock:
            proc = self.procs.pop(task_arn, None)
        if proc is None:
            return None
        p = proc.popen
        if p.poll() is None:
            try:
                if graceful:
                    p.terminate()
                    try:
                        p.wait(self.stop_timeout)
                    except subprocess.TimeoutExpired:
                        p.kill()
                else:
                    p.kill()
                p.wait(5)
            except Exception:
                pass
        return p.returncode

    def shutdown(self) -> None:
        for arn in list(self.procs):
            self.kill(arn, graceful=False)


# ---------------------------------------------------------------------------
# ALB: health checker and listener
# ---------------------------------------------------------------------------


class TargetState:
    def __init__(self, tg_arn: str, tid: str, port: int) -> None:
        self.tg_arn = tg_arn
        self.tid = tid
        self.port = port
        self.state = "initial"
        self.ok = 0
        self.fail = 0
        self.next_check = time.time() + 0.5
        self.last_reason: tuple[str | None, str | None] = ("Elb.RegistrationInProgress",
                                                          "Target registration is in progress")


class HealthChecker(threading.Thread):
    """Runs the target group's health checks against each registered target."""

    def __init__(self, aws: Aws, runtime: Runtime) -> None:
        super().__init__(name="alb-health", daemon=True)
        self.aws = aws
        self.runtime = runtime
        self.lock = threading.Lock()
        self.targets: dict[tuple[str, str], TargetState] = {}
        self.tg_conf: dict[str, dict[str, Any]] = {}
        self.wake = threading.Event()
        self.stop = False
        self.peaks: dict[str, list[int]] = {}  # tg -> [max healthy, max unhealthy] since last take

    def sample(self) -> None:
        with self.lock:
            counts: dict[str, list[int]] = {tg: [0, 0] for tg in self.tg_conf}
            for t in self.targets.values():
                c = counts.setdefault(t.tg_arn, [0, 0])
                if t.state == "healthy":
                    c[0] += 1
                elif t.state == "unhealthy":
                    c[1] += 1
            for tg, (h, u) in counts.items():
                p = self.peaks.setdefault(tg, [h, u])
                p[0], p[1] = max(p[0], h), max(p[1], u)

    def take_peaks(self) -> dict[str, list[int]]:
        self.sample()
        with self.lock:
            out, self.peaks = self.peaks, {}
        return out

    def sync(self, tg_conf: dict[str, dict[str, Any]],
             registered: dict[str, list[tuple[str, int, str]]]) -> None:
        """registered: tg_arn -> [(id, port, state-as-the-API-reports)]"""
        with self.lock:
            self.tg_conf = tg_conf
            keep = set()
            for tg, items in registered.items():
                for tid, port, api_state in items:
                    if api_state not in ("initial", "healthy", "unhealthy"):
                        continue
                    key = (tg, tid)
                    keep.add(key)
                    if key not in self.targets:
                        ts = TargetState(tg, tid, port)
                        ts.state = api_state
                        self.targets[key] = ts
                        self.wake.set()
            for key in list(self.targets):
                if key not in keep:
                    del self.targets[key]

    def state_of(self, tg: str, tid: str) -> str | None:
        ts = self.targets.get((tg, tid))
        return ts.state if ts else None

    def healthy(self, tg: str) -> list[TargetState]:
        with self.lock:
            return [t for t in self.targets.values() if t.tg_arn == tg and t.state == "healthy"]

    def routable(self, tg: str) -> list[TargetState]:
        with self.lock:
            return [t for t in self.targets.values() if t.tg_arn == tg]

    def _check(self, ts: TargetState, conf: dict[str, Any]) -> tuple[bool, str | None, str | None]:
        proc = self.runtime.by_ip(ts.tid)
        timeout = float(conf.get("HealthCheckTimeoutSeconds") or 5)
        if proc is None:
            time.sleep(min(timeout, 1.0))
            return False, "Target.Timeout", "Request timed out"
        path = conf.get("HealthCheckPath") or "/"
        matcher = (conf.get("Matcher") or {}).get("HttpCode", "200")
        try:
            c = http.client.HTTPConnection("127.0.0.1", proc.port, timeout=timeout)
            c.request("GET", path, headers={"User-Agent": "ELB-HealthChecker/2.0"})
            code = c.getresponse().status
            c.close()
        except socket.timeout:
            return False, "Target.Timeout", "Request timed out"
        except OSError:
            return False, "Target.FailedHealthChecks", "Health checks failed"
        if code_matches(code, matcher):
            return True, None, None
        return False, "Target.ResponseCodeMismatch", f"Health checks failed with these codes: [{code}]"

    def run(self) -> None:
        while not self.stop:
            t = time.time()
            with self.lock:
                due = [ts for ts in self.targets.values() if ts.next_check <= t]
                nxt = min([ts.next_check for ts in self.targets.values()], default=t + 5)
            if not due:
                self.wake.wait(max(0.05, min(5.0, nxt - t)))
                self.wake.clear()
                continue
            threads = []
            for ts in due:
                conf = self.tg_conf.get(ts.tg_arn, {})
                ts.next_check = t + float(conf.get("HealthCheckIntervalSeconds") or 30)
                th = threading.Thread(target=self._run_one, args=(ts, conf), daemon=True)
                th.start()
                threads.append(th)
            for th in threads:
                th.join()

    def _run_one(self, ts: TargetState, conf: dict[str, Any]) -> None:
        ok, reason, desc = self._check(ts, conf)
        hth = int(conf.get("HealthyThresholdCount") or 5)
        uth = int(conf.get("UnhealthyThresholdCount") or 2)
        if ok:
            ts.ok, ts.fail = ts.ok + 1, 0
        else:
            ts.ok, ts.fail = 0, ts.fail + 1
            ts.last_reason = (reason, desc)
        new = ts.state
        if ts.state != "healthy" and ts.ok >= hth:
            new = "healthy"
        elif ts.state != "unhealthy" and ts.fail >= uth:
            new = "unhealthy"
        if new != ts.state:
            LOG.info("alb: target %s:%s in %s %s -> %s%s", ts.tid, ts.port, short(ts.tg_arn),
                     ts.state, new, f" ({reason}: {desc})" if new == "unhealthy" else "")
            ts.state = new
            self.sample()
            body = {"id": ts.tid, "state": new}
            if new == "unhealthy":
                body.update(reason=reason, description=desc)
            self.aws.ext("elbv2/target-health",
                         {"targetGroupArn": ts.tg_arn, "targets": [body]})


def task_reservation(taskdef: dict[str, Any]) -> tuple[int, int]:
    """CPU units and MiB a task reserves on its instance: the containers' values,
    else the task-level ones."""
    cdefs = taskdef["containerDefinitions"]
    cpu = sum(int(c.get("cpu") or 0) for c in cdefs) or int(taskdef.get("cpu") or 0)
    mem = sum(int(c.get("memory") or c.get("memoryReservation") or 0) for c in cdefs) or int(
        taskdef.get("memory") or 0)
    return cpu, mem


def code_matches(code: int, matcher: str) -> bool:
    for part in str(matcher).split(","):
        part = part.strip()
        if "-" in part:
            lo, hi = part.split("-", 1)
            if int(lo) <= code <= int(hi):
                return True
        elif part and int(part) == code:
            return True
    return False


class Listener:
    """Local stand-in for the ALB listener: round-robin over healthy targets."""

    def __init__(self, host: str, port: int, health: HealthChecker, runtime: Runtime) -> None:
        self.health = health
        self.runtime = runtime
        self.tg_arn: str | None = None
        self.rr = itertools.count()
        self.requests = 0
        self.target_5xx = 0
        self.elb_5xx = 0
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a: Any) -> None:
                pass

            def _any(self) -> None:
                outer.forward(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _any

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server((host, port), Handler)
        threading.Thread(target=self.server.serve_forever, name="alb-listener", daemon=True).start()

    def pick(self) -> Proc | None:
        if not self.tg_arn:
            return None
        targets = self.health.healthy(self.tg_arn)
        if not targets:
            # ALB fails open: with no healthy target it routes to all of them
            targets = self.health.routable(self.tg_arn)
        targets = [t for t in targets if self.runtime.by_ip(t.tid)]
        if not targets:
            return None
        t = targets[next(self.rr) % len(targets)]
        return self.runtime.by_ip(t.tid)

    def forward(self, h: http.server.BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.requests += 1
        proc = self.pick()
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else None
        if proc is None:
            with self.lock:
                self.elb_5xx += 1
            data = b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>\n"
            h.send_response(503)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
            return
        try:
            c = http.client.HTTPConnection("127.0.0.1", proc.port, timeout=30)
            headers = {k: v for k, v in h.headers.items() if k.lower() not in ("connection",)}
            headers["X-Forwarded-For"] = h.client_address[0]
            headers["X-Forwarded-Proto"] = "http"
            c.request(h.command, h.path, body=body, headers=headers)
            r = c.getresponse()
            data = r.read()
            h.send_response(r.status)
            for k, v in r.getheaders():
                if k.lower() not in ("connection", "transfer-encoding", "content-length"):
                    h.send_header(k, v)
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            if h.command != "HEAD":
                h.wfile.write(data)
            c.close()
            if r.status >= 500:
                with self.lock:
                    self.target_5xx += 1
        except OSError:
            with self.lock:
                self.elb_5xx += 1
            data = b"<html><body><h1>502 Bad Gateway</h1></body></html>\n"
            h.send_response(502)
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)

    def take_counts(self) -> tuple[int, int, int]:
        with self.lock:
            out = (self.requests, self.target_5xx, self.elb_5xx)
            self.requests = self.target_5xx = self.elb_5xx = 0
        return out


# ---------------------------------------------------------------------------
# the reconcile loop: agent + scheduler
# ---------------------------------------------------------------------------


class DataPlane:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.aws = Aws(args.endpoint, args.region)
        self.shipper = LogShipper(self.aws)
        self.runtime = Runtime(self.shipper, args.app_cmd.split(), args.stop_timeout)
        self.health = HealthChecker(self.aws, self.runtime)
        self.listener = Listener(args.listen_host, args.listen_port, self.health, self.runtime)
        self.stop = threading.Event()
        self.kick = threading.Event()
        self.lock = threading.RLock()
        self.stopping: set[tuple[str, str]] = set()  # (cluster, task arn) being stopped
        self.registered_targets: dict[str, list[tuple[str, str, int]]] = {}  # task -> [(tg, ip, port)]
        self.failed: dict[str, int] = collections.Counter()  # deployment id -> failed tasks
        self.steady: dict[str, bool] = {}
        self.last_service_write: dict[str, str] = {}
        self.last_placement_event: dict[str, float] = {}
        self.asg_cluster_cache: dict[str, tuple[float, str | None]] = {}
        self.secret_cache: dict[str, tuple[float, str]] = {}
        self.subnet_az: dict[str, str] = {}
        self.faults: list[tuple[str, str]] = []
        self.known_stopped: dict[str, set[str]] = {}
        self.reg_service: dict[str, str | None] = {}
        self.tg_states: dict[str, dict[str, str]] = {}
        self.tg_ports: dict[str, dict[str, int]] = {}
        self.failures_logged: dict[str, float] = {}
        self.agent_known: dict[str, str] = {}  # EC2 instance -> cluster we registered it in
        self.agent_out: set[str] = set()

    # -- helpers -----------------------------------------------------------

    def event(self, cluster: str, service: str, *messages: str) -> None:
        for m in messages:
            LOG.info("event: %s", m)
        self.aws.ext("ecs/service", {"cluster": cluster, "service": service,
                                      "events": list(messages)})

    def task_ip(self, task: dict[str, Any]) -> str | None:
        for att in task.get("attachments", []):
            if att.get("type") == "ElasticNetworkInterface":
                for d in att.get("details", []):
                    if d["name"] == "privateIPv4Address":
                        return d["value"]
        return None

    def az_of_subnet(self, subnet: str) -> str | None:
        if subnet not in self.subnet_az:
            try:
                s = self.aws.ec2.describe_subnets(SubnetIds=[subnet])["Subnets"][0]
                self.subnet_az[subnet] = s["AvailabilityZone"]
            except Exception:
                return None
        return self.subnet_az[subnet]

    # -- agent: container instances --------------------------------------

    def cluster_for_asg(self, asg: dict[str, Any], clusters: list[str]) -> str | None:
        name = asg["AutoScalingGroupName"]
        cached = self.asg_cluster_cache.get(name)
        if cached and time.time() - cached[0] < 30:
            return cached[1]
        cluster = None
        lt = asg.get("LaunchTemplate") or (asg.get("MixedInstancesPolicy") or {}).get(
            "LaunchTemplate", {}).get("LaunchTemplateSpecification")
        if lt:
            try:
                kw = ({"LaunchTemplateId": lt["LaunchTemplateId"]} if lt.get("LaunchTemplateId")
                      else {"LaunchTemplateName": lt["LaunchTemplateName"]})
                v = self.aws.ec2.describe_launch_template_versions(
                    Versions=[lt.get("Version") or "$Default"], **kw)["LaunchTemplateVersions"]
                ud = v[0]["LaunchTemplateData"].get("UserData") if v else None
                if ud:
                    m = re.search(r"ECS_CLUSTER=([\w-]+)", base64.b64decode(ud).decode(errors="replace"))
                    if m:
                        cluster = m.group(1)
            except Exception as e:
                LOG.debug("launch template lookup failed: %s", e)
        if cluster is None:
            try:
                cps = self.aws.ecs.describe_capacity_providers()["capacityProviders"]
                for cp in cps:
                    if cp.get("autoScalingGroupProvider", {}).get("autoScalingGroupArn", "").endswith(name) or \
                            cp.get("autoScalingGroupProvider", {}).get("autoScalingGroupArn") == asg.get("AutoScalingGroupARN"):
                        for c in self.aws.ecs.describe_clusters(clusters=clusters)["clusters"]:
                            if cp["name"] in c.get("capacityProviders", []):
                                cluster = c["clusterName"]
            except Exception as e:
                LOG.debug("capacity provider lookup failed: %s", e)
        if cluster is None and self.args.cluster in clusters:
            cluster = self.args.cluster
        self.asg_cluster_cache[name] = (time.time(), cluster)
        return cluster

    def sync_container_instances(self, clusters: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Returns cluster -> container instances (as described)."""
        out: dict[str, list[dict[str, Any]]] = {}
        wanted: dict[str, dict[str, dict[str, Any]]] = collections.defaultdict(dict)
        asgs = self.aws.autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]
        instance_ids = [i["InstanceId"] for a in asgs for i in a.get("Instances", [])]
        ec2_state: dict[str, dict[str, Any]] = {}
        if instance_ids:
            for r in self.aws.ec2.describe_instances(InstanceIds=instance_ids)["Reservations"]:
                for i in r["Instances"]:
                    ec2_state[i["InstanceId"]] = i
        for asg in asgs:
            cluster = self.cluster_for_asg(asg, clusters)
            if not cluster:
                continue
            for inst in asg.get("Instances", []):
                e = ec2_state.get(inst["InstanceId"])
                if e and e["State"]["Name"] == "running" and inst.get("LifecycleState") == "InService":
                    wanted[cluster][inst["InstanceId"]] = e
        for cluster in clusters:
            arns = self.aws.ecs.list_container_instances(cluster=cluster)["containerInstanceArns"]
            cis = (self.aws.ecs.describe_container_instances(cluster=cluster, containerInstances=arns)[
                "containerInstances"] if arns else [])
            have = {ci["ec2InstanceId"]: ci for ci in cis}
            for iid in have:
                self.agent_known.setdefault(iid, cluster)
            for iid, e in wanted.get(cluster, {}).items():
                if iid not in have and self.agent_known.get(iid) == cluster:
                    # someone deregistered it: like the real agent, it stays out
                    # until the instance is replaced
                    if iid not in self.agent_out:
                        LOG.info("agent: %s was deregistered from %s; not registering it again", iid, cluster)
                        self.agent_out.add(iid)
                    continue
                if iid not in have:
                    doc = {"instanceId": iid, "availabilityZone": e["Placement"]["AvailabilityZone"],
                           "region": self.aws.region, "instanceType": e.get("InstanceType"),
                           "privateIp": e.get("PrivateIpAddress"), "imageId": e.get("ImageId")}
                    ci = self.aws.ecs.register_container_instance(
                        cluster=cluster, instanceIdentityDocument=json.dumps(doc),
                        instanceIdentityDocumentSignature="")["containerInstance"]
                    LOG.info("agent: registered %s (%s, %s) as container instance %s in cluster %s",
                             iid, doc["availabilityZone"], e.get("SubnetId"),
                             short(ci["containerInstanceArn"]), cluster)
                    cis.append(ci)
                    self.agent_known[iid] = cluster
            for ci in list(cis):
                iid = ci["ec2InstanceId"]
                if iid in wanted.get(cluster, {}):
                    continue
                e = ec2_state.get(iid)
                if e is None:
                    try:
                        rs = self.aws.ec2.describe_instances(InstanceIds=[iid])["Reservations"]
                        e = rs[0]["Instances"][0] if rs else None
                    except Exception:
                        e = None
                if e is not None and e["State"]["Name"] in ("running", "pending"):
                    continue  # not an ASG instance we manage, or still coming up
                # the EC2 instance is gone: its tasks die with it
                arns = self.aws.ecs.list_tasks(cluster=cluster,
                                               containerInstance=ci["containerInstanceArn"])["taskArns"]
                for t in (self.aws.ecs.describe_tasks(cluster=cluster, tasks=arns)["tasks"] if arns else []):
                    self.adopt_registrations(t)
                for arn in arns:
                    LOG.info("agent: host %s terminated, stopping task %s", iid, short(arn))
                    self.aws.ecs.stop_task(cluster=cluster, task=arn,
                                           reason=f"Host EC2 (instance {iid}) terminated.")
                    self.aws.ext("ecs/task", {"cluster": cluster, "task": arn, "stopCode": "TerminationNotice"})
                    self.finish_task_stop(cluster, arn, host_gone=True)
                self.aws.ecs.deregister_container_instance(cluster=cluster,
                                                           containerInstance=ci["containerInstanceArn"],
                                                           force=True)
                LOG.info("agent: deregistered container instance %s (instance %s is %s)",
                         short(ci["containerInstanceArn"]), iid,
                         e["State"]["Name"] if e else "gone")
                cis.remove(ci)
            out[cluster] = cis
        return out

    # -- agent: tasks ---------------------------------------------------------

    def resolve_secret(self, value_from: str) -> str:
        cached = self.secret_cache.get(value_from)
        if cached and time.time() - cached[0] < 60:
            return cached[1]
        if ":secretsmanager:" in value_from or (not value_from.startswith("/")
                                                 and ":ssm:" not in value_from and not value_from.startswith("arn:")):
            parts = value_from.split(":")
            secret_id, json_key, stage, version = value_from, None, None, None
            if value_from.startswith("arn:") and len(parts) > 7:
                secret_id = ":".join(parts[:7])
                json_key = parts[7] or None
                stage = parts[8] if len(parts) > 8 and parts[8] else None
                version = parts[9] if len(parts) > 9 and parts[9] else None
            kw: dict[str, Any] = {"SecretId": secret_id}
            if stage:
                kw["VersionStage"] = stage
            if version:
                kw["VersionId"] = version
            val = self.aws.secretsmanager.get_secret_value(**kw)["SecretString"]
            if json_key:
                val = str(json.loads(val)[json_key])
        else:
            name = value_from
            if value_from.startswith("arn:"):
                name = value_from.split(":parameter", 1)[1]
                if not name.startswith("/"):
                    name = "/" + name
                if name.count("/") == 1:
                    name = name[1:]
            val = self.aws.ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
        self.secret_cache[value_from] = (time.time(), val)
        return val

    def launch(self, cluster: str, task: dict[str, Any], taskdef: dict[str, Any]) -> None:
        arn = task["taskArn"]
        tid = short(arn)
        cdef = taskdef["containerDefinitions"][0]
        self.aws.ext("ecs/task", {"cluster": cluster, "task": arn, "lastStatus": "PENDING",
                                  "pullStartedAt": time.time(), "pullStoppedAt": time.time()})
        env = {e["name"]: e["value"] for e in cdef.get("environment", [])}
        for override in (task.get("overrides") or {}).get("containerOverrides", []):
            if override.get("name") == cdef["name"]:
                env.update({e["name"]: e["value"] for e in override.get("environment", [])})
        try:
            for s in cdef.get("secrets", []):
                env[s["name"]] = self.resolve_secret(s["valueFrom"])
        except Exception as e:
            reason = ("ResourceInitializationError: unable to pull secrets or registry auth: "
                      f"execution resource retrieval failed: {type(e).__name__}")
            LOG.warning("agent: task %s failed to start: %s", tid, reason)
            self.aws.ext("ecs/task", {"cluster": cluster, "task": arn, "stoppedReason": reason,
                                      "stopCode": "TaskFailedToStart"})
            self.aws.ext("ecs/task", {"cluster": cluster, "task": arn, "lastStatus": "STOPPED"})
            self.note_failure(task)
            return
        ip = self.task_ip(task) or "127.0.0.1"
        dns = "ip-" + ip.replace(".", "-") + ".ec2.internal"
        env.setdefault("HOSTNAME", dns)
        env["APP_VERSION"] = cdef.get("image", "unknown").rsplit(":", 1)[-1]
        env["ECS_CONTAINER_METADATA_URI_V4"] = f"http://169.254.170.2/v4/{tid}"
        log_target = None
        lc = cdef.get("logConfiguration") or {}
        if lc.get("logDriver") == "awslogs":
            o = lc.get("options", {})
            group = o.get("awslogs-group", "/ecs/" + taskdef["family"])
            prefix = o.get("awslogs-stream-prefix")
            stream = f"{prefix}/{cdef['name']}/{tid}" if prefix else tid
            log_target = (group, stream)
            try:
                self.shipper._ensure(group, stream, str(o.get("awslogs-create-group")).lower() == "true")
            except Exception as e:
                reason = ("ResourceInitializationError: failed to validate logger args: "
                          f"create stream has been retried 1 times: failed to create Cloudwatch log stream: "
                          f"{type(e).__name__}: The specified log group does not exist.")
                LOG.warning("agent: task %s failed to start: %s", tid, reason)
                self.aws.ext("ecs/task", {"cluster": cluster, "task": arn, "stoppedReason": reason,
                                          "stopCode": "TaskFailedToStart"})
                self.aws.ext("ecs/task", {"cluster": cluster, "task": arn, "lastStatus": "STOPPED"})
                self.note_failure(task)
                return
        cpu = int(cdef.get("cpu") or taskdef.get("cpu") or 0)
        mem = int(cdef.get("memory") or cdef.get("memoryReservation") or taskdef.get("memory") or 0)
        proc = self.runtime.start(arn, ip, env, log_target, cpu, mem)
        LOG.info("agent: started task %s (%s) as pid %d on 127.0.0.1:%d, target %s:%s, logs %s",
                 tid, taskdef["family"] + ":" + str(taskdef["revision"]), proc.popen.pid, proc.port,
                 ip, (cdef.get("portMappings") or [{}])[0].get("containerPort"),
                 "/".join(log_target) if log_target else "-")
        self.aws.ext("ecs/task", {"cluster": cluster, "task": arn, "lastStatus": "ACTIVATING",
                                  "containerRuntimeId": str(proc.popen.pid)})

    def note_failure(self, task: dict[str, Any]) -> None:
        dep = task.get("startedBy") or ""
        if dep.startswith("ecs-svc/"):
            self.failed[dep] += 1

    def finish_task_stop(self, cluster: str, arn: str, host_gone: bool = False) -> None:
        if arn in self.registered_targets:  # never leave a stopped task behind in a target group
            self.deregister_task_targets(cluster, {"taskArn": arn}, self.reg_service.get(arn))
        code = self.runtime.kill(arn, graceful=not host_gone)
        body: dict[str, Any] = {"cluster": cluster, "task": arn, "lastStatus": "STOPPED",
                                "executionStoppedAt": time.time()}
        if code is not None:
            body["exitCode"] = 128 + abs(code) if code < 0 else code
        self.aws.ext("ecs/task", body)
        with self.lock:
            self.stopping.discard((cluster, arn))
        LOG.info("agent: task %s is STOPPED%s", short(arn),
                 f" (exit code {body.get('exitCode')})" if "exitCode" in body else "")

    def adopt_registrations(self, t: dict[str, Any]) -> None:
        """Targets of this task as the target groups report them (also those
        registered before a data plane restart)."""
        ip = self.task_ip(t)
        if not ip or t["taskArn"] in self.registered_targets:
            return
        regs = [(tg, ip, ports[ip]) for tg, ports in self.tg_ports.items()
                if ip in ports and self.tg_states.get(tg, {}).get(ip) in ("initial", "healthy", "unhealthy",
                                                                           "unavailable", "unused")]
        if regs:
            self.registered_targets[t["taskArn"]] = regs
            g = t.get("group", "")
            self.reg_service[t["taskArn"]] = g[8:] if g.startswith("service:") else None

    def deregister_task_targets(self, cluster: str, task: dict[str, Any], service: str | None) -> None:
        regs = self.registered_targets.pop(task["taskArn"], [])
        self.reg_service.pop(task["taskArn"], None)
        by_tg: dict[str, list[tuple[str, int]]] = collections.defaultdict(list)
        for tg, ip, port in regs:
            by_tg[tg].append((ip, port))
        for tg, items in by_tg.items():
            try:
                self.aws.elbv2.deregister_targets(TargetGroupArn=tg,
                                                  Targets=[{"Id": i, "Port": p} for i, p in items])
            except Exception as e:
                LOG.warning("alb: deregister %s from %s failed: %s", items, short(tg), e)
                continue
            if service:
                self.event(cluster, service,
                           f"(service {service}) has begun draining connections on 1 tasks.",
                           f"(service {service}) deregistered {len(items)} targets in (target-group {tg})")

    def agent_tasks(self, cluster: str, tasks: list[dict[str, Any]], taskdefs: dict[str, dict[str, Any]],
                    tg_health: dict[str, dict[str, str]]) -> None:
        """Move each task of our container instances towards its desired status."""
        for t in tasks:
            arn, last, desired = t["taskArn"], t["lastStatus"], t["desiredStatus"]
            service = t.get("group", "")[8:] if t.get("group", "").startswith("service:") else None
            proc = self.runtime.procs.get(arn)
            if desired == "RUNNING":
                if last == "PROVISIONING" and proc is None:
                    td = taskdefs.get(t["taskDefinitionArn"])
                    if td is None:
                        td = self.aws.ecs.describe_task_definition(
                            taskDefinition=t["taskDefinitionArn"])["taskDefinition"]
                        taskdefs[t["taskDefinitionArn"]] = td
                    self.launch(cluster, t, td)
                elif proc is None and last in ("PENDING", "ACTIVATING", "RUNNING"):
                    # the container is gone (data plane restarted or it was never ours)
                    self.aws.ecs.stop_task(cluster=cluster, task=arn,
                                           reason="Essential container in task exited")
                    self.aws.ext("ecs/task", {"cluster": cluster, "task": arn,
                                              "stopCode": "EssentialContainerExited"})
                    with self.lock:
                        self.stopping.add((cluster, arn))
                elif proc is not None and proc.popen.poll() is not None:
                    code = proc.popen.returncode
                    LOG.info("agent: task %s container exited with code %s", short(arn), code)
                    self.aws.ecs.stop_task(cluster=cluster, task=arn,
                                           reason="Essential container in task exited")
                    self.aws.ext("ecs/task", {"cluster": cluster, "task": arn,
                                              "stopCode": "EssentialContainerExited",
                                              "exitCode": 128 + abs(code) if code < 0 else code})
                    if last != "RUNNING":
                        self.note_failure(t)
                    self.deregister_task_targets(cluster, t, service)
                    self.finish_task_stop(cluster, arn)
                elif proc is not None and last in ("PENDING", "ACTIVATING") and self.runtime.is_listening(proc):
                    proc.ready = True
                    self.aws.ext("ecs/task", {"cluster": cluster, "task": arn, "lastStatus": "RUNNING",
                                              "startedAt": time.time(), "connectivity": "CONNECTED",
                                              "connectivityAt": time.time(), "healthStatus": "UNKNOWN"})
                    LOG.info("agent: task %s is RUNNING on 127.0.0.1:%d", short(arn), proc.port)
            else:  # desired STOPPED, not yet stopped
                with self.lock:
                    first = (cluster, arn) not in self.stopping
                    self.stopping.add((cluster, arn))
                if first:
                    LOG.info("agent: stopping task %s: %s", short(arn), t.get("stoppedReason"))
                self.adopt_registrations(t)
                regs = self.registered_targets.get(arn)
                if regs:
                    self.deregister_task_targets(cluster, t, service)
                    self.aws.ext("ecs/task", {"cluster": cluster, "task": arn, "lastStatus": "DEACTIVATING"})
                    continue
                # wait until the load balancer has finished draining this task
                ip = self.task_ip(t)
                draining = any(h.get(ip) == "draining" for h in tg_health.values()) if ip else False
                if draining:
                    if last != "DEACTIVATING":
                        self.aws.ext("ecs/task", {"cluster": cluster, "task": arn, "lastStatus": "DEACTIVATING"})
                    continue
                self.aws.ext("ecs/task", {"cluster": cluster, "task": arn, "lastStatus": "STOPPING"})
                self.finish_task_stop(cluster, arn)

    # -- scheduler ---------------------------------------------------------

    def place(self, n: int, cis: list[dict[str, Any]], svc_tasks: list[dict[str, Any]],
              taskdef: dict[str, Any]) -> list[dict[str, Any]]:
        """spread(attribute:ecs.availability-zone) then binpack(memory)."""
        need_cpu, need_mem = task_reservation(taskdef)
        free: dict[str, list[int]] = {}
        for ci in cis:
            r = {x["name"]: x.get("integerValue", 0) for x in ci.get("remainingResources", [])}
            free[ci["containerInstanceArn"]] = [r.get("CPU", 0), r.get("MEMORY", 0)]
        az_of = {ci["containerInstanceArn"]: next(
            (a["value"] for a in ci.get("attributes", []) if a["name"] == "ecs.availability-zone"), "?")
            for ci in cis}
        per_az = collections.Counter()
        for t in svc_tasks:
            if t.get("containerInstanceArn") in az_of:
                per_az[az_of[t["containerInstanceArn"]]] += 1
            elif t.get("availabilityZone"):
                per_az[t["availabilityZone"]] += 1
        chosen = []
        for _ in range(n):
            fits = [ci for ci in cis if ci["status"] == "ACTIVE" and ci.get("agentConnected", True)
                    and free[ci["containerInstanceArn"]][0] >= need_cpu
                    and free[ci["containerInstanceArn"]][1] >= need_mem]
            if not fits:
                break
            best = min(fits, key=lambda ci: (per_az[az_of[ci["containerInstanceArn"]]],
                                             free[ci["containerInstanceArn"]][1],
                                             ci["containerInstanceArn"]))
            a = best["containerInstanceArn"]
            free[a][0] -= need_cpu
            free[a][1] -= need_mem
            per_az[az_of[a]] += 1
            chosen.append(best)
        return chosen

    def start_tasks(self, cluster: str, svc: dict[str, Any], dep: dict[str, Any], n: int,
                    cis: list[dict[str, Any]], svc_tasks: list[dict[str, Any]],
                    taskdef: dict[str, Any]) -> int:
        name = svc["serviceName"]
        chosen = self.place(n, cis, svc_tasks, taskdef)
        if len(chosen) < n:
            last = self.last_placement_event.get(svc["serviceArn"], 0)
            if time.time() - last > 60:
                self.last_placement_event[svc["serviceArn"]] = time.time()
                active = [ci for ci in cis if ci["status"] == "ACTIVE"]
                if not active:
                    why = "Reason: No Container Instances were found in your cluster."
                else:
                    why = (f"The closest matching (container-instance {short(active[0]['containerInstanceArn'])}) "
                           "has insufficient memory available.")
                self.event(cluster, name, f"(service {name}) was unable to place a task because no "
                                          f"container instance met all of its requirements. {why}")
        started = []
        net = (dep.get("networkConfiguration") or svc.get("networkConfiguration") or {}).get(
            "awsvpcConfiguration")
        for ci in chosen:
            kw: dict[str, Any] = {}
            if net:
                az = next((a["value"] for a in ci.get("attributes", [])
                           if a["name"] == "ecs.availability-zone"), None)
                subnets = [s for s in net.get("subnets", []) if self.az_of_subnet(s) == az] or net["subnets"]
                kw["networkConfiguration"] = {"awsvpcConfiguration": {
                    "subnets": [subnets[0]], "securityGroups": net.get("securityGroups", []),
                    "assignPublicIp": net.get("assignPublicIp", "DISABLED")}}
            res = self.aws.ecs.start_task(cluster=cluster, taskDefinition=dep["taskDefinition"],
                                          containerInstances=[ci["containerInstanceArn"]],
                                          startedBy=dep["id"], group=f"service:{name}", **kw)
            for t in res["tasks"]:
                started.append(t)
                svc_tasks.append(t)
                LOG.info("scheduler: %s started task %s on %s (%s) for %s", name, short(t["taskArn"]),
                         short(ci["containerInstanceArn"]),
                         next((a["value"] for a in ci.get("attributes", [])
                               if a["name"] == "ecs.availability-zone"), "?"), dep["id"])
                # keep remaining resources in step for the next placement in this tick
                for r in ci.get("remainingResources", []):
                    if r["name"] in ("CPU", "MEMORY"):
                        r["integerValue"] -= task_reservation(taskdef)[r["name"] == "MEMORY"]
        if started:
            self.event(cluster, name, f"(service {name}) has started {len(started)} tasks: " +
                       " ".join(f"(task {short(t['taskArn'])})" for t in started) + ".")
        return len(started)

    def stop_tasks(self, cluster: str, name: str, tasks: list[dict[str, Any]], reason: str,
                   why: str) -> None:
        if not tasks:
            return
        for t in tasks:
            LOG.info("scheduler: %s stopping task %s: %s", name, short(t["taskArn"]), why)
            self.aws.ecs.stop_task(cluster=cluster, task=t["taskArn"], reason=reason)
            self.aws.ext("ecs/task", {"cluster": cluster, "task": t["taskArn"],
                                      "stopCode": "ServiceSchedulerInitiated"})
            t["desiredStatus"] = "STOPPED"
            with self.lock:
                self.stopping.add((cluster, t["taskArn"]))
        self.event(cluster, name, f"(service {name}) has stopped {len(tasks)} running tasks: " +
                   " ".join(f"(task {short(t['taskArn'])})" for t in tasks) + ".")

    def schedule_service(self, cluster: str, svc: dict[str, Any], cis: list[dict[str, Any]],
                         tasks: list[dict[str, Any]], taskdefs: dict[str, dict[str, Any]],
                         tg_health: dict[str, dict[str, str]]) -> None:
        name = svc["serviceName"]
        if svc.get("status") != "ACTIVE":
            # a deleted service's tasks are stopped by ECS
            gone = [t for t in tasks if t.get("group") == f"service:{name}" and t["desiredStatus"] == "RUNNING"]
            if gone:
                self.stop_tasks(cluster, name, gone, "Service was deleted", "the service was deleted")
            return
        if svc.get("deploymentController", {}).get("type", "ECS") != "ECS":
            return
        deps = svc.get("deployments", [])
        primary = next((d for d in deps if d["status"] == "PRIMARY"), None)
        if primary is None:
            return
        lbs = [lb for lb in svc.get("loadBalancers", []) if lb.get("targetGroupArn")]
        conf = svc.get("deploymentConfiguration") or {}
        max_pct = conf.get("maximumPercent", 200)
        min_pct = conf.get("minimumHealthyPercent", 100)
        cb = conf.get("deploymentCircuitBreaker") or {}
        D = svc["desiredCount"]
        ci_status = {ci["containerInstanceArn"]: ci["status"] for ci in cis}
        live = [t for t in tasks if t.get("group") == f"service:{name}" and t["desiredStatus"] == "RUNNING"]

        def target_state(t: dict[str, Any]) -> str | None:
            ip = self.task_ip(t)
            states = [tg_health.get(lb["targetGroupArn"], {}).get(ip) for lb in lbs]
            if not lbs:
                return "healthy" if t["lastStatus"] == "RUNNING" else None
            if any(s is None for s in states):
                return None
            for s in ("unhealthy", "initial", "draining"):
                if s in states:
                    return s
            return "healthy"

        def healthy(t: dict[str, Any]) -> bool:
            return t["lastStatus"] == "RUNNING" and target_state(t) == "healthy"

        # register targets of tasks that just reached RUNNING
        for t in live:
            if lbs and t["lastStatus"] == "RUNNING" and t["taskArn"] not in self.registered_targets \
                    and self.runtime.procs.get(t["taskArn"]):
                ip = self.task_ip(t)
                regs = []
                for lb in lbs:
                    port = lb.get("containerPort") or 80
                    self.aws.elbv2.register_targets(TargetGroupArn=lb["targetGroupArn"],
                                                    Targets=[{"Id": ip, "Port": port}])
                    tg_health.setdefault(lb["targetGroupArn"], {})[ip] = "initial"
                    regs.append((lb["targetGroupArn"], ip, port))
                    self.event(cluster, name, f"(service {name}) registered 1 targets in "
                                              f"(target-group {lb['targetGroupArn']})")
                self.registered_targets[t["taskArn"]] = regs
                self.reg_service[t["taskArn"]] = name

        # replace tasks that failed their ELB health checks
        grace = float(svc.get("healthCheckGracePeriodSeconds") or 0)

        def in_grace(t: dict[str, Any]) -> bool:
            started = t.get("startedAt")
            return bool(grace and started and (now() - started).total_seconds() < grace)

        # ECS ignores ELB health during the service's health check grace period
        failing = [t for t in live if lbs and target_state(t) == "unhealthy" and not in_grace(t)]
        for t in failing:
            tg = next(lb["targetGroupArn"] for lb in lbs
                      if tg_health.get(lb["targetGroupArn"], {}).get(self.task_ip(t)) == "unhealthy")
            self.event(cluster, name, f"(service {name}) (task {short(t['taskArn'])}) failed ELB health "
                                      f"checks in (target-group {tg})")
            self.note_failure(t)
            self.stop_tasks(cluster, name, [t], f"Task failed ELB health checks in (target-group {tg})",
                            "failed ELB health checks")
        live = [t for t in live if t["desiredStatus"] == "RUNNING"]

        # circuit breaker
        if cb.get("enable") and primary.get("rolloutState") == "IN_PROGRESS":
            threshold = min(200, max(3, math.ceil(D * 0.5)))
            if self.failed[primary["id"]] >= threshold:
                reason = "ECS deployment circuit breaker: tasks failed to start."
                self.aws.ext("ecs/service", {"cluster": cluster, "service": name, "deployments": [
                    {"id": primary["id"], "rolloutState": "FAILED", "rolloutStateReason": reason}]})
                self.event(cluster, name, f"(service {name}) (deployment {primary['id']}) deployment failed: "
                                          "tasks failed to start.")
                primary["rolloutState"] = "FAILED"
                previous = next((d for d in deps if d["status"] == "ACTIVE"), None)
                if cb.get("rollback") and previous:
                    res = self.aws.ext("ecs/service", {"cluster": cluster, "service": name,
                                                        "addDeployment": {"taskDefinition": previous["taskDefinition"]}})
                    LOG.info("scheduler: %s rolling back to %s (%s)", name, previous["taskDefinition"], res)
                    return  # next tick works on the rollback deployment
        can_start = primary.get("rolloutState") != "FAILED" or not cb.get("enable")

        ours = [t for t in live if t.get("startedBy") == primary["id"]
                and ci_status.get(t.get("containerInstanceArn")) == "ACTIVE"]
        others = [t for t in live if t not in ours]
        max_total = math.floor(D * max_pct / 100)
        min_healthy = math.ceil(D * min_pct / 100)

        # scale in: stop surplus tasks of the primary deployment, most crowded AZ first
        if len(ours) > D:
            excess = len(ours) - D
            ci_az = {ci["containerInstanceArn"]: next((a["value"] for a in ci.get("attributes", [])
                                                       if a["name"] == "ecs.availability-zone"), None)
                     for ci in cis}
            for t in ours:
                t.setdefault("availabilityZone", ci_az.get(t.get("containerInstanceArn")))
            per_az = collections.Counter(t.get("availabilityZone") for t in ours)
            victims = []
            pool = list(ours)
            for _ in range(excess):
                pick = max(pool, key=lambda t: (not healthy(t) and 1 or 0, per_az[t.get("availabilityZone")],
                                                str(t.get("createdAt"))))
                per_az[pick.get("availabilityZone")] -= 1
                pool.remove(pick)
                victims.append(pick)
            self.stop_tasks(cluster, name, victims,
                            f"Scaling activity initiated by (deployment {primary['id']})",
                            f"desired count is {D}")
            ours = pool
            live = [t for t in live if t["desiredStatus"] == "RUNNING"]

        # start replacements / scale out within maximumPercent
        need = D - len(ours)
        room = max_total - len(live)
        if need > 0 and room > 0 and can_start:
            td = taskdefs.get(primary["taskDefinition"]) or self.aws.ecs.describe_task_definition(
                taskDefinition=primary["taskDefinition"])["taskDefinition"]
            taskdefs[primary["taskDefinition"]] = td
            # spread counts the tasks that stay: the primary deployment's on ACTIVE instances
            self.start_tasks(cluster, svc, primary, min(need, room), cis, list(ours), td)

        # stop tasks of old deployments and on DRAINING instances within minimumHealthyPercent
        healthy_now = sum(1 for t in live if healthy(t))
        victims = []
        for t in sorted(others, key=lambda t: healthy(t)):
            if not healthy(t):
                victims.append(t)
            elif healthy_now - 1 >= min_healthy:
                victims.append(t)
                healthy_now -= 1
        if victims:
            on_draining = [t for t in victims if ci_status.get(t.get("containerInstanceArn")) != "ACTIVE"]
            replaced = [t for t in victims if t not in on_draining]
            self.stop_tasks(cluster, name, on_draining,
                            "Task stopped because the container instance is DRAINING",
                            "its container instance is DRAINING")
            self.stop_tasks(cluster, name, replaced,
                            f"Scaling activity initiated by (deployment {primary['id']})",
                            f"replaced by deployment {primary['id']}")

        self.update_service_state(cluster, svc, deps, tasks, lbs, healthy)

    def update_service_state(self, cluster: str, svc: dict[str, Any], deps: list[dict[str, Any]],
                             tasks: list[dict[str, Any]], lbs: list[dict[str, Any]], healthy: Any) -> None:
        name = svc["serviceName"]
        mine = [t for t in tasks if t.get("group") == f"service:{name}"]
        live = [t for t in mine if t["desiredStatus"] == "RUNNING"]
        running = sum(1 for t in live if t["lastStatus"] == "RUNNING")
        pending = sum(1 for t in live if t["lastStatus"] in PENDING_STATES)
        in_flight = [t for t in mine if t["desiredStatus"] == "STOPPED" and t["lastStatus"] != "STOPPED"]
        primary = deps[0]
        dep_updates, remove, events = [], [], []
        for d in deps:
            dl = [t for t in live if t.get("startedBy") == d["id"]]
            upd = {"id": d["id"],
                   "runningCount": sum(1 for t in dl if t["lastStatus"] == "RUNNING"),
                   "pendingCount": sum(1 for t in dl if t["lastStatus"] in PENDING_STATES),
                   "failedTasks": self.failed[d["id"]]}
            if d["status"] != "PRIMARY":
                upd["desiredCount"] = len(dl)
                if not dl and not any(t.get("startedBy") == d["id"] for t in in_flight):
                    remove.append(d["id"])
                    LOG.info("scheduler: %s deployment %s has no tasks left, removing it", name, d["id"])
                    continue
            dep_updates.append(upd)
        p_live = [t for t in live if t.get("startedBy") == primary["id"]]
        steady = (len(deps) - len(remove) == 1 and len(p_live) == svc["desiredCount"] == running
                  and pending == 0 and not in_flight and all(healthy(t) for t in p_live))
        if steady and primary.get("rolloutState") == "IN_PROGRESS":
            dep_updates[0]["rolloutState"] = "COMPLETED"
            dep_updates[0]["rolloutStateReason"] = f"ECS deployment {primary['id']} completed."
            events.append(f"(service {name}) (deployment {primary['id']}) deployment completed.")
        if steady and not self.steady.get(svc["serviceArn"]):
            events.append(f"(service {name}) has reached a steady state.")
        self.steady[svc["serviceArn"]] = steady
        body = {"cluster": cluster, "service": name, "runningCount": running, "pendingCount": pending,
                "deployments": dep_updates, "removeDeployments": remove}
        key = json.dumps(body, sort_keys=True)
        if key != self.last_service_write.get(svc["serviceArn"]) or events:
            self.aws.ext("ecs/service", dict(body, events=events))
            for e in events:
                LOG.info("event: %s", e)
            self.last_service_write[svc["serviceArn"]] = key

    # -- one reconcile pass ---------------------------------------------------

    def reconcile(self) -> None:
        self.apply_faults()
        clusters = self.aws.ecs.list_clusters()["clusterArns"]
        names = []
        for i in range(0, len(clusters), 100):
            names += [c["clusterName"] for c in self.aws.ecs.describe_clusters(
                clusters=clusters[i:i + 100])["clusters"] if c.get("status") == "ACTIVE"]
        tg_conf: dict[str, dict[str, Any]] = {}
        tg_health: dict[str, dict[str, str]] = {}
        registered: dict[str, list[tuple[str, int, str]]] = {}
        tgs = self.aws.elbv2.describe_target_groups()["TargetGroups"]
        for tg in tgs:
            arn = tg["TargetGroupArn"]
            tg_conf[arn] = tg
            th = self.aws.elbv2.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]
            tg_health[arn] = {d["Target"]["Id"]: d["TargetHealth"]["State"] for d in th}
            registered[arn] = [(d["Target"]["Id"], d["Target"].get("Port", 0), d["TargetHealth"]["State"])
                               for d in th]
        self.health.sync(tg_conf, registered)
        self.tg_states = tg_health
        self.tg_ports = {tg: {tid: port for tid, port, _st in items} for tg, items in registered.items()}
        cis_by_cluster = self.sync_container_instances(names) if names else {}
        self.pick_listener_tg(tgs)
        taskdefs: dict[str, dict[str, Any]] = {}
        for cluster in names:
            cis = cis_by_cluster.get(cluster, [])
            ours = {ci["containerInstanceArn"] for ci in cis}
            arns = self.aws.ecs.list_tasks(cluster=cluster, desiredStatus="RUNNING")["taskArns"]
            # tasks someone asked to stop (StopTask, scheduler) that are not STOPPED yet
            done = self.known_stopped.setdefault(cluster, set())
            arns += [a for a in self.aws.ecs.list_tasks(cluster=cluster, desiredStatus="STOPPED")["taskArns"]
                     if a not in done and a not in arns]
            tasks = []
            for i in range(0, len(arns), 100):
                tasks += self.aws.ecs.describe_tasks(cluster=cluster, tasks=arns[i:i + 100])["tasks"]
            for t in tasks:
                if t["desiredStatus"] == "STOPPED" and t["lastStatus"] != "STOPPED":
                    with self.lock:
                        self.stopping.add((cluster, t["taskArn"]))
            done.update(t["taskArn"] for t in tasks if t["lastStatus"] == "STOPPED")
            with self.lock:
                self.stopping -= {(cluster, t["taskArn"]) for t in tasks if t["lastStatus"] == "STOPPED"}
            tasks = [t for t in tasks if t["lastStatus"] != "STOPPED"]
            writes = self.aws.writes
            # ours: tasks on our container instances, and containers we still run for
            # instances deregistered meanwhile
            self.agent_tasks(cluster, [t for t in tasks if t.get("containerInstanceArn") in ours
                                       or t["taskArn"] in self.runtime.procs],
                             taskdefs, tg_health)
            svc_arns = self.aws.ecs.list_services(cluster=cluster)["serviceArns"]
            if not svc_arns:
                continue
            if self.aws.writes != writes:  # the agent moved tasks: the scheduler needs fresh states
                arns = [t["taskArn"] for t in tasks]
                tasks = []
                for i in range(0, len(arns), 100):
                    tasks += self.aws.ecs.describe_tasks(cluster=cluster, tasks=arns[i:i + 100])["tasks"]
                tasks = [t for t in tasks if t["lastStatus"] != "STOPPED"]
            for i in range(0, len(svc_arns), 10):
                for svc in self.aws.ecs.describe_services(cluster=cluster, services=svc_arns[i:i + 10])["services"]:
                    try:
                        self.schedule_service(cluster, svc, cis, tasks, taskdefs, tg_health)
                    except Exception as e:
                        self.log_failure(f"scheduler: {svc['serviceName']} failed this pass", e)

    def log_failure(self, what: str, e: Exception) -> None:
        """Full traceback the first time, then one line a minute for the same error."""
        key = f"{what}: {type(e).__name__}: {str(e)[:200]}"
        seen = self.failures_logged.get(key)
        if seen is None:
            LOG.exception("%s", what)
        elif time.time() - seen > 60:
            LOG.warning("%s (again)", key)
        else:
            return
        self.failures_logged[key] = time.time()

    def pick_listener_tg(self, tgs: list[dict[str, Any]]) -> None:
        key = sorted((t["TargetGroupArn"], tuple(t.get("LoadBalancerArns", []))) for t in tgs)
        if key == getattr(self, "_listener_key", None) and time.time() - self._listener_at < 30:
            return
        self._listener_key, self._listener_at = key, time.time()
        chosen = None
        for tg in tgs:
            if tg.get("LoadBalancerArns"):
                try:
                    for lb_arn in tg["LoadBalancerArns"]:
                        for ls in self.aws.elbv2.describe_listeners(LoadBalancerArn=lb_arn)["Listeners"]:
                            for a in ls.get("DefaultActions", []):
                                if a.get("Type") == "forward" and a.get("TargetGroupArn"):
                                    chosen = chosen or a["TargetGroupArn"]
                except Exception:
                    pass
        if chosen is None and tgs:
            chosen = next((t["TargetGroupArn"] for t in tgs if t.get("TargetType") == "ip"), None)
        if chosen != self.listener.tg_arn:
            LOG.info("alb: local listener on %s:%d now forwards to %s", self.args.listen_host,
                     self.args.listen_port, chosen)
            self.listener.tg_arn = chosen

    # -- fault injection ------------------------------------------------------

    def fault(self, kind: str, ref: str) -> dict[str, Any]:
        """Called from the control endpoint; the work happens in the loop thread."""
        if kind in ("unhealthy", "crash"):
            proc = next((p for p in self.runtime.procs.values()
                         if p.task_id == ref or p.task_arn == ref or p.task_id.startswith(ref)), None)
            if proc is None:
                return {"error": f"no running task {ref} on this data plane"}
            if kind == "unhealthy":
                proc.popen.send_signal(signal.SIGUSR2)
                proc.unhealthy_injected = True
                LOG.info("fault: task %s now fails its health checks", proc.task_id)
            else:
                proc.popen.kill()
                LOG.info("fault: task %s killed (SIGKILL)", proc.task_id)
            self.kick.set()
            return {"ok": True, "task": proc.task_arn}
        if kind == "fail-instance":
            with self.lock:
                self.faults.append((kind, ref))
            self.kick.set()
            return {"ok": True, "instance": ref}
        return {"error": f"unknown fault {kind}"}

    def apply_faults(self) -> None:
        with self.lock:
            faults, self.faults = self.faults, []
        for kind, ref in faults:
            if kind == "fail-instance":
                LOG.info("fault: instance %s fails; Auto Scaling terminates and replaces it", ref)
                try:
                    self.aws.autoscaling.terminate_instance_in_auto_scaling_group(
                        InstanceId=ref, ShouldDecrementDesiredCapacity=False)
                except Exception as e:
                    LOG.warning("fault: instance %s not in an Auto Scaling group (%s); terminating it", ref, e)
                    self.aws.ec2.terminate_instances(InstanceIds=[ref])

    def state(self) -> dict[str, Any]:
        return {"listener": {"port": self.args.listen_port, "targetGroup": self.listener.tg_arn},
                "tasks": [{"task": p.task_id, "taskArn": p.task_arn, "target": f"{p.ip}",
                           "loopbackPort": p.port, "pid": p.popen.pid, "ready": p.ready,
                           "healthFaultInjected": p.unhealthy_injected,
                           "logStream": "/".join(p.log_target) if p.log_target else None}
                          for p in list(self.runtime.procs.values())],
                "targets": [{"targetGroup": t.tg_arn, "id": t.tid, "port": t.port, "state": t.state}
                            for t in list(self.health.targets.values())]}

    # -- background load and metrics ------------------------------------------

    def load_loop(self) -> None:
        if self.args.load_rps <= 0:
            return
        period = 1.0 / self.args.load_rps
        paths = ["/", "/", "/", "/health"]
        while not self.stop.wait(period * random.uniform(0.5, 1.5)):
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.args.listen_port, timeout=5)
                c.request("GET", random.choice(paths), headers={"User-Agent": "navoy-load/1.0"})
                c.getresponse().read()
                c.close()
            except OSError:
                pass

    def metrics_loop(self) -> None:
        interval = self.args.metrics_interval
        tick = os.sysconf("SC_CLK_TCK")
        while not self.stop.wait(interval):
            try:
                self.put_metrics(interval, tick)
            except Exception as e:
                LOG.warning("metrics: %s", e)

    def put_metrics(self, interval: float, clk: int) -> None:
        ts = now()
        per_service: dict[tuple[str, str], list[float]] = collections.defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
        for p in list(self.runtime.procs.values()):
            try:
                with open(f"/proc/{p.popen.pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                cpu_s = (int(fields[11]) + int(fields[12])) / clk
                with open(f"/proc/{p.popen.pid}/statm") as f:
                    rss_mib = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
            except (OSError, IndexError, ValueError):
                continue
            delta, p.cpu_seen = cpu_s - p.cpu_seen, cpu_s
            svc = self.task_service.get(p.task_arn)
            if not svc:
                continue
            acc = per_service[svc]
            acc[0] += delta
            acc[1] += (p.cpu_units or 1024) / 1024 * interval
            acc[2] += rss_mib
            acc[3] += p.mem_mib or 512
        for (cluster, service), (used, avail, rss, mem) in per_service.items():
            dims = [{"Name": "ClusterName", "Value": cluster}, {"Name": "ServiceName", "Value": service}]
            self.aws.cloudwatch.put_metric_data(Namespace="AWS/ECS", MetricData=[
                {"MetricName": "CPUUtilization", "Dimensions": dims, "Timestamp": ts,
                 "Value": round(100 * used / avail, 3) if avail else 0, "Unit": "Percent"},
                {"MetricName": "MemoryUtilization", "Dimensions": dims, "Timestamp": ts,
                 "Value": round(100 * rss / mem, 3) if mem else 0, "Unit": "Percent"}])
        reqs, t5xx, e5xx = self.listener.take_counts()
        if self.listener.tg_arn:
            tg = self.listener.tg_arn
            lb = next(iter(self.lb_of_tg.get(tg, [])), None)
            dims = [{"Name": "TargetGroup", "Value": "targetgroup/" + tg.split(":targetgroup/", 1)[-1]}]
            if lb:
                dims.append({"Name": "LoadBalancer", "Value": lb.split(":loadbalancer/", 1)[-1]})
            lb_dims = [d for d in dims if d["Name"] == "LoadBalancer"]
            data = [{"MetricName": "RequestCount", "Dimensions": dims, "Timestamp": ts, "Value": reqs,
                     "Unit": "Count"},
                    {"MetricName": "HTTPCode_Target_5XX_Count", "Dimensions": dims, "Timestamp": ts,
                     "Value": t5xx, "Unit": "Count"}]
            if lb_dims:
                data += [{"MetricName": "RequestCount", "Dimensions": lb_dims, "Timestamp": ts, "Value": reqs,
                          "Unit": "Count"},
                         {"MetricName": "HTTPCode_Target_5XX_Count", "Dimensions": lb_dims, "Timestamp": ts,
                          "Value": t5xx, "Unit": "Count"},
                         {"MetricName": "HTTPCode_ELB_5XX_Count", "Dimensions": lb_dims, "Timestamp": ts,
                          "Value": e5xx, "Unit": "Count"}]
            self.aws.cloudwatch.put_metric_data(Namespace="AWS/ApplicationELB", MetricData=data)
        for tg, (healthy, unhealthy) in self.health.take_peaks().items():
            lbs = self.lb_of_tg.get(tg, [])
            if not lbs:
                continue
            dims = [{"Name": "TargetGroup", "Value": "targetgroup/" + tg.split(":targetgroup/", 1)[-1]},
                    {"Name": "LoadBalancer", "Value": lbs[0].split(":loadbalancer/", 1)[-1]}]
            self.aws.cloudwatch.put_metric_data(Namespace="AWS/ApplicationELB", MetricData=[
                {"MetricName": "HealthyHostCount", "Dimensions": dims, "Timestamp": ts, "Value": healthy,
                 "Unit": "Count"},
                {"MetricName": "UnHealthyHostCount", "Dimensions": dims, "Timestamp": ts, "Value": unhealthy,
                 "Unit": "Count"}])
        LOG.debug("metrics: put for %d services, %d requests", len(per_service), reqs)
        self.evaluate_alarms()

    OPS = {"GreaterThanThreshold": (lambda v, t: v > t, "greater than"),
           "GreaterThanOrEqualToThreshold": (lambda v, t: v >= t, "greater than or equal to"),
           "LessThanThreshold": (lambda v, t: v < t, "less than"),
           "LessThanOrEqualToThreshold": (lambda v, t: v <= t, "less than or equal to")}

    def evaluate_alarms(self) -> None:
        """CloudWatch evaluates metric alarms; moto stores them only."""
        alarms = self.aws.cloudwatch.describe_alarms(AlarmTypes=["MetricAlarm"])["MetricAlarms"]
        end = now()
        for a in alarms:
            if not a.get("MetricName") or a.get("ComparisonOperator") not in self.OPS or \
                    not (a.get("Statistic") or a.get("ExtendedStatistic")):
                continue  # metric math, anomaly detection, percentiles: not evaluated
            period, n = int(a["Period"]), int(a["EvaluationPeriods"])
            m = int(a.get("DatapointsToAlarm") or n)
            stat = a.get("Statistic", "Average")
            pts = self.aws.cloudwatch.get_metric_statistics(
                Namespace=a["Namespace"], MetricName=a["MetricName"], Dimensions=a.get("Dimensions", []),
                StartTime=end - dt.timedelta(seconds=period * n + self.args.metrics_interval), EndTime=end,
                Period=period, Statistics=[stat])["Datapoints"]
            pts = sorted(pts, key=lambda p: p["Timestamp"])[-n:]
            test, words = self.OPS[a["ComparisonOperator"]]
            breaching = [p for p in pts if test(p[stat], a["Threshold"])]
            missing = a.get("TreatMissingData", "missing")
            if len(breaching) >= m or (not pts and missing == "breaching"):
                state = "ALARM"
            elif pts or missing == "notBreaching":
                state = "OK"
            elif missing == "ignore":
                continue
            else:
                state = "INSUFFICIENT_DATA"
            if state == a["StateValue"]:
                continue
            shown = ", ".join(f"{p[stat]:g} ({p['Timestamp'].strftime('%d/%m/%y %H:%M:%S')})" for p in pts)
            if state == "INSUFFICIENT_DATA":
                reason = "Insufficient Data: 0 datapoints were received for 1 period."
            else:
                k = len(breaching) if state == "ALARM" else len(pts) - len(breaching)
                reason = (f"Threshold Crossed: {k} out of the last {len(pts)} datapoints [{shown}] "
                          f"{'was' if state == 'ALARM' else 'was not'} {words} the threshold "
                          f"({a['Threshold']:g}) (minimum {m} datapoint"
                          f"{'s' if m > 1 else ''} for {a['StateValue']} -> {state} transition).")
            LOG.info("cloudwatch: alarm %s %s -> %s: %s", a["AlarmName"], a["StateValue"], state, reason)
            self.aws.cloudwatch.set_alarm_state(AlarmName=a["AlarmName"], StateValue=state, StateReason=reason)

    @property
    def task_service(self) -> dict[str, tuple[str, str]]:
        return getattr(self, "_task_service", {})

    @property
    def lb_of_tg(self) -> dict[str, list[str]]:
        return getattr(self, "_lb_of_tg", {})

    # -- main loop --------------------------------------------------------------

    def run(self) -> None:
        self.shipper.start()
        self.health.start()
        threading.Thread(target=self.load_loop, name="load", daemon=True).start()
        threading.Thread(target=self.metrics_loop, name="metrics", daemon=True).start()
        start_control(self)
        LOG.info("data plane up: endpoint %s, listener %s:%d, control %s:%d, tick %.1fs",
                 self.args.endpoint, self.args.listen_host, self.args.listen_port,
                 self.args.listen_host, self.args.control_port, self.args.tick)
        busy_until = time.time() + 30
        while not self.stop.is_set():
            t0 = time.time()
            try:
                self.reconcile()
                self.refresh_metric_maps()
            except Exception as e:
                self.log_failure("reconcile failed", e)
            if self.busy():
                busy_until = time.time() + 10
            tick = self.args.tick if time.time() < busy_until else self.args.idle_tick
            self.kick.wait(max(0.05, tick - (time.time() - t0)))
            self.kick.clear()

    def busy(self) -> bool:
        """Anything in flight: pending tasks, stops, non-steady services."""
        if self.stopping:
            return True
        if any(not p.ready for p in self.runtime.procs.values()):
            return True
        if any(t.state != "healthy" for t in list(self.health.targets.values())):
            return True
        return not all(self.steady.values())

    def refresh_metric_maps(self) -> None:
        # cheap bookkeeping for metrics: task -> (cluster, service), tg -> lbs
        m = {}
        procs = list(self.runtime.procs.values())
        if not procs:
            return
        if all(p.task_arn in self.task_service for p in procs) and time.time() - getattr(self, "_mm", 0) < 300:
            return
        self._mm = time.time()
        for cluster_arn in self.aws.ecs.list_clusters()["clusterArns"]:
            cluster = short(cluster_arn)
            arns = [p.task_arn for p in procs]
            for i in range(0, len(arns), 100):
                for t in self.aws.ecs.describe_tasks(cluster=cluster, tasks=arns[i:i + 100])["tasks"]:
                    if t.get("group", "").startswith("service:"):
                        m[t["taskArn"]] = (cluster, t["group"][8:])
        self._task_service = m
        self._lb_of_tg = {tg["TargetGroupArn"]: tg.get("LoadBalancerArns", [])
                          for tg in self.aws.elbv2.describe_target_groups()["TargetGroups"]}


def start_control(dp: DataPlane) -> None:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a: Any) -> None:
            pass

        def _reply(self, code: int, obj: Any) -> None:
            data = json.dumps(obj, indent=1, default=str).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == "/state":
                return self._reply(200, dp.state())
            self._reply(404, {"error": "GET /state, POST /fault/{unhealthy,crash,fail-instance}"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}") if length else {}
            m = re.fullmatch(r"/fault/(unhealthy|crash|fail-instance)", self.path)
            if not m:
                return self._reply(404, {"error": "no such fault"})
            ref = body.get("task") or body.get("instance") or ""
            res = dp.fault(m.group(1), ref)
            self._reply(400 if "error" in res else 200, res)

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    srv = Server((dp.args.listen_host, dp.args.control_port), Handler)
    threading.Thread(target=srv.serve_forever, name="control", daemon=True).start()


def fault_cli(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="dataplane.py fault",
                                description="Inject a fault into the running data plane")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--unhealthy", metavar="TASK", help="make the task's /health answer 500")
    g.add_argument("--crash", metavar="TASK", help="kill the task's container (SIGKILL)")
    g.add_argument("--fail-instance", metavar="INSTANCE_ID", help="fail an EC2 instance of the ASG")
    p.add_argument("--control", default=os.environ.get("NAVOY_DATAPLANE_CONTROL", "http://127.0.0.1:8081"))
    a = p.parse_args(argv)
    kind, ref = (("unhealthy", a.unhealthy) if a.unhealthy else ("crash", a.crash) if a.crash
                 else ("fail-instance", a.fail_instance))
    key = "instance" if kind == "fail-instance" else "task"
    req = urllib.request.Request(f"{a.control}/fault/{kind}", data=json.dumps({key: ref}).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            print(r.read().decode())
            return 0
    except urllib.error.HTTPError as e:
        print(e.read().decode(), file=sys.stderr)
        return 1
    except urllib.error.URLError as e:
        print(f"no data plane control endpoint at {a.control}: {e.reason}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "fault":
        return fault_cli(argv[1:])
    p = argparse.ArgumentParser(description="Local data plane for the Navoy stack on moto")
    p.add_argument("--endpoint", default=os.environ.get("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"))
    p.add_argument("--region", default=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"))
    p.add_argument("--listen-host", default="127.0.0.1")
    p.add_argument("--listen-port", type=int, default=8080, help="local ALB listener")
    p.add_argument("--control-port", type=int, default=8081, help="fault injection and /state")
    p.add_argument("--load-rps", type=float, default=2.0, help="background requests per second (0: none)")
    p.add_argument("--tick", type=float, default=1.0, help="reconcile period while something changes")
    p.add_argument("--idle-tick", type=float, default=3.0, help="reconcile period when all is steady")
    p.add_argument("--metrics-interval", type=float, default=60.0)
    p.add_argument("--stop-timeout", type=float, default=5.0, help="SIGTERM grace before SIGKILL")
    p.add_argument("--cluster", default="navoy", help="cluster for ASGs without ECS_CLUSTER user data")
    p.add_argument("--app-cmd", default=os.environ.get("NAVOY_APP_CMD", "node server.js"),
                   help="command run for every task, in the app/ folder")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(message)s", stream=sys.stdout)
    logging.getLogger("botocore").setLevel(logging.WARNING)
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    for attempt in range(60):
        try:
            dp = DataPlane(args)
            break
        except Exception as e:
            if attempt == 59:
                raise
            LOG.info("waiting for %s (%s)", args.endpoint, type(e).__name__)
            time.sleep(1)
    v = dp.aws.ext("version", {})
    if v.get("extension") is None:
        LOG.error("the endpoint does not serve the navoy moto extension (start it with moto_server.py)")
        return 2

    def _term(signum: int, frame: Any) -> None:
        dp.stop.set()
        dp.kick.set()

    signal.signal(signal.SIGTERM, _term)
    signal.signal(signal.SIGINT, _term)
    try:
        dp.run()
    finally:
        LOG.info("data plane stopping: killing %d task processes", len(dp.runtime.procs))
        dp.runtime.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
