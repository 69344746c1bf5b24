"""The planned ECS serialiser answers byte-for-byte as moto's own does.

Every ECS call below runs in ``verify`` mode: moto_serialize answers from its plans, moto's
serialiser answers too, and any difference fails the call. The estate has what the console
reads: container instances (whose attributes moto reshapes with a transformer), services
behind a load balancer with deployments and events, tasks with network attachments, task
definitions with health checks, secrets and log configuration, and DescribeTasks with and
without TAGS (moto swaps that transformer per request).
"""

import json

import boto3
import pytest
from moto import mock_aws

import moto_ext
import moto_serialize


@pytest.fixture
def aws(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("NAVOY_MOTO_SERIALIZER", "verify")
    monkeypatch.setenv("MOTO_ECS_SERVICE_RUNNING", "1")
    moto_ext.apply()  # as the emulator runs moto
    moto_serialize.apply()
    monkeypatch.setattr(moto_serialize, "planned_answers", 0)
    with mock_aws():
        yield boto3.client("ecs"), boto3.client("ec2"), boto3.client("elbv2")


def _estate(ecs, ec2, elb):
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{n}.0/24",
                                 AvailabilityZone=f"us-east-1{az}")["Subnet"]["SubnetId"]
               for n, az in ((0, "a"), (1, "b"))]
    group = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
    ecs.create_cluster(clusterName="c", settings=[{"name": "containerInsights",
                                                   "value": "enabled"}],
                       tags=[{"key": "team", "value": "navoy"}])
    image = ec2.describe_images()["Images"][0]["ImageId"]
    for subnet in subnets:
        instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1,
                                     SubnetId=subnet)["Instances"][0]["InstanceId"]
        ecs.register_container_instance(
            cluster="c", instanceIdentityDocument=json.dumps({"instanceId": instance}))
    ecs.put_attributes(cluster="c", attributes=[{
        "name": "stack", "value": "blue", "targetType": "container-instance",
        "targetId": ecs.list_container_instances(
            cluster="c")["containerInstanceArns"][0].rsplit("/", 1)[-1]}])
    ecs.register_task_definition(
        family="app", networkMode="awsvpc", requiresCompatibilities=["EC2"],
        executionRoleArn="arn:aws:iam::123456789012:role/exec",
        containerDefinitions=[{
            "name": "app", "image": "app:1", "cpu": 64, "memory": 128, "essential": True,
            "portMappings": [{"containerPort": 3000, "protocol": "tcp"}],
            "environment": [{"name": "PORT", "value": "3000"}],
            "secrets": [{"name": "DB", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:"
                                                   "parameter/db"}],
            "healthCheck": {"command": ["CMD-SHELL", "true"], "interval": 10, "retries": 3},
            "logConfiguration": {"logDriver": "awslogs", "options": {
                "awslogs-group": "/navoy/app", "awslogs-region": "us-east-1"}},
        }],
        tags=[{"key": "team", "value": "navoy"}])
    target_group = elb.create_target_group(
        Name="app", Protocol="HTTP", Port=3000, VpcId=vpc,
        TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
    network = {"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [group]}}
    for name in ("web", "worker"):
        ecs.create_service(
            cluster="c", serviceName=name, taskDefinition="app", desiredCount=2,
            launchType="EC2", networkConfiguration=network,
            loadBalancers=[{"targetGroupArn": target_group, "containerName": "app",
                            "containerPort": 3000}],
            deploymentConfiguration={"maximumPercent": 200, "minimumHealthyPercent": 50},
            tags=[{"key": "svc", "value": name}])
    ecs.update_service(cluster="c", service="web", desiredCount=3, forceNewDeployment=True)
    tasks = ecs.run_task(cluster="c", taskDefinition="app", count=4, launchType="EC2",
                         group="service:web", networkConfiguration=network,
                         tags=[{"key": "k", "value": "v"}])["tasks"]
    ecs.stop_task(cluster="c", task=tasks[0]["taskArn"], reason="drained")
    return [t["taskArn"] for t in tasks]


def test_every_console_read_matches_moto(aws):
    ecs, ec2, elb = aws
    tasks = _estate(ecs, ec2, elb)
    instances = ecs.list_container_instances(cluster="c")["containerInstanceArns"]
    services = ecs.list_services(cluster="c")["serviceArns"]

    assert len(ecs.describe_services(cluster="c", services=services)["services"]) == 2
    described = ecs.describe_tasks(cluster="c", tasks=tasks)["tasks"]
    assert {t["taskArn"] for t in described} == set(tasks)
    assert all("tags" not in t for t in described)
    tagged = ecs.describe_tasks(cluster="c", tasks=tasks, include=["TAGS"])["tasks"]
    assert any(t.get("tags") for t in tagged)
    attributes = ecs.describe_container_instances(
        cluster="c", containerInstances=instances)["containerInstances"][0]["attributes"]
    assert {"name": "stack", "value": "blue"} in attributes
    definition = ecs.describe_task_definition(taskDefinition="app", include=["TAGS"])
    assert definition["taskDefinition"]["containerDefinitions"][0]["healthCheck"]["retries"] == 3
    ecs.describe_clusters(clusters=["c"], include=["SETTINGS", "STATISTICS", "TAGS"])
    ecs.describe_services(cluster="c", services=services + ["missing"], include=["TAGS"])
    ecs.list_tasks(cluster="c", desiredStatus="STOPPED")
    ecs.list_task_definitions()
    ecs.list_tags_for_resource(resourceArn=services[0])
    ecs.update_container_instances_state(cluster="c", containerInstances=instances[:1],
                                         status="DRAINING")
    ecs.describe_container_instances(cluster="c", containerInstances=instances)

    assert moto_serialize.planned_answers >= 15  # the planned path answered, not moto's


def test_errors_take_moto_own_path(aws):
    ecs, _, _ = aws
    with pytest.raises(ecs.exceptions.ClusterNotFoundException):
        ecs.describe_services(cluster="nowhere", services=["x"])
    assert moto_serialize.planned_answers == 0


def test_verify_catches_a_planned_answer_that_differs(aws, monkeypatch):
    ecs, _, _ = aws
    ecs.create_cluster(clusterName="c")
    real_structure = moto_serialize._Serializer.structure

    def structure_wrong(self, obj, shape, path):
        out = real_structure(self, obj, shape, path)
        if "clusterName" in out:
            out["clusterName"] += "-changed"
        return out

    monkeypatch.setattr(moto_serialize._Serializer, "structure", structure_wrong)
    with pytest.raises(moto_serialize.Mismatch):
        ecs.describe_clusters(clusters=["c"])
    monkeypatch.setenv("NAVOY_MOTO_SERIALIZER", "stock")
    assert ecs.describe_clusters(clusters=["c"])["clusters"][0]["clusterName"] == "c"


def test_a_wrong_mode_is_refused(monkeypatch):
    monkeypatch.setenv("NAVOY_MOTO_SERIALIZER", "quick")
    with pytest.raises(SystemExit, match="quick"):
        moto_serialize.mode()
