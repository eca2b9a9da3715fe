"""Filter sets declared once (core.filtering): each list's page and API read one declaration, so a bad value gets
the same message naming the same field on both (422 on each), and the API's parameters come from it."""

from __future__ import annotations

import html

import pytest

from cityexchange.core.errors import InvalidInput
from cityexchange.core.filtering import query_schema
from cityexchange.practices.filters import PracticeFilters
from cityexchange.registry.filters import DirectoryFilters

pytestmark = pytest.mark.django_db

LISTS = [
    ("/en/practices/", "/api/v1/practices/", {"sdg": "40"}, "sdg"),
    ("/en/challenges/", "/api/v1/challenges/", {"status": "lost"}, "status"),
    ("/en/cities/", "/api/v1/cities", {"population": "huge"}, "population"),
    ("/en/cooperation/register/", "/api/v1/cooperation/register", {"kind": "bogus"}, "kind"),
    ("/en/matching/", "/api/v1/matching/search", {"q": "buses", "maturity": "legendary"}, "maturity"),
]


@pytest.mark.parametrize(("page", "api", "params", "field"), LISTS, ids=[p[0] for p in LISTS])
def test_page_and_api_refuse_a_bad_value_alike(client, reference, page, api, params, field):
    answer = client.get(api, params)
    assert answer.status_code == 422 and answer.json()["field"] == field
    shown = client.get(page, params)
    assert shown.status_code == 422 and answer.json()["detail"] in html.unescape(shown.content.decode())


def test_keywords_query_strings_and_api_parameters_build_the_same_filters(reference):
    from django.http import QueryDict

    by_keywords = PracticeFilters(country="br", sdg=6)
    by_query = PracticeFilters(QueryDict("country=br&sdg=6"))
    by_api = PracticeFilters(query_schema(PracticeFilters)(country="br", sdg=6))
    assert by_keywords.country == by_query.country == by_api.country == "BR"  # normalised alike
    assert by_keywords.sdg == by_query.sdg == by_api.sdg == "6" and by_api.sort == "newest"  # declared default
    with pytest.raises(TypeError):
        PracticeFilters(colour="red")  # not a declared filter


def test_first_bad_value_is_named_and_unset_values_do_not_filter(reference):
    with pytest.raises(InvalidInput) as refused:
        DirectoryFilters(membership="gold").check()
    assert refused.value.field == "membership" and "gold" in refused.value.message
    assert DirectoryFilters().membership == "members" and not DirectoryFilters().is_set("country", "population")


def test_api_parameters_keep_their_declared_types():
    schema = query_schema(PracticeFilters).model_json_schema()["properties"]
    assert {"integer", "null"} <= {t["type"] for t in schema["sdg"]["anyOf"]}
    assert schema["sort"]["enum"] == ["newest", "oldest", "title", "city", "updated"]
    assert query_schema(DirectoryFilters, membership="all")().membership == "all"  # the API's own default


def test_a_select_reads_its_choices_once_per_form_and_again_for_the_next(reference):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    def sector_queries(language: str) -> tuple[int, str]:
        with translation.override(language), CaptureQueriesContext(connection) as queries:
            rendered = str(PracticeFilters({}).form["sector"])
        return sum('FROM "registry_sector"' in q["sql"] for q in queries.captured_queries), rendered

    count, english = sector_queries("en")
    assert count == 1 and "<option" in english  # rendering reads them twice: required attribute, then options
    count, russian = sector_queries("ru")
    assert count == 1 and russian != english  # a new form reads them again, in its reader's language
