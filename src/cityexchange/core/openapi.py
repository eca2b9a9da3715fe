"""The OpenAPI document, completed with what every operation shares so that it tells the whole truth.

The routers declare their own successes and domain errors; the answers the platform gives around them are added
here, in one place, from what the operation takes:
- an operation open to everyone lists the empty security requirement `{}` beside the token and the session (the
  token stays optional), instead of a made-up scheme;
- 401 wherever credentials are read (a wrong token is refused even on a public operation), 403 on writes that need
  a user (an unconfirmed e-mail address, a failed CSRF check of a browser session);
- 422 wherever input is validated (ids beyond the database's range, invalid Unicode…), 404 where the path names a
  thing, 400 and 413 where a body is read (unparseable, or larger than the limit).

Schema names are unique: two apps may each have a `CityRef` or a `DocumentOut`, and django-ninja would otherwise
file both under one name, the second silently replacing the first (so cooperation participants were documented
with governance's CityRef). A name used by more than one class is given its app's name in front
(`CooperationCityRef`, `GovernanceCityRef`); every other name stays as it is.
"""

from __future__ import annotations

import typing
from collections import defaultdict
from typing import Any, ClassVar

import ninja.openapi.schema
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import BaseModel
from pydantic.json_schema import CoreModeRef, DefsRef

ANONYMOUS_SCHEME = "AnonymousAllowed"
ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
DESCRIPTIONS = {
    400: "The body could not be parsed, or the request was refused.",
    401: "Authentication required, or the token sent is missing, malformed or revoked.",
    403: "Not allowed for this user (role, unconfirmed e-mail address, failed CSRF check of a session).",
    404: "Not found, or not visible to this user.",
    413: "The body is larger than the limit.",
    422: "Invalid input; `field` names it.",
}
ERROR_SCHEMA = {
    "title": "ErrorOut",
    "type": "object",
    "properties": {
        "detail": {"title": "Detail", "type": "string"},
        "field": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Field"},
    },
    "required": ["detail"],
}


def complete_document(document: dict[str, Any]) -> dict[str, Any]:
    components = document.setdefault("components", {})
    components.setdefault("schemas", {}).setdefault("ErrorOut", ERROR_SCHEMA)
    components.get("securitySchemes", {}).pop(ANONYMOUS_SCHEME, None)
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _complete_operation(path, method, operation)
    return document


def _complete_operation(path: str, method: str, operation: dict[str, Any]) -> None:
    security = operation.get("security") or []
    public = any(ANONYMOUS_SCHEME in requirement for requirement in security)
    if public:
        operation["security"] = [r for r in security if ANONYMOUS_SCHEME not in r] + [{}]
    statuses: set[int] = set()
    parameters = operation.get("parameters") or []
    if security:
        statuses.add(401)
        if not public or method != "get":
            statuses.add(403)
    if parameters or "requestBody" in operation:
        statuses.add(422)
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)
    if "requestBody" in operation:
        statuses |= {400, 413}
    responses = operation["responses"]
    for status in sorted(statuses):
        if str(status) not in responses and status not in responses:
            content = {"application/json": {"schema": ERROR_REF}}
            responses[status] = {"description": DESCRIPTIONS[status], "content": content}


def file_download(*media_types: str) -> dict[str, Any]:
    """`openapi_extra` of an operation that answers a file: its 200 is documented with these media types (merged
    with what the router declares), so clients and schemathesis know a CSV is a CSV and not JSON."""
    content = {t: {"schema": {"type": "object" if t.endswith("json") else "string"}} for t in media_types}
    return {"responses": {200: {"description": "The file.", "content": content}}}


class UniqueNameJsonSchema(NinjaGenerateJsonSchema):
    """django-ninja's JSON-schema generator, naming a model whose class name is shared by another with its app."""

    shared_names: ClassVar[frozenset[str]] = frozenset()

    def get_defs_ref(self, core_mode_ref: CoreModeRef) -> DefsRef:
        defs_ref = super().get_defs_ref(core_mode_ref)
        choices = self._prioritized_defsref_choices[defs_ref]
        short, qualified = choices[0], choices[2]  # "CityRef", "cityexchange__cooperation__schemas__CityRef"
        parts = qualified.split("__")
        if short in self.shared_names and "[" not in qualified and len(parts) > 2:
            unique = parts[1].capitalize() + short
            choices[0] = DefsRef(unique)
            choices[1] = DefsRef(unique + choices[1][len(short) :])
        return defs_ref


# django-ninja builds every schema with the generator named in its module; ours only renames shared names.
ninja.openapi.schema.NinjaGenerateJsonSchema = UniqueNameJsonSchema  # type: ignore[misc]


def shared_model_names(api: NinjaAPI) -> frozenset[str]:
    """Class names used by more than one model among the operations' inputs and outputs."""
    owners: dict[str, set[type]] = defaultdict(set)
    seen: set[Any] = set()

    def walk(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in seen:
                return
            seen.add(annotation)
            owners[annotation.__name__].add(annotation)
            for field in annotation.model_fields.values():
                walk(field.annotation)
        for arg in typing.get_args(annotation):
            walk(arg)

    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    walk(model)
                for model in (operation.response_models or {}).values():
                    walk(model)
    return frozenset(name for name, classes in owners.items() if len(classes) > 1)


class DocumentedAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document has unique schema names and is completed by `complete_document`."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        UniqueNameJsonSchema.shared_names = shared_model_names(self)
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        complete_document(document)
        return document


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")
