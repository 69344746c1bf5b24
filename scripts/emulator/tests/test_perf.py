"""The emulator's speed fixes answer exactly as moto's own code does."""

import os

import boto3
import pytest
from moto import mock_aws

import moto_perf


@pytest.fixture
def ecs():
    env = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
           "AWS_DEFAULT_REGION": "us-east-1"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    with mock_aws():
        yield boto3.client("ecs")
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _backend():
    from moto.ecs.models import ecs_backends

    return ecs_backends["123456789012"]["us-east-1"]


def test_describe_tasks_returns_what_moto_returns(ecs):
    from moto.ecs.exceptions import InvalidParameterException
    from moto.ecs.models import EC2ContainerServiceBackend

    ec2 = boto3.client("ec2")
    image = ec2.describe_images()["Images"][0]["ImageId"]
    arns = {}
    for cluster in ("a", "b"):
        ecs.create_cluster(clusterName=cluster)
        instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]
        ecs.register_container_instance(
            cluster=cluster,
            instanceIdentityDocument='{"instanceId": "%s"}' % instance["InstanceId"])
        ecs.register_task_definition(family="app", containerDefinitions=[
            {"name": "app", "image": "x", "cpu": 16, "memory": 32}])
        tasks = ecs.run_task(cluster=cluster, taskDefinition="app", count=10)["tasks"]
        arns[cluster] = [t["taskArn"] for t in tasks]
    assert len(arns["a"]) == 10

    backend = _backend()
    stock = EC2ContainerServiceBackend.describe_tasks
    requests = [
        arns["a"][:3],                                    # full ARNs
        [a.rsplit("/", 1)[-1] for a in arns["a"][3:6]],   # bare task ids
        [arns["a"][6], "0" * 32, "arn:aws:ecs:us-east-1:123456789012:task/a/" + "f" * 32],
        arns["b"][:2] + arns["a"][:1],                    # another cluster's tasks (moto scans all)
        list(reversed(arns["a"])),                        # order of the answer is moto's, not ours
    ]
    for refs in requests:
        want = [t.task_arn for t in stock(backend, "a", refs)]
        got = [t.task_arn for t in moto_perf.describe_tasks(backend, "a", refs)]
        assert got == want, refs
        assert want, refs
    for fn in (stock, moto_perf.describe_tasks):
        with pytest.raises(InvalidParameterException):
            fn(backend, "a", [])

    # The index was built above; a task added since must be found all the same.
    added = ecs.run_task(cluster="a", taskDefinition="app", count=1)["tasks"][0]["taskArn"]
    refs = [added, arns["a"][0], added.rsplit("/", 1)[-1]]
    want = [t.task_arn for t in stock(backend, "a", refs)]
    assert [t.task_arn for t in moto_perf.describe_tasks(backend, "a", refs)] == want
    assert added in want


def test_request_id_is_stamped_where_moto_would():
    moto_perf.apply()
    from moto.core.responses import BaseResponse

    xml = "<R><RequestId>old</RequestId></R>"
    for body in (xml, '{"tasks": []}', b"<RequestId>x</RequestId>"):
        headers = {"status": 200}
        got_headers, got = BaseResponse._enrich_response(headers, body)
        want_headers, want = moto_perf._stock_enrich_response({"status": 200}, body)
        assert got_headers.keys() == want_headers.keys() == {"status", "x-amzn-requestid"}
        assert got_headers["status"] == "200"
        if body is xml:
            assert got == f"<R><RequestId>{got_headers['x-amzn-requestid']}</RequestId></R>"
        else:
            assert got == want == body


def test_method_list_is_kept_until_the_class_changes():
    from moto.core.utils import method_names_from_class as stock

    class Actions:
        def describe(self):
            pass

    assert moto_perf.method_names_from_class(Actions) == stock(Actions) == ["describe"]
    Actions.stop = lambda self: None
    assert moto_perf.method_names_from_class(Actions) == stock(Actions) == ["describe", "stop"]


def test_apply_reads_the_module_list_once(monkeypatch):
    from moto import backends
    from moto.ecs.models import EC2ContainerServiceBackend

    want = list(backends.list_of_moto_modules())
    monkeypatch.setattr(backends, "list_of_moto_modules", backends.list_of_moto_modules)
    monkeypatch.setattr(EC2ContainerServiceBackend, "describe_tasks",
                        EC2ContainerServiceBackend.describe_tasks)
    monkeypatch.setattr(moto_perf, "_APPLIED", False)
    moto_perf.apply()
    moto_perf.apply()  # idempotent

    def no_listing(path):
        raise AssertionError(f"listed {path} after apply()")

    monkeypatch.setattr(os, "listdir", no_listing)
    assert list(backends.list_of_moto_modules()) == want
    assert list(backends.list_of_moto_modules()) == want  # not a spent generator
    assert "ecs" in want and "elbv2" in want
    assert EC2ContainerServiceBackend.describe_tasks is moto_perf.describe_tasks
