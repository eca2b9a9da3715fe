"""The OpenAPI document tells the truth about what the API answers (schemathesis checks it live in
tests/contract; these pin the review's findings one by one)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client

from cityexchange.api import api
from cityexchange.core.openapi import shared_model_names


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """The document as clients read it (/api/v1/openapi.json: status codes as strings)."""
    return json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in document["paths"].items() for method, op in item.items()]


def test_public_operations_need_no_made_up_scheme(document: dict[str, Any]) -> None:
    assert set(document["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    assert "X-Anonymous" not in str(document)
    practices = document["paths"]["/api/v1/practices/"]["get"]
    assert {} in practices["security"]  # anyone; a token or a session is optional


@pytest.mark.parametrize(
    ("condition", "status"),
    [("security", "401"), ("requestBody", "413"), ("requestBody", "422"), ("requestBody", "400")],
)
def test_shared_answers_are_documented(document: dict[str, Any], condition: str, status: str) -> None:
    missing = [
        f"{method.upper()} {path}"
        for path, method, op in operations(document)
        if op.get(condition) and status not in {str(code) for code in op["responses"]}
    ]
    assert missing == []


def test_operations_with_ids_in_the_path_document_404(document: dict[str, Any]) -> None:
    missing = [
        f"{method.upper()} {path}"
        for path, method, op in operations(document)
        if "{" in path and "404" not in {str(code) for code in op["responses"]}
    ]
    assert missing == []


def test_integer_inputs_are_bounded_to_the_database_range(document: dict[str, Any]) -> None:
    votes = document["paths"]["/api/v1/governance/votes"]["get"]
    body_id = next(p for p in votes["parameters"] if p["name"] == "body_id")
    assert "9223372036854775807" in str(body_id["schema"])


def test_schema_names_are_unique(document: dict[str, Any]) -> None:
    shared = shared_model_names(api)
    assert {"CityRef", "DocumentOut"} <= shared  # two apps each have one
    schemas = document["components"]["schemas"]
    for name in shared & set(schemas):
        pytest.fail(f"{name} is filed under a name another schema also has")
    participant = schemas["ParticipantOut"]["properties"]["city"]
    assert participant["$ref"] == "#/components/schemas/CooperationCityRef"
    assert set(schemas["CooperationCityRef"]["required"]) == {"id", "name", "country"}
    assert set(schemas["GovernanceCityRef"]["properties"]) != set(schemas["CooperationCityRef"]["properties"])


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/api/v1/practices/export", "text/csv"),
        ("/api/v1/challenges/export", "text/csv"),
        ("/api/v1/cooperation/open-data/{dataset}.{fmt}", "text/csv"),
        ("/api/v1/cooperation/open-data/feed.atom", "application/atom+xml"),
        ("/api/v1/forum/events/{event_id}/agenda.ics", "text/calendar"),
    ],
)
def test_file_downloads_are_typed_as_files(document: dict[str, Any], path: str, media_type: str) -> None:
    assert media_type in document["paths"][path]["get"]["responses"]["200"]["content"]


@pytest.mark.django_db
def test_cooperation_detail_answers_what_is_documented(client: Client, kazan: Any, sao_paulo: Any) -> None:
    from tests.cooperation.factories import officer_of, published_practice

    coordinator = officer_of(kazan, "coordinator")
    practice = published_practice(sao_paulo)
    client.force_login(coordinator)
    from cityexchange.cooperation import services

    coop = services.cooperation_open(
        actor=coordinator, cities=[kazan, sao_paulo], practice=practice, challenge=None, title="Bus lanes"
    )
    body = client.get(f"/api/v1/cooperation/cooperations/{coop.pk}").json()
    assert set(body["participants"][0]["city"]) == {"id", "name", "country"}
