"""Two algorithmic fixes to moto 5.2.5 that only change how fast it answers.

Measured with an estate of 2,000 services and 5,000 tasks (benches/refresh.rs), moto spent
most of a console refresh in two places that real AWS does not have:

* ``EC2ContainerServiceBackend.describe_tasks`` compares every task of every cluster with
  every requested id (a substring scan, O(tasks x requested)): 50 calls of 100 ids over
  5,000 tasks is 25 million string comparisons. Here the requested ids are indexed once and
  each task is looked up in O(1); the tasks returned, and their order, are the same.
* ``backends.list_of_moto_modules`` lists and stats moto's package directory on every
  request, while the server holds its dispatch lock. The listing never changes in a
  running process, so it is read once.

``apply()`` is idempotent; ``tests/test_perf.py`` checks each fix against moto's own code.
"""

from __future__ import annotations

from typing import Any

_APPLIED = False


def _task_id(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def describe_tasks(self: Any, cluster_str: str, tasks: list[str]) -> list[Any]:
    """moto's describe_tasks, with the requested ids indexed instead of scanned."""
    from moto.ecs.exceptions import InvalidParameterException

    self._get_cluster(cluster_str)
    if not tasks:
        raise InvalidParameterException("Tasks cannot be empty.")
    wanted_refs = set(tasks)
    wanted_ids = {_task_id(t) for t in tasks}
    response = []
    for cluster_tasks in self.tasks.values():
        for task_arn, task in cluster_tasks.items():
            if task_arn in wanted_refs or _task_id(task_arn) in wanted_ids:
                task.advance()
                response.append(task)
    return response


def apply() -> None:
    """Installs both fixes into the imported moto (once)."""
    global _APPLIED
    if _APPLIED:
        return
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
    _APPLIED = True
