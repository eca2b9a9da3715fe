"""Input checks every API operation gets, whatever its schema says: integers within the database's range and JSON
text that is valid Unicode. Both would otherwise reach the database and end in a 500 (OverflowError on a 2^64 id,
UnicodeEncodeError on a lone UTF-16 surrogate such as "\\ud800")."""

from __future__ import annotations

import json
import types
import typing
from typing import Annotated, Any, Union

import annotated_types
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.parser import Parser
from pydantic import BaseModel

from .ids import MAX_ID, MIN_INT

BOUNDED_INT = Annotated[int, annotated_types.Ge(MIN_INT), annotated_types.Le(MAX_ID)]


class InvalidText(ValueError):
    """A JSON body refused before validation: `field` is the dotted path of the offending value, `detail` says why
    (by default: a string that is not valid Unicode)."""

    def __init__(self, field: str, detail: str | None = None) -> None:
        super().__init__(field)
        self.field = field
        self.detail = detail or _("Text must be valid Unicode (no lone UTF-16 surrogates such as \\ud800).")


def first_invalid_text(data: Any, path: tuple[str, ...] = ()) -> str | None:
    """The dotted path of the first string (value or key) in `data` that cannot be encoded as UTF-8."""
    if isinstance(data, str):
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            return ".".join(path) or "body"
        return None
    if isinstance(data, dict):
        for key, value in data.items():
            found = first_invalid_text(key, (*path, "key")) or first_invalid_text(value, (*path, str(key)))
            if found:
                return found
    if isinstance(data, list):
        for index, value in enumerate(data):
            found = first_invalid_text(value, (*path, str(index)))
            if found:
                return found
    return None


class UnicodeCheckingParser(Parser):
    """JSON bodies as django-ninja parses them, refused when a string holds a lone surrogate (JSON allows the
    escape, UTF-8 and the database do not) or when the body is not an object: every operation's body is a schema,
    and django-ninja would read an array or a number as that schema with every field left at its default."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise InvalidText("body", _("The body must be a JSON object."))
        field = first_invalid_text(data)
        if field:
            raise InvalidText(field)
        return typing.cast(dict[str, Any], data)


def _bounded(annotation: Any) -> Any:
    """`annotation` with every bare `int` inside it (Optional, list, dict values…) limited to the database range."""
    if annotation is int:
        return BOUNDED_INT
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is None or not args:
        return annotation
    if origin is Annotated:
        return annotation  # already carries its own constraints
    new_args = tuple(_bounded(arg) for arg in args)
    if new_args == args:
        return annotation
    if origin in (Union, types.UnionType):
        return Union[new_args]  # noqa: UP007 - built from a tuple
    return origin[new_args]


def _bound_model(model: type[BaseModel], seen: set[type]) -> None:
    if model in seen:
        return
    seen.add(model)
    changed = False
    for field in model.model_fields.values():
        for inner in _models_in(field.annotation):
            _bound_model(inner, seen)
        if field.annotation is int:
            # Bounds the field already declares (page ≥ 1…) stay; only the missing side is added.
            kinds = {type(m) for m in field.metadata}
            if not kinds & {annotated_types.Ge, annotated_types.Gt}:
                field.metadata.append(annotated_types.Ge(MIN_INT))
            if not kinds & {annotated_types.Le, annotated_types.Lt}:
                field.metadata.append(annotated_types.Le(MAX_ID))
            changed = True
            continue
        bounded = _bounded(field.annotation)
        if bounded is not field.annotation:
            field.annotation = bounded
            changed = True
    if changed or any(_models_in(f.annotation) for f in model.model_fields.values()):
        model.model_rebuild(force=True)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def bound_integer_inputs(api: NinjaAPI) -> int:
    """Limits every integer an operation reads (path, query, form and JSON body, nested schemas too) to the range
    of the database's integer columns, so a larger one is refused with a 422 naming the field. Returns the number
    of operations seen."""
    seen: set[type] = set()
    count = 0
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                count += 1
                for model in operation.models:
                    _bound_model(model, seen)
    return count
