"""Assertions on the local stack, made through the AWS API (boto3).

Usage:
  stack_assert.py present ENDPOINT OUTPUTS_JSON ACTIONS_TXT STATE_JSON
  stack_assert.py absent  ENDPOINT

Prints one line per assertion: "ok - ..." or "FAIL - ...". Exit status is
1 when any assertion failed.
"""

import json
import sys

import boto3
from botocore.exceptions import ClientError

RESULTS = []


def check(cond, what, detail=""):
    RESULTS.append(bool(cond))
    line = ("ok - " if cond else "FAIL - ") + what
    if not cond and detail:
        line += f"  [{detail}]"
    print(line, flush=True)


def clients(endpoint):
    kw = dict(
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    names = [
        "ec2", "elbv2", "ecs", "autoscaling", "application-autoscaling", "logs",
        "cloudwatch", "secretsmanager", "ssm", "ecr", "iam", "kms",
    ]
    return {n: boto3.client(n, **kw) for n in names}


def read_actions(path):
    sections, current = {}, None
    for raw in open(path, encoding="utf-8"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections[current] = set()
        else:
            sections[current].add(line)
    return sections


def policy_actions(iam, arn):
    pol = iam.get_policy(PolicyArn=arn)["Policy"]
    doc = iam.get_policy_version(PolicyArn=arn, VersionId=pol["DefaultVersionId"])["PolicyVersion"]["Document"]
    if isinstance(doc, str):
        from urllib.parse import unquote

        doc = json.loads(unquote(doc))
    acts = set()
    for st in doc["Statement"]:
        a = st["Action"]
        acts.update([a] if isinstance(a, str) else a)
    return acts, doc


def state_resources(state):
    """All resources of a `terraform show -json` document, modules included."""
    todo, found = [state.get("values", {}).get("root_module", {})], []
    while todo:
        m = todo.pop()
        found.extend(m.get("resources", []))
        todo.extend(m.get("child_modules", []))
    return found


def present(c, out, actions_txt, state):
    ec2 = c["ec2"]
    vpc_id = out["vpc_id"]
    vpcs = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"]
    check(len(vpcs) == 1 and vpcs[0]["CidrBlock"] == "10.40.0.0/16", "VPC 10.40.0.0/16 exists (output vpc_id)")

    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    by_cidr = {s["CidrBlock"]: s for s in subnets}
    check(len(subnets) == 4, "4 subnets in the VPC", f"got {len(subnets)}")
    azs = {s["AvailabilityZone"] for s in subnets}
    check(azs == {"us-east-1a", "us-east-1b"}, "subnets span 2 AZs (us-east-1a, us-east-1b)", f"got {sorted(azs)}")
    public = [by_cidr.get(x) for x in ("10.40.0.0/24", "10.40.1.0/24")]
    private = [by_cidr.get(x) for x in ("10.40.10.0/24", "10.40.11.0/24")]
    check(all(public) and {s["AvailabilityZone"] for s in public} == azs, "2 public subnets, one per AZ")
    check(all(private) and {s["AvailabilityZone"] for s in private} == azs, "2 private subnets, one per AZ")
    public_ids = {s["SubnetId"] for s in public if s}
    private_ids = {s["SubnetId"] for s in private if s}

    igws = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])["InternetGateways"]
    check(len(igws) == 1, "internet gateway attached")
    nats = [n for n in ec2.describe_nat_gateways()["NatGateways"] if n.get("VpcId") == vpc_id and n["State"] != "deleted"]
    check(len(nats) == 1 and nats[0]["SubnetId"] in public_ids and nats[0]["NatGatewayAddresses"][0].get("AllocationId"),
          "NAT gateway with an EIP in a public subnet")

    rts = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"]

    def default_route(subnet_id):
        for rt in rts:
            if any(a.get("SubnetId") == subnet_id for a in rt.get("Associations", [])):
                for r in rt["Routes"]:
                    if r.get("DestinationCidrBlock") == "0.0.0.0/0":
                        return r.get("GatewayId") or r.get("NatGatewayId")
        return None

    igw_id = igws[0]["InternetGatewayId"] if igws else "?"
    nat_id = nats[0]["NatGatewayId"] if nats else "?"
    check(all(default_route(s) == igw_id for s in public_ids), "public subnets route 0.0.0.0/0 to the IGW")
    check(all(default_route(s) == nat_id for s in private_ids), "private subnets route 0.0.0.0/0 to the NAT gateway")

    sgs = {g["GroupName"]: g for g in ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"]}
    alb_sg, ecs_sg = sgs.get("navoy-alb"), sgs.get("navoy-ecs")
    check(alb_sg and ecs_sg, "security groups navoy-alb and navoy-ecs exist")
    if alb_sg and ecs_sg:
        ingress = sorted((p["FromPort"], p["ToPort"], tuple(r["CidrIp"] for r in p.get("IpRanges", []))) for p in alb_sg["IpPermissions"])
        check(ingress == [(80, 80, ("0.0.0.0/0",)), (443, 443, ("0.0.0.0/0",))], "ALB SG: ingress only 80 and 443 from 0.0.0.0/0", str(ingress))
        egress = [(p.get("FromPort"), [g["GroupId"] for g in p.get("UserIdGroupPairs", [])], p.get("IpRanges", [])) for p in alb_sg["IpPermissionsEgress"]]
        check(egress == [(3000, [ecs_sg["GroupId"]], [])], "ALB SG: egress only to the ECS SG on 3000", str(egress))
        ing = [(p.get("FromPort"), [g["GroupId"] for g in p.get("UserIdGroupPairs", [])], p.get("IpRanges", [])) for p in ecs_sg["IpPermissions"]]
        check(ing == [(3000, [alb_sg["GroupId"]], [])], "ECS SG: ingress only from the ALB SG on 3000", str(ing))

    elb = c["elbv2"]
    lbs = elb.describe_load_balancers(Names=["navoy-alb"])["LoadBalancers"]
    lb = lbs[0] if lbs else {}
    lb_subnets = {z.get("SubnetId") for z in lb.get("AvailabilityZones", [])}
    # moto leaves Scheme empty when the request omits it (AWS default: internet-facing).
    check(lb.get("Scheme") in ("internet-facing", None) and lb_subnets == public_ids,
          "ALB navoy-alb internet-facing in both public subnets", f"{lb.get('Scheme')} {sorted(lb_subnets)} vs {sorted(public_ids)}")
    check(lb.get("DNSName") == out["alb_dns_name"], "output alb_dns_name matches the ALB")
    tgs = elb.describe_target_groups(Names=["navoy-app"])["TargetGroups"]
    tg = tgs[0] if tgs else {}
    check(tg.get("TargetGroupArn") == out["target_group_arn"], "target group navoy-app exists (output target_group_arn)")
    check(tg.get("TargetType") == "ip" and tg.get("Port") == 3000 and tg.get("Protocol") == "HTTP", "target group: ip targets, HTTP 3000")
    check((tg.get("HealthCheckPath"), tg.get("Matcher", {}).get("HttpCode"), tg.get("HealthCheckIntervalSeconds"),
           tg.get("HealthCheckTimeoutSeconds"), tg.get("HealthyThresholdCount"), tg.get("UnhealthyThresholdCount"))
          == ("/health", "200", 10, 5, 2, 3), "target group health check /health 200 10s/5s 2/3")
    attrs = {a["Key"]: a["Value"] for a in elb.describe_target_group_attributes(TargetGroupArn=tg["TargetGroupArn"])["Attributes"]} if tg else {}
    check(attrs.get("deregistration_delay.timeout_seconds") == "30", "target group deregistration delay 30 s")
    listeners = elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"] if lb else []
    check(any(l["Port"] == out["alb_listener_port"] and l["DefaultActions"][0].get("TargetGroupArn") == tg.get("TargetGroupArn") for l in listeners),
          f"listener on port {out['alb_listener_port']} forwards to the target group")

    ecs = c["ecs"]
    clusters = ecs.describe_clusters(clusters=["navoy"])["clusters"]
    check(clusters and clusters[0]["status"] == "ACTIVE" and clusters[0]["clusterArn"] == out["cluster_arn"], "ECS cluster navoy ACTIVE (output cluster_arn)")
    asgs = c["autoscaling"].describe_auto_scaling_groups(AutoScalingGroupNames=["navoy-ecs"])["AutoScalingGroups"]
    asg = asgs[0] if asgs else {}
    check((asg.get("MinSize"), asg.get("DesiredCapacity"), asg.get("MaxSize")) == (1, 2, 4), "ASG navoy-ecs min 1 / desired 2 / max 4")
    check(set(asg.get("VPCZoneIdentifier", "").split(",")) == private_ids, "ASG spans both private subnets")
    check(asg.get("LaunchTemplate", {}).get("LaunchTemplateId"), "ASG uses a launch template")

    cps = ecs.describe_capacity_providers(capacityProviders=["navoy-ecs"]).get("capacityProviders", [])
    cp = cps[0].get("autoScalingGroupProvider", {}) if cps else {}
    check(cp.get("autoScalingGroupArn") == asg.get("AutoScalingGroupARN") and cp.get("managedTerminationProtection") == "ENABLED"
          and cp.get("managedScaling", {}).get("status") == "ENABLED", "capacity provider navoy-ecs on the ASG, managed scaling + termination protection")
    check(clusters and "navoy-ecs" in clusters[0].get("capacityProviders", []), "cluster uses capacity provider navoy-ecs")

    svcs = ecs.describe_services(cluster="navoy", services=["navoy-app"])["services"]
    svc = svcs[0] if svcs else {}
    check(svc.get("status") == "ACTIVE" and svc.get("desiredCount") == 2, "service navoy-app ACTIVE, desired 2")
    dc = svc.get("deploymentConfiguration")
    if dc is not None:
        check(dc.get("minimumHealthyPercent") == 100 and dc.get("maximumPercent") == 200
              and dc.get("deploymentCircuitBreaker", {}).get("enable") is True, "rolling deployment 100/200 with circuit breaker")
    else:
        # moto does not store a service's deploymentConfiguration; check what
        # Terraform sent instead, and say so.
        res = [r for r in state_resources(state) if r["type"] == "aws_ecs_service"]
        v = res[0]["values"] if res else {}
        cb = (v.get("deployment_circuit_breaker") or [{}])[0]
        check(v.get("deployment_minimum_healthy_percent") == 100 and v.get("deployment_maximum_percent") == 200
              and cb.get("enable") is True and cb.get("rollback") is True,
              "rolling deployment 100/200 with circuit breaker (from state: the emulator does not store deploymentConfiguration)")
    check([l.get("targetGroupArn") for l in svc.get("loadBalancers", [])] == [tg.get("TargetGroupArn")], "service registered behind the target group")
    check(set(svc.get("networkConfiguration", {}).get("awsvpcConfiguration", {}).get("subnets", [])) == private_ids, "service tasks in the private subnets (awsvpc)")

    td = ecs.describe_task_definition(taskDefinition=out["task_definition_arn"])["taskDefinition"]
    cdef = td["containerDefinitions"][0]
    check(td["family"] == "navoy-app" and td["networkMode"] == "awsvpc" and cdef["name"] == "app", "task definition navoy-app, awsvpc, container app")
    check(cdef["portMappings"][0]["containerPort"] == 3000 and not cdef["portMappings"][0].get("hostPort"), "container port 3000, no hostPort")
    lo = cdef.get("logConfiguration", {})
    check(lo.get("logDriver") == "awslogs" and lo.get("options", {}).get("awslogs-group") == "/ecs/navoy-app"
          and lo.get("options", {}).get("awslogs-stream-prefix") == "navoy", "awslogs to /ecs/navoy-app, prefix navoy")
    secrets = {s["name"]: s["valueFrom"] for s in cdef.get("secrets", [])}

    sec = c["secretsmanager"].describe_secret(SecretId="navoy/app/session-secret")
    check(secrets.get("SESSION_SECRET") == sec["ARN"], "SESSION_SECRET injected from the Secrets Manager secret")
    par = c["ssm"].get_parameters(Names=["/navoy/app/database-url"])["Parameters"]
    check(par and par[0]["Type"] == "SecureString", "SSM SecureString /navoy/app/database-url exists")
    check(par and secrets.get("DATABASE_URL") == par[0]["ARN"], "DATABASE_URL injected from the SSM parameter")

    aas = c["application-autoscaling"]
    st = aas.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=["service/navoy/navoy-app"])["ScalableTargets"]
    check(len(st) == 1 and st[0]["ScalableDimension"] == "ecs:service:DesiredCount", "scalable target for the service")
    pols = aas.describe_scaling_policies(ServiceNamespace="ecs", ResourceId="service/navoy/navoy-app")["ScalingPolicies"]
    check(any(p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 60.0 for p in pols), "CPU target-tracking policy at 60 %")

    lgs = c["logs"].describe_log_groups(logGroupNamePrefix="/ecs/navoy-app")["logGroups"]
    check(any(g["logGroupName"] == "/ecs/navoy-app" and g.get("retentionInDays") for g in lgs), "log group /ecs/navoy-app with retention")
    alarms = {a["AlarmName"] for a in c["cloudwatch"].describe_alarms(AlarmNamePrefix="navoy-")["MetricAlarms"]}
    check({"navoy-unhealthy-hosts", "navoy-target-5xx", "navoy-cpu-high"} <= alarms, "alarms: unhealthy hosts, 5xx, CPU high", str(sorted(alarms)))

    repo = c["ecr"].describe_repositories(repositoryNames=["navoy-app"])["repositories"][0]
    check(repo["imageScanningConfiguration"]["scanOnPush"] and repo["imageTagMutability"] == "IMMUTABLE", "ECR navoy-app: scan on push, immutable tags")

    iam = c["iam"]
    role_pol = iam.get_role_policy(RoleName="navoy-task-execution", PolicyName="pull-log-read-secrets")["PolicyDocument"]
    if isinstance(role_pol, str):
        from urllib.parse import unquote

        role_pol = json.loads(unquote(role_pol))
    res = {s["Sid"]: s["Resource"] for s in role_pol["Statement"]}
    check(res.get("ReadAppSecrets") in (sec["ARN"], [sec["ARN"]]), "execution role reads exactly the app's secret")

    want = read_actions(actions_txt)
    viewer, _ = policy_actions(iam, out["viewer_policy_arn"])
    operator, op_doc = policy_actions(iam, out["operator_policy_arn"])
    check(viewer == want["viewer"], "navoy-viewer allows exactly the [viewer] actions", str(viewer ^ want["viewer"]))
    check(operator == want["viewer"] | want["operator"], "navoy-operator allows exactly [viewer] + [operator]", str(operator ^ (want["viewer"] | want["operator"])))
    passrole = [s for s in op_doc["Statement"] if "iam:PassRole" in s["Action"]]
    check(passrole and passrole[0].get("Condition", {}).get("StringEquals", {}).get("iam:PassedToService") == "ecs-tasks.amazonaws.com"
          and "*" not in passrole[0]["Resource"], "iam:PassRole scoped to the app roles and ecs-tasks")


def absent(c):
    ec2 = c["ec2"]
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.40.0.0/16"]}])["Vpcs"]
    check(not vpcs, "no VPC 10.40.0.0/16 left")

    def gone(fn, what):
        try:
            r = fn()
        except ClientError:
            r = None
        check(not r, f"no {what} left", str(r)[:200])

    gone(lambda: c["elbv2"].describe_load_balancers(Names=["navoy-alb"])["LoadBalancers"], "ALB navoy-alb")
    gone(lambda: c["elbv2"].describe_target_groups(Names=["navoy-app"])["TargetGroups"], "target group navoy-app")
    gone(lambda: [x for x in c["ecs"].describe_clusters(clusters=["navoy"])["clusters"] if x["status"] != "INACTIVE"], "active cluster navoy")
    gone(lambda: [x for x in c["ecs"].describe_services(cluster="navoy", services=["navoy-app"])["services"] if x["status"] != "INACTIVE"], "active service navoy-app")
    gone(lambda: [p for p in c["ecs"].describe_capacity_providers().get("capacityProviders", []) if p["name"] == "navoy-ecs"], "capacity provider navoy-ecs")
    gone(lambda: c["autoscaling"].describe_auto_scaling_groups(AutoScalingGroupNames=["navoy-ecs"])["AutoScalingGroups"], "ASG navoy-ecs")
    gone(lambda: c["logs"].describe_log_groups(logGroupNamePrefix="/ecs/navoy-app")["logGroups"], "log group /ecs/navoy-app")
    gone(lambda: c["secretsmanager"].describe_secret(SecretId="navoy/app/session-secret"), "secret navoy/app/session-secret")
    gone(lambda: c["ssm"].get_parameters(Names=["/navoy/app/database-url"])["Parameters"], "parameter /navoy/app/database-url")
    gone(lambda: c["ecr"].describe_repositories(repositoryNames=["navoy-app"])["repositories"], "ECR repository navoy-app")
    gone(lambda: [r["RoleName"] for r in c["iam"].list_roles()["Roles"] if r["RoleName"].startswith("navoy-")], "navoy-* IAM roles")
    gone(lambda: [p["PolicyName"] for p in c["iam"].list_policies(Scope="Local")["Policies"] if p["PolicyName"].startswith("navoy-")], "navoy-* IAM policies")
    gone(lambda: c["cloudwatch"].describe_alarms(AlarmNamePrefix="navoy-")["MetricAlarms"], "navoy-* alarms")


def main():
    mode, endpoint = sys.argv[1], sys.argv[2]
    c = clients(endpoint)
    try:
        if mode == "present":
            out = {k: v["value"] for k, v in json.load(open(sys.argv[3])).items()}
            present(c, out, sys.argv[4], json.load(open(sys.argv[5])))
        else:
            absent(c)
    except Exception as exc:  # an unexpected API error is a failed assertion
        check(False, f"{mode} checks ran to the end", repr(exc))
    sys.exit(0 if all(RESULTS) else 1)


if __name__ == "__main__":
    main()
