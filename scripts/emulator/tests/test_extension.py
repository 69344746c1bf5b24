"""The moto extension alone: each patch restores an AWS behaviour."""

import time

import pytest

from stack import build_stack, register_taskdef, service, target_health, wait_for


def test_refuses_other_moto_versions(monkeypatch):
    import moto

    import moto_ext

    monkeypatch.setattr(moto, "__version__", "5.0.0")
    with pytest.raises(SystemExit, match="pinned to moto 5.2.5"):
        moto_ext.check_moto_version()


def test_control_plane_states(make_emu):
    emu = make_emu()
    s = build_stack(emu, desired=2)
    ecs, elb, ec2 = emu.client("ecs"), emu.client("elbv2"), emu.client("ec2")

    # CreateService keeps the deployment configuration; nothing runs yet
    svc = service(emu)
    assert svc["deploymentConfiguration"]["minimumHealthyPercent"] == 100
    assert svc["deploymentConfiguration"]["maximumPercent"] == 200
    assert (svc["runningCount"], svc["pendingCount"]) == (0, 0)
    assert [d["rolloutState"] for d in svc["deployments"]] == ["IN_PROGRESS"]

    # UpdateService desiredCount does not make tasks run
    ecs.update_service(cluster="navoy", service="navoy-app", desiredCount=3)
    svc = service(emu)
    assert svc["desiredCount"] == 3 and svc["runningCount"] == 0

    # forceNewDeployment: new PRIMARY, previous one ACTIVE
    first = svc["deployments"][0]["id"]
    ecs.update_service(cluster="navoy", service="navoy-app", forceNewDeployment=True)
    deps = service(emu)["deployments"]
    assert [d["status"] for d in deps] == ["PRIMARY", "ACTIVE"]
    assert deps[1]["id"] == first and deps[0]["id"] != first

    # a new task definition revision: another PRIMARY with that definition (full ARN)
    td2 = register_taskdef(emu, "sha-2222222", s["secret"], s["param"])
    ecs.update_service(cluster="navoy", service="navoy-app", taskDefinition="navoy-app")
    svc = service(emu)
    assert svc["taskDefinition"] == td2
    assert svc["deployments"][0]["taskDefinition"] == td2
    assert [d["status"] for d in svc["deployments"]] == ["PRIMARY", "ACTIVE", "ACTIVE"]

    # ASG instances are balanced over both private subnets
    insts = [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]
    assert sorted(i["SubnetId"] for i in insts) == sorted(s["subnets"][k] for k in ("private_a", "private_b"))

    # target registration: initial, then draining for the deregistration delay (2 s), then gone
    elb.register_targets(TargetGroupArn=s["tg"], Targets=[{"Id": "10.40.10.9", "Port": 3000}])
    assert target_health(emu, s["tg"]) == {"10.40.10.9": ("initial", "Elb.RegistrationInProgress")}
    elb.deregister_targets(TargetGroupArn=s["tg"], Targets=[{"Id": "10.40.10.9", "Port": 3000}])
    assert target_health(emu, s["tg"]) == {"10.40.10.9": ("draining", "Target.DeregistrationInProgress")}
    t0 = time.time()
    wait_for("drain to end", lambda: target_health(emu, s["tg"]) == {}, timeout=10, every=0.2)
    assert time.time() - t0 > 1.5

    # StartTask with networkConfiguration places an awsvpc task; its IP is in the subnet
    ec2_id = insts[0]["InstanceId"]
    import json
    ci = ecs.register_container_instance(cluster="navoy", instanceIdentityDocument=json.dumps(
        {"instanceId": ec2_id, "availabilityZone": insts[0]["Placement"]["AvailabilityZone"]}))[
        "containerInstance"]
    task = ecs.start_task(cluster="navoy", taskDefinition=td2, containerInstances=[ci["containerInstanceArn"]],
                          group="service:navoy-app", startedBy="x",
                          networkConfiguration={"awsvpcConfiguration": {"subnets": [insts[0]["SubnetId"]]}})[
        "tasks"][0]
    ip = [d["value"] for d in task["attachments"][0]["details"] if d["name"] == "privateIPv4Address"][0]
    cidr = {s["subnets"]["private_a"]: "10.40.10.", s["subnets"]["private_b"]: "10.40.11."}[insts[0]["SubnetId"]]
    assert ip.startswith(cidr)
    assert task["lastStatus"] == "PROVISIONING"
    assert ecs.list_tasks(cluster="navoy", serviceName="navoy-app")["taskArns"] == [task["taskArn"]]

    # StopTask asks for the stop; the agent finishes it. Stopping twice is fine.
    ecs.stop_task(cluster="navoy", task=task["taskArn"], reason="test")
    t = ecs.describe_tasks(cluster="navoy", tasks=[task["taskArn"]])["tasks"][0]
    assert (t["desiredStatus"], t["lastStatus"], t["stoppedReason"]) == ("STOPPED", "PROVISIONING", "test")
    ecs.stop_task(cluster="navoy", task=task["taskArn"], reason="again")
    assert ecs.list_tasks(cluster="navoy")["taskArns"] == []

    # task-level memory only (valid on EC2): StartTask reserves it on the instance
    td = ecs.register_task_definition(
        family="tasklevel", networkMode="awsvpc", cpu="256", memory="512",
        containerDefinitions=[{"name": "app", "image": "x", "portMappings": [{"containerPort": 3000}]}])[
        "taskDefinition"]["taskDefinitionArn"]
    before = {r["name"]: r.get("integerValue") for r in ecs.describe_container_instances(
        cluster="navoy", containerInstances=[ci["containerInstanceArn"]])["containerInstances"][0][
        "remainingResources"]}
    ecs.start_task(cluster="navoy", taskDefinition=td, containerInstances=[ci["containerInstanceArn"]],
                   networkConfiguration={"awsvpcConfiguration": {"subnets": [insts[0]["SubnetId"]]}})
    after = {r["name"]: r.get("integerValue") for r in ecs.describe_container_instances(
        cluster="navoy", containerInstances=[ci["containerInstanceArn"]])["containerInstances"][0][
        "remainingResources"]}
    assert (before["CPU"] - after["CPU"], before["MEMORY"] - after["MEMORY"]) == (256, 512)
