from __future__ import annotations

import pytest

from cityexchange.registry.models import City, CityName, Country
from cityexchange.registry.reference import LoadReport, load_cities, load_countries, load_taxonomies

pytestmark = pytest.mark.django_db


def test_loading_twice_changes_nothing():
    first = LoadReport()
    load_taxonomies(first)
    load_countries(first)
    load_cities(first, {"CU", "BO"})
    counts = (Country.objects.count(), City.objects.count(), CityName.objects.count())
    assert counts[1] == first.created["city"] > 20
    second = LoadReport()
    load_taxonomies(second)
    load_countries(second)
    load_cities(second, {"CU", "BO"})
    assert not second.changed, (second.created, second.updated)
    assert (Country.objects.count(), City.objects.count(), CityName.objects.count()) == counts


def test_real_data_has_havana_with_its_names_and_bloc_status():
    report = LoadReport()
    load_taxonomies(report)
    load_countries(report)
    load_cities(report, {"CU"})
    havana = City.objects.get(name="Havana")
    assert havana.population > 2_000_000 and havana.timezone == "America/Havana"
    assert Country.objects.get(iso2="CU").bloc_status.code == "partner"
    assert Country.objects.get(iso2="RU").bloc_status.code == "member"
    assert Country.objects.get(iso2="FR").bloc_status.code == "other"
    assert CityName.objects.filter(city=havana, key="гавана").exists()


def test_reload_keeps_status_set_by_secretariat():
    from cityexchange.registry.models import BlocStatus

    report = LoadReport()
    load_taxonomies(report)
    load_countries(report)
    Country.objects.filter(iso2="FR").update(bloc_status=BlocStatus.objects.get(code="partner"))
    load_countries(LoadReport())
    assert Country.objects.get(iso2="FR").bloc_status.code == "partner"
