"""A faster JSON response serialiser for moto's ECS answers, byte-for-byte the same output.

moto 5.2.5 serialises every response by walking the botocore output shape. For each member of
each structure it builds a context object, asks six alias providers for candidate attribute
names, looks each one up and checks every response transformer against the member's path.
For DescribeServices of 10 and DescribeTasks of 100 that is 10 ms and 70 ms of CPU per call.
That work is the floor of a console refresh against a large estate.

None of that resolution depends on the object being serialised, only on its class, the shape
and the path. So this module resolves it once per (path, shape, class) and keeps it as a plan:
member key, output name, candidate attribute names in moto's order, member shape. Serialising
then only looks values up and converts leaves with moto's own converters. Response
transformers stay per request, because moto changes them per request (DescribeTasks with and
without TAGS).

Modes, from ``NAVOY_MOTO_SERIALIZER``:

* ``fast`` (default): ECS answers take the planned path; anything it does not cover (errors,
  event streams, other protocols or serialiser classes) takes moto's own.
* ``verify``: as ``fast``, and every planned answer is also produced by moto's serialiser; any
  difference fails the request with both bodies in the error. The tests run in this mode.
* ``stock``: moto's serialiser only.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import Any

SERVICES = frozenset({"ecs"})
MODES = ("fast", "verify", "stock")
_PLAN_LIMIT = 20_000  # paths under a map carry its (data) keys; keep the cache bounded

_stock_execute_result: Any = None
planned_answers = 0  # answers the planned path gave (the tests check it is used)
_plans: dict[tuple[str, int, type], tuple[tuple[Any, ...], ...]] = {}
_MISSING: Any = None  # moto's MISSING and get_value, bound by apply()
_get_value: Any = None
_ATTRIBUTE, _ITEM, _DOTTED = "attribute", "item", "dotted"


class Mismatch(AssertionError):
    """The planned answer differs from moto's own."""


def mode() -> str:
    value = os.environ.get("NAVOY_MOTO_SERIALIZER", "fast")
    if value not in MODES:
        raise SystemExit(f"NAVOY_MOTO_SERIALIZER={value!r}: expected one of {', '.join(MODES)}")
    return value


class _Serializer:
    """One response: moto's serializer instance for converters, plus the request's transforms."""

    __slots__ = ("moto", "picker", "transformers", "resolved")

    def __init__(self, moto: Any, transformers: dict[str, Any]) -> None:
        self.moto = moto
        self.picker = moto._value_picker
        self.transformers = list(transformers.items())
        self.resolved: dict[tuple[str, int, type], tuple[tuple[Any, ...], ...]] = {}

    def transform(self, key_path: str) -> Any:
        """moto applies the first transformer whose path ends the member's path."""
        for suffix, transform in self.transformers:
            if key_path.endswith(suffix):
                return transform
        return None

    def members(self, path: str, shape: Any, obj: Any) -> tuple[tuple[Any, ...], ...]:
        """The plan for this structure, with this request's transformers resolved."""
        cache_key = (path, id(shape), type(obj))
        members = self.resolved.get(cache_key)
        if members is None:
            plan = _plans.get(cache_key)
            if plan is None:
                plan = self._compile(path, shape, obj)
                if len(_plans) >= _PLAN_LIMIT:
                    _plans.clear()
                _plans[cache_key] = plan
            members = tuple((*m, self.transform(m[-1])) for m in plan)
            self.resolved[cache_key] = members
        return members

    def _compile(self, path: str, shape: Any, obj: Any) -> tuple[tuple[Any, ...], ...]:
        from moto.core.serialize import AttributePickerContext

        members = []
        # moto's get_value: item lookup where the object has one, else attribute lookup
        item_lookup = hasattr(obj, "__getitem__")
        for key, member_shape in shape.members.items():
            member_shape.parent = shape  # as moto's walk does; two alias providers read it
            context = AttributePickerContext(
                obj=obj,
                key=key,
                shape=member_shape,
                operation_model=self.moto.operation_model,
                service_model=self.moto.service_model,
                key_path=path,
            )
            candidates = tuple(dict.fromkeys(self.picker.get_possible_keys(context)))
            if any("." in c for c in candidates):
                lookup = _DOTTED
            else:
                lookup = _ITEM if item_lookup else _ATTRIBUTE
            name = member_shape.serialization.get("name", key)
            kind = member_shape.type_name
            members.append((key, name, candidates, lookup, member_shape, kind, f"{path}.{key}"))
        return tuple(members)

    def structure(self, obj: Any, shape: Any, path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        missing = _MISSING
        for key, name, candidates, lookup, member_shape, kind, member_path, transform in (
            self.members(path, shape, obj)
        ):
            value = missing
            for candidate in candidates:
                if lookup is _ATTRIBUTE:
                    value = getattr(obj, candidate, missing)
                elif lookup is _ITEM:
                    try:
                        value = obj[candidate]
                    except (KeyError, IndexError, TypeError, AttributeError):
                        value = missing
                else:
                    value = _get_value(obj, candidate, missing)
                if value is not missing:
                    break
            else:
                value = None
            if transform is not None:
                value = transform(value)
            if value is None:
                continue
            if kind == "string" and type(value) is str:
                out[name] = value  # what str() and moto's checks leave of a str
            elif kind == "boolean":
                out[name] = value
            else:
                self.put(out, value, member_shape, key, name, member_path)
        return out

    def put(self, out: dict[str, Any], value: Any, shape: Any, key: str, name: str,
            path: str) -> None:
        """moto's ``_serialize(out, value, shape, key)`` for the JSON serializer."""
        kind = shape.type_name
        if kind == "structure":
            if shape.is_document_type:
                out[key] = value
            elif value is not None:
                out[name] = self.structure(value, shape, path)
        elif kind == "string":
            if isinstance(value, Enum):
                value = value.value
            out[name] = str(value) if value not in [None, {}, []] else value
        elif kind == "list":
            out[name] = self.items(value, shape, path)
        elif kind == "map":
            mapped: dict[str, Any] = {}
            out[name] = mapped
            value_shape = shape.value
            for sub_key, sub_value in value.items():
                self.put(mapped, sub_value, value_shape, sub_key,
                         value_shape.serialization.get("name", sub_key), f"{path}.{sub_key}")
        elif kind in ("integer", "long"):
            out[name] = int(value)
        elif kind in ("float", "double"):
            out[name] = float(value)
        elif kind == "timestamp":
            wrapper: dict[str, Any] = {}
            self.moto._timestamp_serializer.serialize(wrapper, value, shape, "timestamp")
            out[name] = wrapper["timestamp"]
        elif kind == "blob":
            out[name] = self.moto._base64(value)
        else:  # boolean and anything else moto passes through as is
            out[name] = value

    def items(self, value: Any, shape: Any, path: str) -> list[Any]:
        member = shape.member
        item_key = member.name
        item_name = member.serialization.get("name", item_key)
        item_path = f"{path}.{item_key}"
        result = []
        for item in value:
            wrapper: dict[str, Any] = {}
            self.put(wrapper, item, member, item_key, item_name, item_path)
            # moto keeps the item as is when nothing was written under the member's name
            result.append(wrapper[item_key] if item_key in wrapper else item)
        return result


def _covered(context: Any) -> Any:
    """moto's serializer for this response when the planned path covers it, else None."""
    from moto.core import serialize as ms
    from moto.settings import PRETTIFY_RESPONSES

    if str(context.service_model.service_name) not in SERVICES:
        return None
    if context.serializer_class is not ms.JSONSerializer:
        return None
    operation = context.operation_model
    if operation.has_event_stream_output or operation.output_shape is None:
        return None
    picker = ms.XFormedAttributePicker(
        response_transformers=getattr(context.response, "RESPONSE_KEY_PATH_TO_TRANSFORMER", None)
    )
    if picker.alias_providers is not ms.DEFAULT_ALIAS_PROVIDERS:
        return None
    return ms.JSONSerializer(operation_model=operation, pretty_print=PRETTIFY_RESPONSES,
                             value_picker=picker)


def serialize(result: Any, context: Any) -> Any:
    """(status, headers, body) as moto would answer, or None where moto's own path must run."""
    if isinstance(result, Exception):
        return None
    moto = _covered(context)
    if moto is None:
        return None
    shape = moto.operation_model.output_shape
    planned = _Serializer(moto, moto._value_picker.response_transformers)
    body = planned.structure(result, shape, f"{moto.operation_name}.{shape.name}")
    response = moto._create_default_response()
    response = moto._serialized_result_to_response(response, result, shape, body)
    return response["status_code"], response["headers"], response["body"]


def execute_result(self: Any, context: Any) -> Any:
    """ActionResult.execute_result, taking the planned path where it applies."""
    global planned_answers
    current = mode()
    if current == "stock":
        return _stock_execute_result(self, context)
    try:
        planned = serialize(self.result, context)
    except Exception as error:  # moto's own path decides what the client sees
        if current == "verify":
            raise Mismatch(f"planned serialiser failed: {error!r}") from error
        print(f"navoy moto serialiser: {error!r}; answering with moto's own", file=sys.stderr)
        planned = None
    if planned is None:
        return _stock_execute_result(self, context)
    if current == "verify":
        stock = _stock_execute_result(self, context)
        if stock != planned:
            raise Mismatch(f"planned answer differs from moto's\nplanned: {planned!r}\n"
                           f"moto:    {stock!r}")
    planned_answers += 1
    return planned


def apply() -> None:
    """Installs the planned path into moto's ActionResult (once)."""
    global _stock_execute_result, _MISSING, _get_value
    from moto.core.responses import ActionResult
    from moto.core.utils import MISSING, get_value

    mode()  # a wrong mode fails at start-up, not on the first request
    if _stock_execute_result is not None:
        return
    _MISSING = MISSING
    _get_value = get_value
    _stock_execute_result = ActionResult.execute_result
    ActionResult.execute_result = execute_result
