"""Figures from known factory data: exact numbers, and nothing private in the public scope."""

from __future__ import annotations

import datetime as dt

import pytest

from cityexchange.core.errors import InvalidInput, PermissionDenied
from cityexchange.insights import selectors
from cityexchange.registry.models import Membership
from tests.insights.factories import ChallengeFactory, PracticeFactory
from tests.registry.factories import MemberCityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(kazan, sao_paulo):
    """Kazan (RU, 2025) and São Paulo (BR, 2025) members; Minsk joined 2023 and left 2024; Pune suspended."""
    minsk = MemberCityFactory(name="Minsk", country_id="BY", population=2_000_000, membership="ended")
    Membership.objects.filter(city=minsk).update(since=dt.date(2023, 3, 1), ended_on=dt.date(2024, 6, 1))
    pune = MemberCityFactory(name="Pune", country_id="IN", population=3_000_000, membership="suspended")
    PracticeFactory(city=kazan, sectors=["transportation", "digital-government"], language_id="ru", maturity="scaled")
    PracticeFactory(city=kazan, sectors=["water"], language_id="ru")
    PracticeFactory(city=sao_paulo, sectors=["transportation"], language_id="pt")
    PracticeFactory(city=sao_paulo, status="draft", sectors=["water"], language_id="pt", maturity="idea")
    PracticeFactory(city=pune, status="submitted", sectors=["water"], language_id="hi")
    ChallengeFactory(city=kazan, status="open")
    ChallengeFactory(city=kazan, status="solved")
    ChallengeFactory(city=sao_paulo, status="open", is_public=False)  # members only
    return {"kazan": kazan, "sao_paulo": sao_paulo, "minsk": minsk, "pune": pune}


def test_members_over_time(data):
    fig = selectors.members_over_time()
    by_year = {r.label: r.values for r in fig.rows}
    assert next(iter(by_year)) == "2023"
    assert by_year["2023"] == (1, 1, 2_000_000)  # Minsk only
    assert by_year["2024"] == (0, 0, 0)  # Minsk left in June 2024
    this_year = str(dt.date.today().year)
    # Kazan, São Paulo and the suspended Pune; Minsk has left.
    assert by_year[this_year] == (3, 3, 1_243_500 + 10_021_295 + 3_000_000)


def test_members_over_time_until_a_year(data):
    fig = selectors.members_over_time(year=2023)
    assert [(r.label, r.values[0]) for r in fig.rows] == [("2023", 1)]


def test_population_counts_active_members(data):
    fig = selectors.population_governed()
    assert fig.value("member-cities") == 2
    assert fig.value("member-countries") == 2
    assert fig.value("population-governed") == 11_264_795
    world = fig.value("world-population")
    assert world > 7_000_000_000
    assert fig.value("world-share-percent") == round(100 * 11_264_795 / world, 3)


def test_public_practice_figures_count_published_only(data):
    figs = selectors.all_figures(None, selectors.PUBLIC)
    sector = figs["practices-by-sector"]
    assert sector.value("transportation") == 2
    assert sector.value("digital-government") == 1
    assert sector.value("water") == 1  # the draft and the submitted one are not counted
    assert figs["practices-by-country"].value("RU") == 2
    assert figs["practices-by-country"].value("BR") == 1
    assert figs["practices-by-country"].value("IN") == 0
    maturity = figs["practices-by-maturity"]
    assert (maturity.value("scaled"), maturity.value("pilot"), maturity.value("idea")) == (1, 2, 0)
    languages = figs["practices-by-language"]
    assert (languages.value("ru"), languages.value("pt"), languages.value("hi")) == (2, 1, 0)
    assert languages.rows[0].label.startswith("Русский")


def test_public_challenges_count_public_only(data):
    fig = selectors.all_figures(None, selectors.PUBLIC)["challenges-by-status"]
    assert (fig.value("open"), fig.value("solved"), fig.value("in_progress")) == (1, 1, 0)


def test_secretariat_scope_counts_everything(data, secretariat):
    figs = selectors.all_figures(secretariat, selectors.ALL)
    assert figs["practices-by-sector"].value("water") == 3
    assert figs["practices-by-language"].value("hi") == 1
    assert figs["challenges-by-status"].value("open") == 2


def test_only_the_secretariat_may_ask_for_everything(data, kazan_coordinator, secretariat):
    assert selectors.resolve_scope(secretariat, "all") == "all"
    with pytest.raises(PermissionDenied):
        selectors.resolve_scope(kazan_coordinator, "all")
    with pytest.raises(PermissionDenied):
        selectors.resolve_scope(UserFactory(), "all")
    with pytest.raises(InvalidInput):
        selectors.resolve_scope(secretariat, "everything")


def test_figures_follow_the_data(data):
    before = selectors.all_figures(None)["practices-by-sector"].value("water")
    PracticeFactory(city=data["kazan"], sectors=["water"])
    assert selectors.all_figures(None)["practices-by-sector"].value("water") == before + 1


def test_year_filter_and_bad_year(data):
    assert selectors.parse_year("") is None
    assert selectors.parse_year("2024") == 2024
    for bad in ("1800", "abc", "99999999999999999999", str(dt.date.today().year + 1)):
        with pytest.raises(InvalidInput):
            selectors.parse_year(bad)
    # Nothing existed at the end of 2020.
    figs = selectors.all_figures(None, year=2020)
    assert figs["practices-by-sector"].total() == 0
    assert figs["members-over-time"].rows == ()


def test_cooperation_figures_degrade_when_unavailable(data):
    figs = selectors.all_figures(None)
    for slug in ("cooperation-funnel", "agreements-signed"):
        fig = figs[slug]
        assert fig.slug == slug
        if not fig.available:
            assert fig.note and fig.rows == ()
