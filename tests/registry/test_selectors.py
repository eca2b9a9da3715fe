from __future__ import annotations

import pytest

from cityexchange.core.errors import InvalidInput
from cityexchange.registry import selectors
from cityexchange.registry.models import Country
from tests.registry.factories import CityFactory, MemberCityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["Kazan", "kazan", "КАЗАНЬ", "Казань", "喀山", "قازان", "काज़ान", "Kaz"])
def test_name_search_in_any_script(kazan, query):
    CityFactory(name="Kazanka", country_id="UA", population=5_000)
    ids = selectors.search_city_ids(query)
    assert ids and ids[0] == kazan.pk


def test_same_name_in_two_countries_both_found_exact_first_by_population(reference):
    small = CityFactory(name="Alexandria", country_id="RO", population=45_000)
    big = CityFactory(name="Alexandria", country_id="EG", population=3_800_000)
    prefix_only = CityFactory(name="Alexandria Heights", country_id="RU", population=9_000_000)
    ids = selectors.search_city_ids("Alexandria")
    assert ids[:2] == [big.pk, small.pk]
    assert prefix_only.pk in ids[2:]


def test_figures_are_computed_from_members(reference):
    a = MemberCityFactory(country_id="RU", population=1_000_000)
    MemberCityFactory(country_id="BR", population=2_000_000)
    MemberCityFactory(country_id="BR", population=500_000, membership="suspended")
    CityFactory(country_id="CN", population=9_000_000)  # not a member
    f = selectors.association_figures()
    world = sum(Country.objects.values_list("population", flat=True))
    assert (f.member_cities, f.member_countries, f.population_governed) == (2, 2, 3_000_000)
    assert f.world_population == world > 7_000_000_000
    assert f.world_share_percent == pytest.approx(100 * 3_000_000 / world)
    assert a.pk  # factories created rows


def test_directory_filters(reference):
    ru = MemberCityFactory(country_id="RU", population=150_000)
    br = MemberCityFactory(country_id="BR", population=6_000_000)
    ended = MemberCityFactory(country_id="RU", membership="ended")
    CityFactory(country_id="RU")
    assert set(selectors.directory(selectors.DirectoryFilters())) == {ru, br}
    assert list(selectors.directory(selectors.DirectoryFilters(country="br"))) == [br]
    assert list(selectors.directory(selectors.DirectoryFilters(population="gt5m"))) == [br]
    assert list(selectors.directory(selectors.DirectoryFilters(membership="ended"))) == [ended]
    assert selectors.directory(selectors.DirectoryFilters(membership="all")).count() == 4
    assert set(selectors.directory(selectors.DirectoryFilters(bloc_status="member"))) == {ru, br}


@pytest.mark.parametrize(
    ("field", "value"),
    [("country", "XX"), ("bloc_status", "nope"), ("membership", "gold"), ("population", "huge")],
)
def test_unknown_filter_values_name_the_filter(reference, field, value):
    with pytest.raises(InvalidInput) as err:
        selectors.directory(selectors.DirectoryFilters(**{field: value}))
    assert err.value.field == field
