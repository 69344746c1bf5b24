"""The data plane end to end, observed only through the AWS API and the
local listener, like the console and a person with curl would."""

import json
import os
import subprocess
import sys
import threading
import time

from stack import (EMU, build_stack, events, healthy_count, register_taskdef, running_tasks, service,
                   target_health, task_ip, wait_for)


def steady(emu, s, n):
    """n RUNNING service tasks, n healthy targets, counters agree, one COMPLETED deployment."""
    svc = service(emu)
    th = target_health(emu, s["tg"])
    tasks = running_tasks(emu)
    ok = (len(tasks) == n and svc["runningCount"] == n and svc["pendingCount"] == 0
          and len(svc["deployments"]) == 1 and svc["deployments"][0]["rolloutState"] == "COMPLETED"
          and sorted(th) == sorted(task_ip(t) for t in tasks)
          and all(st == "healthy" for st, _ in th.values()))
    return (svc, tasks, th) if ok else None


def container_instance_az(emu, tasks):
    ecs = emu.client("ecs")
    arns = sorted({t["containerInstanceArn"] for t in tasks})
    cis = ecs.describe_container_instances(cluster="navoy", containerInstances=arns)["containerInstances"]
    az = {ci["containerInstanceArn"]: next(a["value"] for a in ci["attributes"]
                                            if a["name"] == "ecs.availability-zone") for ci in cis}
    return [az[t["containerInstanceArn"]] for t in tasks]


def test_service_comes_up_healthy_with_logs_and_traffic(make_emu):
    emu = make_emu(**{"load-rps": 5, "metrics-interval": 3})
    s = build_stack(emu, desired=2)
    t0 = time.time()
    emu.start_dataplane()
    svc, tasks, th = wait_for("2 healthy tasks", lambda: steady(emu, s, 2), timeout=40)
    print(f"first steady state after {time.time() - t0:.1f}s")

    # one container instance per ASG instance, one task per AZ
    cis = emu.client("ecs").list_container_instances(cluster="navoy")["containerInstanceArns"]
    assert len(cis) == 2
    assert sorted(container_instance_az(emu, tasks)) == ["us-east-1a", "us-east-1b"]
    for t in tasks:
        assert t["group"] == "service:navoy-app"
        assert t["startedBy"] == svc["deployments"][0]["id"]
        assert t["connectivity"] == "CONNECTED" and t["startedAt"]

    msgs = events(emu)
    assert any(m.startswith("(service navoy-app) has started 2 tasks: (task ") for m in msgs), msgs
    assert f"(service navoy-app) registered 1 targets in (target-group {s['tg']})" in msgs
    assert msgs[0] == "(service navoy-app) has reached a steady state."

    # the local listener round-robins over both tasks
    hosts = set()
    for _ in range(6):
        code, body = emu.get("/")
        assert code == 200, body
        hosts.add(json.loads(body)["host"])
    assert hosts == {"ip-" + task_ip(t).replace(".", "-") + ".ec2.internal" for t in tasks}

    # each task's stdout is in its awslogs stream within about a second; no secret values
    logs = emu.client("logs")
    for t in tasks:
        stream = "navoy/app/" + t["taskArn"].split("/")[-1]

        def lines():
            ev = logs.get_log_events(logGroupName="/ecs/navoy-app", logStreamName=stream)["events"]
            text = "\n".join(e["message"] for e in ev)
            return text if "listening on" in text and "GET / 200" in text else None

        text = wait_for(f"log lines in {stream}", lines, timeout=5, every=0.25)
        assert "SESSION_SECRET=set DATABASE_URL=set" in text
        assert "s3cr3t-session" not in text and "navoy:pw@" not in text
    t1 = time.time()
    emu.get("/?marker=latency")
    wait_for("request logged", lambda: any(
        "marker=latency" in e["message"] for e in logs.filter_log_events(
            logGroupName="/ecs/navoy-app")["events"]), timeout=3, every=0.1)
    assert time.time() - t1 < 1.5

    # metrics reach CloudWatch
    cw = emu.client("cloudwatch")

    def metric(ns, name, dims):
        pts = cw.get_metric_statistics(Namespace=ns, MetricName=name, Dimensions=dims,
                                       StartTime=t0 - 60, EndTime=time.time() + 60, Period=60,
                                       Statistics=["Sum", "Maximum"])["Datapoints"]
        return pts

    assert wait_for("ALB RequestCount", lambda: sum(p["Sum"] for p in metric(
        "AWS/ApplicationELB", "RequestCount",
        [{"Name": "LoadBalancer", "Value": s["lb"].split(":loadbalancer/")[1]}])) > 0, timeout=10)
    assert wait_for("ECS CPUUtilization", lambda: metric("AWS/ECS", "CPUUtilization", [
        {"Name": "ClusterName", "Value": "navoy"}, {"Name": "ServiceName", "Value": "navoy-app"}]), timeout=10)


def test_scale_out_and_in_drains_targets(make_emu):
    emu = make_emu()
    s = build_stack(emu, desired=2)
    emu.start_dataplane()
    wait_for("2 healthy", lambda: steady(emu, s, 2), timeout=40)
    ecs = emu.client("ecs")

    t0 = time.time()
    ecs.update_service(cluster="navoy", service="navoy-app", desiredCount=4)
    _, tasks, _ = wait_for("4 healthy", lambda: steady(emu, s, 4), timeout=40)
    print(f"scale 2->4 all healthy after {time.time() - t0:.1f}s")
    azs = container_instance_az(emu, tasks)
    assert azs.count("us-east-1a") == 2 and azs.count("us-east-1b") == 2

    before = {task_ip(t) for t in tasks}
    ecs.update_service(cluster="navoy", service="navoy-app", desiredCount=1)
    seen_draining = set()

    def one_left():
        th = target_health(emu, s["tg"])
        seen_draining.update(ip for ip, (st, reason) in th.items()
                             if st == "draining" and reason == "Target.DeregistrationInProgress")
        return steady(emu, s, 1)

    t0 = time.time()
    _, tasks, _ = wait_for("1 healthy", one_left, timeout=40, every=0.3)
    print(f"scale 4->1 drained after {time.time() - t0:.1f}s")
    assert len(seen_draining) == 3 and seen_draining <= before
    assert task_ip(tasks[0]) not in seen_draining
    stopped = ecs.list_tasks(cluster="navoy", desiredStatus="STOPPED")["taskArns"]
    st = wait_for("3 tasks STOPPED", lambda: (lambda ts: ts if all(t["lastStatus"] == "STOPPED" for t in ts) else None)(
        ecs.describe_tasks(cluster="navoy", tasks=stopped)["tasks"]), timeout=10)
    assert len(st) == 3 and all(t["lastStatus"] == "STOPPED" and t["stopCode"] == "ServiceSchedulerInitiated"
                                and t["stoppedReason"].startswith("Scaling activity initiated by (deployment")
                                for t in st), st
    assert any(m.startswith("(service navoy-app) has stopped 3 running tasks") for m in events(emu))


def test_draining_instance_moves_tasks_within_min_healthy(make_emu):
    emu = make_emu()
    s = build_stack(emu, desired=2)
    emu.start_dataplane()
    _, tasks, _ = wait_for("2 healthy", lambda: steady(emu, s, 2), timeout=40)
    ecs = emu.client("ecs")
    ci = tasks[0]["containerInstanceArn"]

    low = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            low.append(healthy_count(emu, s))
            time.sleep(0.3)

    w = threading.Thread(target=watch)
    w.start()
    try:
        t0 = time.time()
        ecs.update_container_instances_state(cluster="navoy", containerInstances=[ci], status="DRAINING")

        def drained():
            on_ci = ecs.list_tasks(cluster="navoy", containerInstance=ci)["taskArns"]
            d = ecs.describe_container_instances(cluster="navoy", containerInstances=[ci])["containerInstances"][0]
            return not on_ci and d["runningTasksCount"] == 0 and steady(emu, s, 2)

        _, tasks, _ = wait_for("instance drained", drained, timeout=60)
        print(f"drain to empty after {time.time() - t0:.1f}s")
    finally:
        stop.set()
        w.join()
    assert all(t["containerInstanceArn"] != ci for t in tasks)
    assert min(low) >= 2, f"healthy targets fell to {min(low)} (minimumHealthyPercent 100)"
    desc = ecs.describe_container_instances(cluster="navoy", containerInstances=[ci])["containerInstances"][0]
    assert (desc["status"], desc["runningTasksCount"], desc["pendingTasksCount"]) == ("DRAINING", 0, 0)

    # back to ACTIVE: new tasks may land there again (scale out to prove it)
    ecs.update_container_instances_state(cluster="navoy", containerInstances=[ci], status="ACTIVE")
    time.sleep(1.5)  # let one reconcile pass see the instance ACTIVE before asking for a task
    ecs.update_service(cluster="navoy", service="navoy-app", desiredCount=3)
    _, tasks, _ = wait_for("3 healthy", lambda: steady(emu, s, 3), timeout=40)
    assert any(t["containerInstanceArn"] == ci for t in tasks)


def test_force_new_deployment_and_new_revision_replace_all_tasks(make_emu):
    emu = make_emu()
    s = build_stack(emu, desired=2)
    emu.start_dataplane()
    _, tasks, _ = wait_for("2 healthy", lambda: steady(emu, s, 2), timeout=40)
    ecs = emu.client("ecs")

    old = {t["taskArn"] for t in tasks}
    ecs.update_service(cluster="navoy", service="navoy-app", forceNewDeployment=True)
    deps = service(emu)["deployments"]
    assert [d["status"] for d in deps] == ["PRIMARY", "ACTIVE"]
    new_id = deps[0]["id"]
    saw_both = []

    def replaced():
        svc = service(emu)
        if len(svc["deployments"]) == 2:
            saw_both.append(svc["deployments"][0]["rolloutState"])
        st = steady(emu, s, 2)
        return st if st and st[0]["deployments"][0]["id"] == new_id else None

    svc, tasks, _ = wait_for("forced deployment done", replaced, timeout=60, every=0.3)
    assert not old & {t["taskArn"] for t in tasks}
    assert all(t["startedBy"] == new_id for t in tasks)
    assert sorted(container_instance_az(emu, tasks)) == ["us-east-1a", "us-east-1b"]
    assert "IN_PROGRESS" in saw_both
    assert f"(service navoy-app) (deployment {new_id}) deployment completed." in events(emu)
    assert events(emu)[0] == "(service navoy-app) has reached a steady state."

    td2 = register_taskdef(emu, "sha-2222222", s["secret"], s["param"])
    ecs.update_service(cluster="navoy", service="navoy-app", taskDefinition=td2)

    def on_rev2():
        st = steady(emu, s, 2)
        return st if st and all(t["taskDefinitionArn"] == td2 for t in st[1]) else None

    svc, tasks, _ = wait_for("revision 2 deployed", on_rev2, timeout=60)
    assert svc["taskDefinition"] == td2 and svc["deployments"][0]["taskDefinition"] == td2
    code, body = emu.get("/")
    assert code == 200 and json.loads(body)["version"] == "sha-2222222"


def test_unhealthy_and_crashed_tasks_are_replaced(make_emu):
    emu = make_emu(**{"metrics-interval": 2})
    s = build_stack(emu, desired=2)
    cw = emu.client("cloudwatch")
    cw.put_metric_alarm(AlarmName="navoy-unhealthy-hosts", Namespace="AWS/ApplicationELB",
                        MetricName="UnHealthyHostCount", Statistic="Maximum", Period=10, EvaluationPeriods=1,
                        ComparisonOperator="GreaterThanThreshold", Threshold=0, TreatMissingData="notBreaching",
                        Dimensions=[{"Name": "LoadBalancer", "Value": s["lb"].split(":loadbalancer/")[1]},
                                    {"Name": "TargetGroup", "Value": s["tg"].split(":")[-1]}])
    emu.start_dataplane()
    _, tasks, _ = wait_for("2 healthy", lambda: steady(emu, s, 2), timeout=40)
    ecs = emu.client("ecs")
    alarm = lambda: cw.describe_alarms(AlarmNames=["navoy-unhealthy-hosts"])["MetricAlarms"][0]  # noqa: E731
    wait_for("alarm OK while all is healthy", lambda: alarm()["StateValue"] == "OK", timeout=10)
    victim = tasks[0]
    vid = victim["taskArn"].split("/")[-1]
    assert emu.control("/fault/unhealthy", {"task": vid})["ok"]

    reasons = set()

    def unhealthy_seen():
        st = target_health(emu, s["tg"]).get(task_ip(victim))
        if st:
            reasons.add(st)
        t = ecs.describe_tasks(cluster="navoy", tasks=[victim["taskArn"]])["tasks"][0]
        return t if t["lastStatus"] == "STOPPED" else None

    t = wait_for("unhealthy task stopped", unhealthy_seen, timeout=40, every=0.3)
    assert ("unhealthy", "Target.ResponseCodeMismatch") in reasons
    assert t["stoppedReason"] == f"Task failed ELB health checks in (target-group {s['tg']})"
    msgs = events(emu)
    assert f"(service navoy-app) (task {vid}) failed ELB health checks in (target-group {s['tg']})" in msgs
    assert f"(service navoy-app) has stopped 1 running tasks: (task {vid})." in msgs
    _, tasks, _ = wait_for("replaced", lambda: steady(emu, s, 2), timeout=40)
    assert victim["taskArn"] not in {x["taskArn"] for x in tasks}
    a = wait_for("unhealthy-host alarm fired", lambda: (lambda x: x if x["StateValue"] == "ALARM" else None)(
        alarm()), timeout=15)
    assert a["StateReason"].startswith("Threshold Crossed: 1 out of the last 1 datapoints [1 (")

    # a crashed container: the task stops with the container's exit code and is replaced
    crash = tasks[0]
    cli = subprocess.run([sys.executable, os.path.join(EMU, "dataplane.py"), "fault", "--crash",
                          crash["taskArn"].split("/")[-1], "--control", f"http://127.0.0.1:{emu.control_port}"],
                         capture_output=True, text=True, timeout=20)
    assert cli.returncode == 0 and json.loads(cli.stdout)["ok"], cli
    t = wait_for("crashed task stopped", lambda: (lambda x: x if x["lastStatus"] == "STOPPED" else None)(
        ecs.describe_tasks(cluster="navoy", tasks=[crash["taskArn"]])["tasks"][0]), timeout=20)
    assert t["stoppedReason"] == "Essential container in task exited"
    assert t["stopCode"] == "EssentialContainerExited" and t["containers"][0]["exitCode"] == 137
    wait_for("replaced again", lambda: steady(emu, s, 2), timeout=40)

    # StopTask by a user: drained first, then stopped, then replaced
    user = running_tasks(emu)[0]
    ecs.stop_task(cluster="navoy", task=user["taskArn"], reason="stopped from the console")
    t = wait_for("user stop", lambda: (lambda x: x if x["lastStatus"] == "STOPPED" else None)(
        ecs.describe_tasks(cluster="navoy", tasks=[user["taskArn"]])["tasks"][0]), timeout=20)
    assert t["stoppedReason"] == "stopped from the console" and t["stopCode"] == "UserInitiated"
    _, tasks, _ = wait_for("replaced after StopTask", lambda: steady(emu, s, 2), timeout=40)

    # DeregisterContainerInstance (force) of a busy instance: its tasks stop, the
    # service moves them to the other instance
    ci = tasks[0]["containerInstanceArn"]
    ecs.deregister_container_instance(cluster="navoy", containerInstance=ci, force=True)
    st = wait_for("tasks of the deregistered instance stopped", lambda: (lambda ts: ts if all(
        x["lastStatus"] == "STOPPED" for x in ts) else None)(ecs.describe_tasks(
            cluster="navoy", tasks=[t["taskArn"] for t in tasks if t["containerInstanceArn"] == ci])["tasks"]),
        timeout=20)
    assert all(x["stoppedReason"].startswith("Container instance") for x in st)
    _, tasks, _ = wait_for("service on the remaining instance", lambda: steady(emu, s, 2), timeout=40)
    assert ci not in {t["containerInstanceArn"] for t in tasks}
    assert ci not in ecs.list_container_instances(cluster="navoy")["containerInstanceArns"]
    assert len(ecs.list_container_instances(cluster="navoy")["containerInstanceArns"]) == 1


def test_asg_capacity_follows_to_container_instances(make_emu):
    emu = make_emu()
    s = build_stack(emu, desired=2)
    emu.start_dataplane()
    wait_for("2 healthy", lambda: steady(emu, s, 2), timeout=40)
    ecs, asg = emu.client("ecs"), emu.client("autoscaling")

    def cis():
        arns = ecs.list_container_instances(cluster="navoy")["containerInstanceArns"]
        return ecs.describe_container_instances(cluster="navoy", containerInstances=arns)[
            "containerInstances"] if arns else []

    asg.set_desired_capacity(AutoScalingGroupName="navoy-ecs", DesiredCapacity=3)
    three = wait_for("3 container instances", lambda: (lambda c: c if len(c) == 3 else None)(cis()), timeout=20)
    ids = {c["ec2InstanceId"] for c in three}
    in_asg = {i["InstanceId"] for i in asg.describe_auto_scaling_groups(
        AutoScalingGroupNames=["navoy-ecs"])["AutoScalingGroups"][0]["Instances"]}
    assert ids == in_asg

    # an instance fails: its tasks stop with the host, the ASG replaces it, ECS follows
    task = running_tasks(emu)[0]
    ci = next(c for c in three if c["containerInstanceArn"] == task["containerInstanceArn"])
    assert emu.control("/fault/fail-instance", {"instance": ci["ec2InstanceId"]})["ok"]
    t = wait_for("task stopped with its host", lambda: (lambda x: x if x["lastStatus"] == "STOPPED" else None)(
        ecs.describe_tasks(cluster="navoy", tasks=[task["taskArn"]])["tasks"][0]), timeout=20)
    assert t["stoppedReason"] == f"Host EC2 (instance {ci['ec2InstanceId']}) terminated."
    after = wait_for("failed instance replaced", lambda: (lambda c: c if len(c) == 3 and ci["ec2InstanceId"] not in {
        x["ec2InstanceId"] for x in c} else None)(cis()), timeout=20)
    assert len(after) == 3
    wait_for("service healed", lambda: steady(emu, s, 2), timeout=40)

    asg.set_desired_capacity(AutoScalingGroupName="navoy-ecs", DesiredCapacity=1)
    wait_for("1 container instance", lambda: len(cis()) == 1, timeout=20)
    _, tasks, _ = wait_for("service on the last instance", lambda: steady(emu, s, 2), timeout=40)
    assert len({t["containerInstanceArn"] for t in tasks}) == 1


def test_dataplane_restart_replaces_lost_containers(make_emu):
    emu = make_emu()
    s = build_stack(emu, desired=2)
    emu.start_dataplane()
    _, before, _ = wait_for("2 healthy", lambda: steady(emu, s, 2), timeout=40)
    emu.dp.terminate()
    emu.dp.wait(10)
    emu.start_dataplane()
    # the containers died with the old data plane: their tasks stop, their targets
    # leave the target group, and the scheduler starts replacements
    _, after, th = wait_for("replacements healthy", lambda: (lambda st: st if st and not (
        {t["taskArn"] for t in st[1]} & {t["taskArn"] for t in before}) else None)(steady(emu, s, 2)), timeout=40)
    assert not set(th) & {task_ip(t) for t in before}
    st = emu.client("ecs").describe_tasks(cluster="navoy", tasks=[t["taskArn"] for t in before])["tasks"]
    assert all(t["lastStatus"] == "STOPPED" and t["stoppedReason"] == "Essential container in task exited"
               for t in st)


def test_circuit_breaker_rolls_back_a_deployment_that_cannot_start(make_emu):
    emu = make_emu()
    s = build_stack(emu, desired=2, circuit_breaker=True)
    emu.start_dataplane()
    svc, _, _ = wait_for("2 healthy", lambda: steady(emu, s, 2), timeout=40)
    good = svc["taskDefinition"]
    missing = s["secret"].rsplit(":", 1)[0] + ":navoy/app/no-such-secret-AbCdEf"
    bad = register_taskdef(emu, "sha-3333333", missing, s["param"])
    emu.client("ecs").update_service(cluster="navoy", service="navoy-app", taskDefinition=bad)
    bad_id = service(emu)["deployments"][0]["id"]

    def rolled_back():
        st = steady(emu, s, 2)
        return st if st and st[0]["taskDefinition"] == good and st[0]["deployments"][0]["id"] != bad_id else None

    svc, tasks, _ = wait_for("rollback to the last good definition", rolled_back, timeout=60)
    assert all(t["taskDefinitionArn"] == good for t in tasks)
    msgs = events(emu)
    assert f"(service navoy-app) (deployment {bad_id}) deployment failed: tasks failed to start." in msgs
    ecs = emu.client("ecs")
    failed = ecs.describe_tasks(cluster="navoy", tasks=ecs.list_tasks(
        cluster="navoy", desiredStatus="STOPPED")["taskArns"])["tasks"]
    failed = [t for t in failed if t["taskDefinitionArn"] == bad]
    assert len(failed) >= 3
    assert all(t["stopCode"] == "TaskFailedToStart" and
               t["stoppedReason"].startswith("ResourceInitializationError: unable to pull secrets") for t in failed)
