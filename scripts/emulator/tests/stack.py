"""Test harness: moto_server.py + dataplane.py on free loopback ports, and a
small stack equivalent to what the Terraform creates (same names, CIDRs,
ports, log group, secrets), with short health-check and drain timings."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any, Callable

import boto3
from botocore.config import Config

EMU = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGION = "us-east-1"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/navoy-app:{}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what: str, fn: Callable[[], Any], timeout: float = 60, every: float = 0.5) -> Any:
    """Poll fn until it returns something truthy; fail with its last value."""
    deadline = time.time() + timeout
    last: Any = None
    while time.time() < deadline:
        try:
            last = fn()
        except Exception as e:  # keep polling, report the last error
            last = e
        if last and not isinstance(last, Exception):
            return last
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last: {last!r}")


class Emulator:
    def __init__(self, logdir: str, **dp_flags: Any) -> None:
        self.moto_port = free_port()
        self.listen_port = free_port()
        self.control_port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.moto_port}"
        env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
                   AWS_DEFAULT_REGION=REGION, MOTO_IAM_LOAD_MANAGED_POLICIES="false")
        env.setdefault("NAVOY_MOTO_SERIALIZER", "verify")  # checked against moto's own
        self.env = env
        self.moto_log = open(os.path.join(logdir, "moto.log"), "w")
        self.dp_log_path = os.path.join(logdir, "dataplane.log")
        self.moto = subprocess.Popen([sys.executable, os.path.join(EMU, "moto_server.py"),
                                      "-H", "127.0.0.1", "-p", str(self.moto_port)],
                                     stdout=self.moto_log, stderr=subprocess.STDOUT, env=env)
        wait_for("moto", lambda: urllib.request.urlopen(self.endpoint + "/_navoy/version", timeout=1).read(),
                 timeout=30, every=0.2)
        self.dp_flags = {"tick": 0.5, "idle-tick": 1, "load-rps": 0, "metrics-interval": 5,
                         "stop-timeout": 2, **dp_flags}
        self.dp: subprocess.Popen | None = None
        self.clients: dict[str, Any] = {}

    def start_dataplane(self) -> None:
        args = [sys.executable, os.path.join(EMU, "dataplane.py"), "--endpoint", self.endpoint,
                "--listen-port", str(self.listen_port), "--control-port", str(self.control_port)]
        for k, v in self.dp_flags.items():
            args += [f"--{k}", str(v)]
        self.dp_log = open(self.dp_log_path, "w")
        self.dp = subprocess.Popen(args, stdout=self.dp_log, stderr=subprocess.STDOUT, env=self.env)

    def client(self, name: str) -> Any:
        if name not in self.clients:
            # client-side validation off: tests use health-check intervals below AWS's 5 s
            # minimum to keep the suite short; the data plane honours whatever is set
            self.clients[name] = boto3.client(name, endpoint_url=self.endpoint, region_name=REGION,
                                              aws_access_key_id="test", aws_secret_access_key="test",
                                              config=Config(parameter_validation=False))
        return self.clients[name]

    def control(self, path: str, body: dict[str, Any] | None = None) -> Any:
        url = f"http://127.0.0.1:{self.control_port}{path}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def get(self, path: str = "/") -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.listen_port}{path}", timeout=5) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def stop(self) -> None:
        for p in (self.dp, self.moto):
            if p and p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        self.moto_log.close()


def build_stack(emu: Emulator, desired: int = 2, asg_desired: int = 2, interval: int = 2,
                dereg_delay: int = 2, min_healthy: int = 100, max_percent: int = 200,
                hc_timeout: int = 1, unhealthy_threshold: int = 2,
                circuit_breaker: bool = False) -> dict[str, Any]:
    ec2, elb, ecs = emu.client("ec2"), emu.client("elbv2"), emu.client("ecs")
    asg, logs = emu.client("autoscaling"), emu.client("logs")
    sm, ssm = emu.client("secretsmanager"), emu.client("ssm")
    s: dict[str, Any] = {}
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    sub = {}
    for name, cidr, az in (("public_a", "10.40.0.0/24", "us-east-1a"), ("public_b", "10.40.1.0/24", "us-east-1b"),
                           ("private_a", "10.40.10.0/24", "us-east-1a"),
                           ("private_b", "10.40.11.0/24", "us-east-1b")):
        sub[name] = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
    s["subnets"] = sub
    alb_sg = ec2.create_security_group(GroupName="navoy-alb", Description="alb", VpcId=vpc)["GroupId"]
    ecs_sg = ec2.create_security_group(GroupName="navoy-ecs", Description="ecs", VpcId=vpc)["GroupId"]
    lb = elb.create_load_balancer(Name="navoy-alb", Subnets=[sub["public_a"], sub["public_b"]],
                                  SecurityGroups=[alb_sg], Scheme="internet-facing",
                                  Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elb.create_target_group(Name="navoy-app", Protocol="HTTP", Port=3000, VpcId=vpc, TargetType="ip",
                                 HealthCheckPath="/health", HealthCheckIntervalSeconds=interval,
                                 HealthCheckTimeoutSeconds=hc_timeout, HealthyThresholdCount=2,
                                 UnhealthyThresholdCount=unhealthy_threshold, Matcher={"HttpCode": "200"})[
        "TargetGroups"][0]["TargetGroupArn"]
    elb.modify_target_group_attributes(TargetGroupArn=tg, Attributes=[
        {"Key": "deregistration_delay.timeout_seconds", "Value": str(dereg_delay)}])
    elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
    s["tg"], s["lb"] = tg, lb
    ecs.create_cluster(clusterName="navoy")
    user_data = base64.b64encode(b"#!/bin/bash\necho ECS_CLUSTER=navoy >> /etc/ecs/ecs.config\n").decode()
    ec2.create_launch_template(LaunchTemplateName="navoy-ecs", LaunchTemplateData={
        "ImageId": "ami-12c6146b", "InstanceType": "t3.medium", "UserData": user_data,
        "SecurityGroupIds": [ecs_sg]})
    asg.create_auto_scaling_group(AutoScalingGroupName="navoy-ecs", MinSize=1, MaxSize=4,
                                  DesiredCapacity=asg_desired,
                                  LaunchTemplate={"LaunchTemplateName": "navoy-ecs", "Version": "$Latest"},
                                  VPCZoneIdentifier=f"{sub['private_a']},{sub['private_b']}")
    logs.create_log_group(logGroupName="/ecs/navoy-app")
    secret = sm.create_secret(Name="navoy/app/session-secret", SecretString="s3cr3t-session")["ARN"]
    ssm.put_parameter(Name="/navoy/app/database-url", Type="SecureString",
                      Value="postgres://navoy:pw@db.internal:5432/navoy")
    param_arn = f"arn:aws:ssm:{REGION}:123456789012:parameter/navoy/app/database-url"
    s["taskdef"] = register_taskdef(emu, "sha-1111111", secret, param_arn)
    s["secret"], s["param"] = secret, param_arn
    conf: dict[str, Any] = {"minimumHealthyPercent": min_healthy, "maximumPercent": max_percent}
    if circuit_breaker:
        conf["deploymentCircuitBreaker"] = {"enable": True, "rollback": True}
    ecs.create_service(cluster="navoy", serviceName="navoy-app", taskDefinition=s["taskdef"],
                       desiredCount=desired, launchType="EC2",
                       networkConfiguration={"awsvpcConfiguration": {
                           "subnets": [sub["private_a"], sub["private_b"]], "securityGroups": [ecs_sg],
                           "assignPublicIp": "DISABLED"}},
                       loadBalancers=[{"targetGroupArn": tg, "containerName": "app", "containerPort": 3000}],
                       deploymentConfiguration=conf)
    return s


def register_taskdef(emu: Emulator, tag: str, secret_arn: str, param_arn: str,
                     extra_env: dict[str, str] | None = None) -> str:
    env = [{"name": "NODE_ENV", "value": "production"}]
    env += [{"name": k, "value": v} for k, v in (extra_env or {}).items()]
    return emu.client("ecs").register_task_definition(
        family="navoy-app", networkMode="awsvpc", requiresCompatibilities=["EC2"],
        containerDefinitions=[{
            "name": "app", "image": IMAGE.format(tag), "cpu": 256, "memory": 512, "essential": True,
            "portMappings": [{"containerPort": 3000, "protocol": "tcp"}],
            "environment": env,
            "secrets": [{"name": "SESSION_SECRET", "valueFrom": secret_arn},
                        {"name": "DATABASE_URL", "valueFrom": param_arn}],
            "logConfiguration": {"logDriver": "awslogs", "options": {
                "awslogs-group": "/ecs/navoy-app", "awslogs-region": REGION,
                "awslogs-stream-prefix": "navoy"}}}])["taskDefinition"]["taskDefinitionArn"]


# ---- observations through the AWS API only ----------------------------------

def service(emu: Emulator) -> dict[str, Any]:
    return emu.client("ecs").describe_services(cluster="navoy", services=["navoy-app"])["services"][0]


def running_tasks(emu: Emulator) -> list[dict[str, Any]]:
    ecs = emu.client("ecs")
    arns = ecs.list_tasks(cluster="navoy", serviceName="navoy-app", desiredStatus="RUNNING")["taskArns"]
    if not arns:
        return []
    return [t for t in ecs.describe_tasks(cluster="navoy", tasks=arns)["tasks"] if t["lastStatus"] == "RUNNING"]


def target_health(emu: Emulator, tg: str) -> dict[str, tuple[str, str | None]]:
    th = emu.client("elbv2").describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]
    return {d["Target"]["Id"]: (d["TargetHealth"]["State"], d["TargetHealth"].get("Reason")) for d in th}


def task_ip(task: dict[str, Any]) -> str:
    for att in task["attachments"]:
        for d in att["details"]:
            if d["name"] == "privateIPv4Address":
                return d["value"]
    raise AssertionError(f"task {task['taskArn']} has no ENI address")


def events(emu: Emulator) -> list[str]:
    return [e["message"] for e in service(emu)["events"]]


def healthy_count(emu: Emulator, s: dict[str, Any]) -> int:
    return sum(1 for st, _ in target_health(emu, s["tg"]).values() if st == "healthy")
