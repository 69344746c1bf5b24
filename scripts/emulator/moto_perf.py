"""Fixes to moto 5.2.5 that only change how fast it answers.

Measured with an estate of 2,000 services and 5,000 tasks (benches/refresh.rs), moto spent
most of a console refresh in places that real AWS does not have:

* ``EC2ContainerServiceBackend.describe_tasks`` compares every task of every cluster with
  every requested id (a substring scan, O(tasks x requested)): 50 calls of 100 ids over
  5,000 tasks is 25 million string comparisons. Here each cluster's tasks are indexed by
  ARN and by id (rebuilt when a task is added; moto never removes one), so a call costs
  what it asks for; the tasks returned, and their order, are the same.
* ``backends.list_of_moto_modules`` lists and stats moto's package directory on every
  request, while the server holds its dispatch lock. The listing never changes in a
  running process, so it is read once.
* ECS answers are serialised from plans resolved once per shape, path and class instead of
  per member of every object (``moto_serialize.py``, which has the figures and the modes).
* Every answer is searched with a regular expression for an XML ``<RequestId>`` to stamp,
  JSON answers of several hundred kilobytes included; it is skipped where the text has none.
* Every request lists the response class's methods with ``inspect.getmembers`` to find
  the action; the list is kept per class (and made again if the class gains a member).

``apply()`` is idempotent; ``tests/test_perf.py`` and ``tests/test_serialize.py`` check each
fix against moto's own code.
"""

from __future__ import annotations

from typing import Any

_APPLIED = False


def _task_id(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _task_index(self: Any) -> list[tuple[dict[str, Any], dict[str, int], dict[str, list[str]]]]:
    """Per cluster (in moto's order): its tasks, each ARN's position, and the ARNs of each id."""
    index = self.__dict__.setdefault("_navoy_task_index", {})
    out = []
    for name, cluster_tasks in self.tasks.items():
        entry = index.get(name)
        if entry is None or entry[0] is not cluster_tasks or entry[1] != len(cluster_tasks):
            position = {arn: n for n, arn in enumerate(cluster_tasks)}
            by_id: dict[str, list[str]] = {}
            for arn in cluster_tasks:
                by_id.setdefault(_task_id(arn), []).append(arn)
            entry = index[name] = (cluster_tasks, len(cluster_tasks), position, by_id)
        out.append((entry[0], entry[2], entry[3]))
    return out


def describe_tasks(self: Any, cluster_str: str, tasks: list[str]) -> list[Any]:
    """moto's describe_tasks, looking each requested reference up instead of scanning."""
    from moto.ecs.exceptions import InvalidParameterException

    self._get_cluster(cluster_str)
    if not tasks:
        raise InvalidParameterException("Tasks cannot be empty.")
    # moto answers every task (of any cluster) whose ARN is asked for or whose id is the last
    # part of a reference asked for, in the order of its clusters and their tasks.
    found = []
    for order, (cluster_tasks, position, by_id) in enumerate(_task_index(self)):
        arns = {ref for ref in tasks if ref in position}
        for ref in tasks:
            arns.update(by_id.get(_task_id(ref), ()))
        found.extend((order, position[arn], cluster_tasks[arn]) for arn in arns)
    found.sort(key=lambda hit: hit[:2])
    response = []
    for _, _, task in found:
        task.advance()
        response.append(task)
    return response


def _enrich_response(headers: dict[str, str], body: Any) -> tuple[dict[str, str], Any]:
    """moto's _enrich_response, without the regular expression where it cannot match."""
    if isinstance(body, str) and "<RequestId>" not in body:
        from moto.core import responses

        if "status" in headers:
            headers["status"] = str(headers["status"])
        responses.gen_amzn_requestid_long(headers)  # it sets the x-amzn-requestid header
        return headers, body
    return _stock_enrich_response(headers, body)


_stock_enrich_response: Any = None
_methods: dict[type, tuple[tuple[int, ...], list[str]]] = {}


def method_names_from_class(clazz: Any) -> list[str]:
    """moto's list of a response class's methods, kept until the class hierarchy changes."""
    from moto.core.utils import method_names_from_class as stock

    shape = tuple(len(vars(c)) for c in clazz.__mro__)
    kept = _methods.get(clazz)
    if kept is None or kept[0] != shape:
        kept = _methods[clazz] = (shape, stock(clazz))
    return list(kept[1])


def apply() -> None:
    """Installs the fixes into the imported moto (once)."""
    global _APPLIED
    if _APPLIED:
        return
    import moto_serialize

    moto_serialize.apply()
    from moto import backends
    from moto.ecs.models import EC2ContainerServiceBackend
    from moto.moto_server import werkzeug_app

    # werkzeug_app calls it through the module attribute, so replacing it there is enough.
    modules = tuple(backends.list_of_moto_modules())  # a generator upstream: keep the values

    def list_of_moto_modules() -> tuple[str, ...]:
        return modules

    backends.list_of_moto_modules = list_of_moto_modules
    if werkzeug_app.backends is not backends:
        raise RuntimeError("moto's server no longer reaches list_of_moto_modules via moto.backends")
    EC2ContainerServiceBackend.describe_tasks = describe_tasks

    global _stock_enrich_response
    from moto.core import responses

    if _stock_enrich_response is None:  # never wrap the wrapper
        _stock_enrich_response = responses.BaseResponse._enrich_response
        responses.BaseResponse._enrich_response = staticmethod(_enrich_response)
    responses.method_names_from_class = method_names_from_class
    _APPLIED = True
