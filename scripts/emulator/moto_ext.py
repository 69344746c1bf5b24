"""Minimal extension of moto for the local Navoy stack.

moto stores the AWS control plane but runs nothing behind it. The data plane
(dataplane.py) plays the ECS agent, the ECS service scheduler and the ALB
health checker against the normal AWS API. A few states that AWS shows cannot
be reached through moto's API at all; this module restores them:

* each patch below says which AWS behaviour it restores;
* the HTTP routes under /_navoy/ let the data plane write exactly those states
  (task lifecycle, target health, service deployments/events/counters).

The patches are written against one moto release; apply() refuses any other.
"""

from __future__ import annotations

import datetime as _dt
import json
import random
import threading
import uuid
from typing import Any, Callable

PINNED_MOTO_VERSION = "5.2.5"
EXT_VERSION = 1
DEFAULT_ACCOUNT = "123456789012"
MAX_SERVICE_EVENTS = 100

_lock = threading.RLock()
_applied = False


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def check_moto_version() -> str:
    import moto

    version = getattr(moto, "__version__", "unknown")
    if version != PINNED_MOTO_VERSION:
        raise SystemExit(
            f"moto {version} is installed but this extension is pinned to moto "
            f"{PINNED_MOTO_VERSION}; install moto[server]=={PINNED_MOTO_VERSION}"
        )
    return version


# --------------------------------------------------------------------------
# ECS
# --------------------------------------------------------------------------

DEFAULT_DEPLOYMENT_CONFIGURATION = {
    "deploymentCircuitBreaker": {"enable": False, "rollback": False},
    "maximumPercent": 200,
    "minimumHealthyPercent": 100,
}


def _new_deployment(service: Any, task_definition_arn: str) -> dict[str, Any]:
    from moto.moto_api._internal import mock_random

    dep_id = f"ecs-svc/{mock_random.randint(0, 10**19 - 1):019d}"
    now = _now()
    return {
        "createdAt": now,
        "desiredCount": service.desired_count,
        "failedTasks": 0,
        "id": dep_id,
        "launchType": service.launch_type,
        "pendingCount": 0,
        "rolloutState": "IN_PROGRESS",
        "rolloutStateReason": "ECS deployment " + dep_id + " in progress.",
        "runningCount": 0,
        "networkConfiguration": service.network_configuration or None,
        "status": "PRIMARY",
        "taskDefinition": task_definition_arn,
        "updatedAt": now,
    }


def _recount_cluster(backend: Any, cluster_name: str) -> None:
    cluster = backend.clusters.get(cluster_name)
    if cluster is None:
        return
    running = pending = 0
    for task in backend.tasks.get(cluster_name, {}).values():
        status = task.last_status
        if status == "RUNNING":
            running += 1
        elif status in ("PROVISIONING", "PENDING", "ACTIVATING"):
            pending += 1
    cluster.running_tasks_count = running
    cluster.pending_tasks_count = pending
    cluster.active_services_count = sum(
        1
        for s in backend.services.values()
        if s.cluster_name == cluster_name and s.status == "ACTIVE"
    )


def _finish_stop(backend: Any, cluster_name: str, task: Any) -> None:
    """Release what a stopped task holds, as AWS does when it reaches STOPPED."""
    if getattr(task, "_navoy_released", False):
        task.last_status = "STOPPED"
        return
    task._navoy_released = True
    if task.container_instance_arn:
        ci = backend.container_instances.get(cluster_name, {}).get(
            task.container_instance_arn.split("/")[-1]
        )
        if ci is None:
            ci = backend.container_instances.get("orphaned", {}).get(
                task.container_instance_arn.split("/")[-1]
            )
        if ci is not None and task.resource_requirements:
            backend.update_container_instance_resources(
                ci, task.resource_requirements, removing=True
            )
    task.last_status = "STOPPED"
    task.desired_status = "STOPPED"
    task.stopped_at = _now()
    if not getattr(task, "execution_stopped_at", None):
        task.execution_stopped_at = task.stopped_at
    for c in task.containers:
        c.last_status = "STOPPED"
    # AWS deletes the task ENI of an awsvpc task once it is stopped.
    from moto.ec2.models import ec2_backends

    for att in task.attachments:
        if att.get("type") != "ElasticNetworkInterface":
            continue
        att["status"] = "DELETED"
        details = {d["name"]: d["value"] for d in att.get("details", [])}
        eni_id = details.get("networkInterfaceId")
        ip = details.get("privateIPv4Address")
        ec2 = ec2_backends[task._account_id][task.region_name]
        if eni_id and eni_id in ec2.enis:
            ec2.enis.pop(eni_id, None)
        if ip:
            _ips_in_use.discard(ip)
    _recount_cluster(backend, cluster_name)


_ips_in_use: set[str] = set()


def _unique_private_ip(cidr: str | None = None, ipv6: bool = False) -> str:
    """AWS never hands the same private IP to two live ENIs of a subnet."""
    from moto.ec2 import utils as ec2_utils

    if ipv6 or not cidr:
        return ec2_utils.random_private_ip(cidr, ipv6)
    import ipaddress

    net = ipaddress.IPv4Network(cidr)
    hosts = net.num_addresses
    with _lock:
        for _ in range(4 * hosts):
            # AWS reserves the first four and the last address of a subnet.
            offset = random.randint(4, max(4, hosts - 2))
            ip = str(net.network_address + offset)
            if ip not in _ips_in_use:
                _ips_in_use.add(ip)
                return ip
    return ec2_utils.random_private_ip(cidr)


def _patch_ecs() -> None:
    from moto.ecs import models as ecs_models
    from moto.ecs import responses as ecs_responses

    Backend = ecs_models.EC2ContainerServiceBackend
    Task = ecs_models.Task

    # AWS gives a task ENI an address from its subnet (moto: any 10.x address).
    ecs_models.random_private_ip = lambda *a, **k: None  # ENI then picks from subnet
    from moto.ec2.models import elastic_network_interfaces as eni_mod

    eni_mod.random_private_ip = _unique_private_ip
    # AWS names every task ENI (ip-10-40-10-23.ec2.internal); moto only does so
    # when the VPC has DNS hostnames enabled and otherwise fails the task.
    eni_mod.NetworkInterface.private_dns_name = None

    # AWS reports createdAt on every task and starts it in PROVISIONING; the
    # agent (data plane) then moves it through PENDING to RUNNING.
    orig_task_init = Task.__init__

    def task_init(self: Any, *args: Any, **kwargs: Any) -> None:
        orig_task_init(self, *args, **kwargs)
        for att in self.attachments:
            details = {d["name"]: d for d in att.get("details", [])}
            ip = details.get("privateIPv4Address", {}).get("value")
            if ip and details.get("privateDnsName", {}).get("value") is None:
                details["privateDnsName"]["value"] = "ip-" + ip.replace(".", "-") + ".ec2.internal"
        self.created_at = _now()
        self.last_status = "PROVISIONING"
        self.health_status = "UNKNOWN"
        self.connectivity = None
        self.stop_code = None
        for c in self.containers:
            c.health_status = "UNKNOWN"

    Task.__init__ = task_init

    # AWS reserves the task-level cpu/memory when containers declare none
    # (moto fails StartTask/RunTask on the missing container memory), and an
    # awsvpc task takes no host port (moto placed one such task per instance).
    def task_requirements(task_definition: Any) -> dict[str, Any]:
        reqs: dict[str, Any] = {"CPU": 0, "MEMORY": 0, "PORTS": [], "PORTS_UDP": []}
        for c in task_definition.container_definitions:
            reqs["CPU"] += int(c.get("cpu", c.get("Cpu", 0)) or 0)
            reqs["MEMORY"] += int(c.get("memory") or c.get("Memory") or c.get("memoryReservation")
                                  or c.get("MemoryReservation") or 0)
            for pm in c.get("portMappings", c.get("PortMappings", [])) or []:
                host_port = pm.get("hostPort", pm.get("HostPort"))
                # awsvpc tasks have their own ENI: no host port is taken on the instance
                if host_port and task_definition.network_mode != "awsvpc":
                    reqs["PORTS"].append(host_port)
        for key, attr in (("CPU", "cpu"), ("MEMORY", "memory")):
            if not reqs[key]:
                try:
                    reqs[key] = int(getattr(task_definition, attr, None) or 0)
                except (TypeError, ValueError):
                    reqs[key] = 0
        return reqs

    Backend._calculate_task_resource_requirements = staticmethod(task_requirements)

    # AWS StartTask accepts networkConfiguration (required for awsvpc tasks);
    # moto drops it and cannot start awsvpc tasks at all.
    orig_start_task = Backend.start_task

    def start_task(self: Any, cluster_str: str, task_definition_str: str,
                   container_instances: list[str], overrides: Any, started_by: str,
                   tags: Any = None, group: Any = None,
                   network_configuration: Any = None) -> list[Any]:
        if network_configuration is None:
            return orig_start_task(self, cluster_str, task_definition_str,
                                   container_instances, overrides, started_by,
                                   tags, group)
        # securityGroups is optional in AWS (the VPC default group); moto needs it
        network_configuration = json.loads(json.dumps(network_configuration))
        network_configuration.get("awsvpcConfiguration", {}).setdefault("securityGroups", [])
        orig_init = Task.__init__

        def init_with_net(task_self: Any, *a: Any, **k: Any) -> None:
            k["networking_configuration"] = network_configuration
            k.setdefault("launch_type", "EC2")
            orig_init(task_self, *a, **k)

        Task.__init__ = init_with_net
        try:
            with _lock:
                return orig_start_task(self, cluster_str, task_definition_str,
                                       container_instances, overrides, started_by,
                                       tags, group)
        finally:
            Task.__init__ = orig_init

    Backend.start_task = start_task

    def resp_start_task(self: Any) -> Any:
        from moto.core.responses import ActionResult

        tasks = self.ecs_backend.start_task(
            self._get_param("cluster", "default"),
            self._get_param("taskDefinition"),
            self._get_param("containerInstances"),
            self._get_param("overrides"),
            self._get_param("startedBy"),
            self._get_param("tags"),
            self._get_param("group"),
            network_configuration=self._get_param("networkConfiguration"),
        )
        return ActionResult({"tasks": tasks, "failures": []})

    ecs_responses.EC2ContainerServiceResponse.start_task = resp_start_task

    # AWS StopTask only asks for the stop: desiredStatus becomes STOPPED and the
    # agent drains and stops the containers, so lastStatus walks
    # DEACTIVATING/STOPPING/STOPPED. StopTask on a stopped task succeeds.
    def stop_task(self: Any, cluster_str: str, task_str: str, reason: str) -> Any:
        cluster = self._get_cluster(cluster_str)
        task_id = task_str.split("/")[-1]
        for arn, task in self.tasks.get(cluster.name, {}).items():
            if arn.endswith(task_id):
                with _lock:
                    if task.desired_status != "STOPPED":
                        task.desired_status = "STOPPED"
                        task.stopped_reason = reason or "Task stopped by user"
                        task.stopping_at = _now()
                        if not task.stop_code:
                            task.stop_code = "UserInitiated"
                    if task.container_instance_arn is None or getattr(
                        task, "_navoy_agentless", False
                    ):
                        _finish_stop(self, cluster.name, task)
                return task
        from moto.ecs.exceptions import InvalidParameterException

        raise InvalidParameterException("The referenced task was not found.")

    Backend.stop_task = stop_task

    # AWS keeps the requested deployment configuration (min healthy / max
    # percent / circuit breaker); moto forgets it on CreateService.
    orig_resp_create = ecs_responses.EC2ContainerServiceResponse.create_service

    def resp_create_service(self: Any) -> Any:
        result = orig_resp_create(self)
        service = self.ecs_backend._get_service(
            self._get_param("cluster", "default"), self._get_param("serviceName")
        )
        conf = json.loads(json.dumps(DEFAULT_DEPLOYMENT_CONFIGURATION))
        conf.update(self._get_param("deploymentConfiguration") or {})
        service.deployment_configuration = conf
        grace = self._get_param("healthCheckGracePeriodSeconds")
        if grace is not None:
            service.health_check_grace_period_seconds = grace
        # Nothing runs yet: the scheduler has not started any task.
        service.running_count = 0
        service.pending_count = 0
        service.created_at = _now()
        for dep in service.deployments:
            dep["runningCount"] = 0
            dep["pendingCount"] = 0
            dep["rolloutState"] = "IN_PROGRESS"
            dep["rolloutStateReason"] = f"ECS deployment {dep['id']} in progress."
        return result

    ecs_responses.EC2ContainerServiceResponse.create_service = resp_create_service

    # AWS UpdateService: desiredCount does not make tasks run (moto copies it
    # into runningCount); a new task definition or forceNewDeployment creates
    # a new PRIMARY deployment and turns the previous ones ACTIVE.
    orig_update = Backend.update_service

    def update_service(self: Any, props: dict[str, Any]) -> Any:
        cluster_str = props.get("cluster", "default")
        name = props["service"].split("/")[-1]
        service = self._get_service(cluster_str, name)
        with _lock:
            before = (service.running_count, service.pending_count)
            old_td = service.task_definition
            force = bool(props.get("force_new_deployment"))
            new_td_str = props.get("task_definition")
            new_td_arn = (
                self.describe_task_definition(new_td_str).arn if new_td_str else old_td
            )
            old_conf = getattr(service, "deployment_configuration", None) or {}
            result = orig_update(self, props)
            service.running_count, service.pending_count = before
            service.task_definition = new_td_arn
            if props.get("deployment_configuration") is not None:
                conf = json.loads(json.dumps(DEFAULT_DEPLOYMENT_CONFIGURATION))
                conf.update(old_conf)
                conf.update(props["deployment_configuration"])
                service.deployment_configuration = conf
            if service.deployments and (force or new_td_arn != old_td):
                if force and service.deployments:
                    # undo moto's in-place id change of the current deployment
                    service.deployments[0]["id"] = service.deployments[0].get(
                        "_original_id", service.deployments[0]["id"]
                    )
                for dep in service.deployments:
                    if dep["status"] == "PRIMARY":
                        dep["status"] = "ACTIVE"
                        dep["updatedAt"] = _now()
                service.deployments.insert(0, _new_deployment(service, new_td_arn))
            for dep in service.deployments:
                dep.setdefault("_original_id", dep["id"])
                if dep["status"] == "PRIMARY":
                    dep["desiredCount"] = service.desired_count
                    dep["updatedAt"] = _now()
            _recount_cluster(self, service.cluster_name)
            return result

    Backend.update_service = update_service

    # boto's serializer ignores unknown keys, but keep the shape clean anyway
    orig_service_init = ecs_models.Service.__init__

    def service_init(self: Any, *a: Any, **k: Any) -> None:
        orig_service_init(self, *a, **k)
        for dep in self.deployments:
            dep["_original_id"] = dep["id"]

    ecs_models.Service.__init__ = service_init

    # AWS: a container instance registered with an instance identity document
    # sits in the AZ of its EC2 instance (moto reads it from EC2 already) and a
    # deregistered instance's running tasks are stopped.
    orig_dereg = Backend.deregister_container_instance

    def deregister_container_instance(self: Any, cluster_str: str, ci_str: str,
                                      force: bool) -> Any:
        ci = orig_dereg(self, cluster_str, ci_str, force)
        cluster = self._get_cluster(cluster_str)
        with _lock:
            for task in self.tasks.get(cluster.name, {}).values():
                if task.container_instance_arn == ci.container_instance_arn and (
                    task.last_status != "STOPPED"
                ):
                    if task.desired_status != "STOPPED":
                        task.desired_status = "STOPPED"
                        task.stopped_reason = (
                            f"Container instance {ci.id} was deregistered"
                        )
                        task.stop_code = "TerminationNotice"
                        task.stopping_at = _now()
        return ci

    Backend.deregister_container_instance = deregister_container_instance

    # list_tasks(desiredStatus=...) and (serviceName=...): AWS filters on the
    # service group; moto ignores serviceName.
    orig_list_tasks = Backend.list_tasks

    def list_tasks(self: Any, cluster_str: Any = None, container_instance: Any = None,
                   family: Any = None, started_by: Any = None, service_name: Any = None,
                   desiredStatus: Any = None) -> list[Any]:
        tasks = orig_list_tasks(self, cluster_str, container_instance, family,
                                started_by, service_name, desiredStatus)
        if desiredStatus is None:
            # AWS default for ListTasks is desiredStatus RUNNING
            tasks = [t for t in tasks if t.desired_status == "RUNNING"]
        if service_name:
            wanted = "service:" + service_name.split("/")[-1]
            tasks = [t for t in tasks if t.group == wanted]
        return tasks

    Backend.list_tasks = list_tasks


# --------------------------------------------------------------------------
# ELBv2
# --------------------------------------------------------------------------


def _patch_elbv2() -> None:
    from moto.elbv2 import models as elb_models

    TG = elb_models.FakeTargetGroup
    Health = elb_models.FakeHealthStatus

    def _delay(tg: Any) -> float:
        try:
            return float(tg.attributes.get("deregistration_delay.timeout_seconds", 300))
        except (TypeError, ValueError):
            return 300.0

    def _state(tg: Any) -> tuple[dict, dict]:
        if not hasattr(tg, "_navoy_health"):
            tg._navoy_health = {}
            tg._navoy_draining = {}
        return tg._navoy_health, tg._navoy_draining

    # AWS: a newly registered target is "initial" (Elb.RegistrationInProgress)
    # until the load balancer's health checks decide.
    orig_register = TG.register

    def register(self: Any, targets: list[dict[str, Any]]) -> None:
        with _lock:
            orig_register(self, targets)
            health, draining = _state(self)
            for t in targets:
                draining.pop(t["Id"], None)
                health[t["Id"]] = (
                    "initial",
                    "Elb.RegistrationInProgress",
                    "Target registration is in progress",
                )

    TG.register = register

    # AWS: a deregistered target stays "draining"
    # (Target.DeregistrationInProgress) for the deregistration delay.
    orig_deregister = TG.deregister

    def deregister(self: Any, targets: list[dict[str, Any]]) -> None:
        with _lock:
            known = [t for t in targets if t["Id"] in self.targets]
            ports = {t["Id"]: self.targets[t["Id"]]["Port"] for t in known}
            orig_deregister(self, targets)
            health, draining = _state(self)
            deadline = _now() + _dt.timedelta(seconds=_delay(self))
            for t in known:
                health.pop(t["Id"], None)
                draining[t["Id"]] = ({"Id": t["Id"], "Port": ports[t["Id"]]}, deadline)

    TG.deregister = deregister

    orig_health_for = TG.health_for

    def health_for(self: Any, target: dict[str, Any], ec2_backend: Any) -> Any:
        health, draining = _state(self)
        tid = target["Id"]
        if tid not in self.targets and tid in draining:
            t, deadline = draining[tid]
            if _now() < deadline:
                return Health(tid, t["Port"], self.health_check_port, "draining",
                              "Target.DeregistrationInProgress",
                              "Target deregistration is in progress")
        if tid in self.targets and tid in health and not tid.startswith("i-"):
            state, reason, desc = health[tid]
            return Health(tid, self.targets[tid]["Port"], self.health_check_port,
                          state, reason, desc)
        return orig_health_for(self, target, ec2_backend)

    TG.health_for = health_for

    orig_dth = elb_models.ELBv2Backend.describe_target_health

    def describe_target_health(self: Any, tg_arn: str, targets: list[Any]) -> Any:
        tg = self.target_groups.get(tg_arn)
        if tg is not None and not targets:
            health, draining = _state(tg)
            now = _now()
            with _lock:
                for tid, (_t, deadline) in list(draining.items()):
                    if now >= deadline:
                        draining.pop(tid, None)
                targets = list(tg.targets.values()) + [
                    t for tid, (t, _d) in draining.items() if tid not in tg.targets
                ]
        return orig_dth(self, tg_arn, targets)

    elb_models.ELBv2Backend.describe_target_health = describe_target_health


# --------------------------------------------------------------------------
# Auto Scaling
# --------------------------------------------------------------------------


def _patch_autoscaling() -> None:
    from moto.autoscaling import models as asg_models

    Group = asg_models.FakeAutoScalingGroup

    def _az_counts(group: Any, subnets: list[str]) -> dict[str, int]:
        counts = {s: 0 for s in subnets}
        for st in group.instance_states:
            sid = getattr(st.instance, "subnet_id", None)
            if sid in counts and st.instance.state in ("pending", "running"):
                counts[sid] += 1
        return counts

    # AWS Auto Scaling balances instances across the subnets/AZs of the group;
    # moto launches every instance into the first subnet.
    orig_replace = Group.replace_autoscaling_group_instances

    def replace(self: Any, count_needed: int, propagated_tags: dict[str, str]) -> None:
        subnets = [s for s in (self.vpc_zone_identifier or "").split(",") if s]
        if len(subnets) < 2:
            return orig_replace(self, count_needed, propagated_tags)
        original = self.vpc_zone_identifier
        try:
            for _ in range(count_needed):
                counts = _az_counts(self, subnets)
                target = min(subnets, key=lambda s: (counts[s], subnets.index(s)))
                self.vpc_zone_identifier = target
                orig_replace(self, 1, dict(propagated_tags))
        finally:
            self.vpc_zone_identifier = original

    Group.replace_autoscaling_group_instances = replace

    # AWS scale-in keeps the AZs balanced: it terminates from the AZ with the
    # most instances first (moto: the oldest entries whatever their AZ).
    orig_set_desired = Group.set_desired_capacity

    def set_desired_capacity(self: Any, new_capacity: int | None) -> None:
        subnets = [s for s in (self.vpc_zone_identifier or "").split(",") if s]
        target = self.min_size if new_capacity is None else new_capacity
        if len(subnets) >= 2 and target is not None and target < len(self.instance_states):
            states = list(self.instance_states)
            ordered: list[Any] = []
            remaining = list(states)
            while remaining:
                per: dict[str, list[Any]] = {}
                for st in remaining:
                    per.setdefault(getattr(st.instance, "subnet_id", ""), []).append(st)
                biggest = max(per.values(), key=len)
                pick = biggest[-1]  # newest in the fullest AZ
                ordered.append(pick)
                remaining.remove(pick)
            self.instance_states = ordered
        orig_set_desired(self, new_capacity)

    Group.set_desired_capacity = set_desired_capacity


# --------------------------------------------------------------------------
# HTTP routes for the data plane: /_navoy/...
# --------------------------------------------------------------------------


def _ecs_backend(body: dict[str, Any]) -> Any:
    from moto.ecs.models import ecs_backends

    return ecs_backends[body.get("account") or DEFAULT_ACCOUNT][body.get("region") or "us-east-1"]


def _parse_time(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, (int, float)):
        return _dt.datetime.fromtimestamp(v, _dt.timezone.utc)
    return _dt.datetime.fromisoformat(str(v))


def route_task(body: dict[str, Any]) -> dict[str, Any]:
    """Agent-owned task state: lastStatus, healthStatus, timestamps, exit code."""
    backend = _ecs_backend(body)
    cluster = backend._get_cluster(body["cluster"])
    task_id = body["task"].split("/")[-1]
    task = next((t for arn, t in backend.tasks.get(cluster.name, {}).items()
                 if arn.endswith(task_id)), None)
    if task is None:
        return {"error": "task not found"}
    with _lock:
        if body.get("stopCode") and task.last_status != "STOPPED":
            task.stop_code = body["stopCode"]
        if body.get("stoppedReason") and task.desired_status != "STOPPED":
            task.stopped_reason = body["stoppedReason"]
            task.desired_status = "STOPPED"
            task.stopping_at = _now()
        for key, attr in (("startedAt", "started_at"), ("pullStartedAt", "pull_started_at"),
                          ("pullStoppedAt", "pull_stopped_at"),
                          ("connectivityAt", "connectivity_at"),
                          ("executionStoppedAt", "execution_stopped_at")):
            if key in body:
                setattr(task, attr, _parse_time(body[key]))
        if "connectivity" in body:
            task.connectivity = body["connectivity"]
        if "healthStatus" in body:
            task.health_status = body["healthStatus"]
            for c in task.containers:
                c.health_status = body["healthStatus"]
        if "exitCode" in body:
            for c in task.containers:
                c.exitCode = body["exitCode"]
                c.exit_code = body["exitCode"]
                c.reason = body.get("containerReason")
        if "containerRuntimeId" in body:
            for c in task.containers:
                c.runtime_id = body["containerRuntimeId"]
        status = body.get("lastStatus")
        if status == "STOPPED":
            _finish_stop(backend, cluster.name, task)
        elif status:
            task.last_status = status
            for c in task.containers:
                c.last_status = status if status in ("PENDING", "RUNNING", "STOPPED") else c.last_status
            _recount_cluster(backend, cluster.name)
    return {"task": task.task_arn, "lastStatus": task.last_status,
            "desiredStatus": task.desired_status}


def route_service(body: dict[str, Any]) -> dict[str, Any]:
    """Scheduler-owned service state: counters, deployments, events."""
    backend = _ecs_backend(body)
    service = backend._get_service(body["cluster"], body["service"].split("/")[-1])
    with _lock:
        if "runningCount" in body:
            service.running_count = int(body["runningCount"])
        if "pendingCount" in body:
            service.pending_count = int(body["pendingCount"])
        for upd in body.get("deployments", []):
            for dep in service.deployments:
                if dep["id"] == upd["id"]:
                    for k, v in upd.items():
                        if k != "id":
                            dep[k] = v
                    dep["updatedAt"] = _now()
        drop = set(body.get("removeDeployments", []))
        if drop:
            service.deployments = [d for d in service.deployments if d["id"] not in drop]
        add = body.get("addDeployment")
        if add:
            # circuit-breaker rollback: a new PRIMARY on an earlier definition
            for dep in service.deployments:
                if dep["status"] == "PRIMARY":
                    dep["status"] = "ACTIVE"
            dep = _new_deployment(service, add["taskDefinition"])
            dep["_original_id"] = dep["id"]
            service.task_definition = add["taskDefinition"]
            service.deployments.insert(0, dep)
        for message in body.get("events", []):
            service.events.insert(0, {"id": str(uuid.uuid4()), "createdAt": _now(),
                                      "message": message})
        del service.events[MAX_SERVICE_EVENTS:]
        _recount_cluster(backend, service.cluster_name)
    return {"service": service.arn,
            "deployments": [d["id"] for d in service.deployments]}


def route_target_health(body: dict[str, Any]) -> dict[str, Any]:
    """ALB-owned target health: initial/healthy/unhealthy with reason codes."""
    from moto.elbv2.models import elbv2_backends

    backend = elbv2_backends[body.get("account") or DEFAULT_ACCOUNT][body.get("region") or "us-east-1"]
    tg = backend.target_groups.get(body["targetGroupArn"])
    if tg is None:
        return {"error": "target group not found"}
    changed = 0
    with _lock:
        if not hasattr(tg, "_navoy_health"):
            tg._navoy_health, tg._navoy_draining = {}, {}
        for t in body.get("targets", []):
            if t["id"] in tg.targets:
                tg._navoy_health[t["id"]] = (t["state"], t.get("reason"), t.get("description"))
                changed += 1
    return {"updated": changed}


def route_version(_body: dict[str, Any]) -> dict[str, Any]:
    import moto

    return {"moto": moto.__version__, "extension": EXT_VERSION}


ROUTES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "/_navoy/version": route_version,
    "/_navoy/ecs/task": route_task,
    "/_navoy/ecs/service": route_service,
    "/_navoy/elbv2/target-health": route_target_health,
}


def wrap_wsgi(app: Any) -> Any:
    """Serve /_navoy/* ourselves, everything else is moto."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/_navoy/"):
            return app(environ, start_response)
        handler = ROUTES.get(path)
        if handler is None:
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"error": "no such route"}']
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(length) if length else b"{}"
            result = handler(json.loads(raw or b"{}"))
            code = "404 Not Found" if "error" in result else "200 OK"
        except Exception as exc:  # report, never crash the server
            result, code = {"error": f"{type(exc).__name__}: {exc}"}, "400 Bad Request"
        data = json.dumps(result, default=str).encode()
        start_response(code, [("Content-Type", "application/json"),
                              ("Content-Length", str(len(data)))])
        return [data]

    return wsgi


def _hold_task_states() -> None:
    # moto advances a task one state per DescribeTasks call; in AWS the agent
    # moves tasks. Hold them so only the agent (data plane) changes them.
    from moto.moto_api import state_manager

    state_manager.set_transition(
        model_name="ecs::task",
        transition={"progression": "manual", "times": 10**12},
    )


def apply() -> None:
    global _applied
    if _applied:
        return
    check_moto_version()
    _patch_ecs()
    _patch_elbv2()
    _patch_autoscaling()
    _hold_task_states()
    _applied = True


__all__ = ["apply", "wrap_wsgi", "check_moto_version", "PINNED_MOTO_VERSION"]
