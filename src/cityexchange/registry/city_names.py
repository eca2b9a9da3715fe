"""Names of cities in the reader's language: CLDR's exemplar cities of time zones (through Babel) and the files in
`data/city_names/` (GeoNames alternate names chosen per language; see the README there)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from django.conf import settings

from cityexchange.core.text import fold

FILES = Path(__file__).parent / "data" / "city_names"
# UI languages written in Latin letters: a city's GeoNames name (in Latin letters) reads as their own.
LATIN_SCRIPT = {"en", "es", "pt", "id", "vi", "fr", "de", "it", "tr", "ms"}


def name_languages() -> list[str]:
    """The base codes of the UI languages other than English: the languages a city is named in."""
    return sorted({code.split("-")[0] for code, _name in settings.LANGUAGES} - {"en"})


@lru_cache(maxsize=1)
def file_names() -> dict[int, dict[str, str]]:
    """{geonames_id: {lang: name}} from every file."""
    names: dict[int, dict[str, str]] = {}
    for path in sorted(FILES.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            geonames_id, name, *_rest = line.split("\t")
            names.setdefault(int(geonames_id), {})[path.stem] = name.strip()
    return names


@lru_cache(maxsize=64)
def _zone_cities(lang: str) -> dict[str, str]:
    try:
        return {zone: data["city"] for zone, data in Locale.parse(lang).time_zones.items() if data.get("city")}
    except (ValueError, LookupError):
        return {}


def exemplar_city(zone: str) -> str:
    """The English exemplar city of a zone: CLDR's, else the zone id's last part ('Asia/Kolkata' → 'Kolkata')."""
    return _zone_cities("en").get(zone) or zone.rsplit("/", 1)[-1].replace("_", " ")


def cldr_names(name: str, zone: str) -> dict[str, str]:
    """The city's names from CLDR when it is the exemplar city of its own time zone; {} otherwise."""
    if not zone or fold(exemplar_city(zone)) != fold(name):
        return {}
    found = {}
    for lang in name_languages():
        local = _zone_cities(lang).get(zone)
        if local and local != name:
            found[lang] = local
    return found


def local_names(geonames_id: int, name: str, zone: str) -> dict[str, str]:
    """All the names a city has in the UI languages (a file's name wins over CLDR's)."""
    return cldr_names(name, zone) | file_names().get(geonames_id, {})


def name_in(city: Any, lang: str) -> tuple[str, str]:
    """(name, its language code) of a city for a reader of `lang`: the name in that language where there is one,
    else the GeoNames name, which is in Latin letters (so in the reader's language only for Latin-script UIs)."""
    return pick_name(city.name, getattr(city, "local_names", None) or {}, lang)


def pick_name(name: str, names: dict[str, str], lang: str) -> tuple[str, str]:
    """`name_in` for a city given as its GeoNames name and its names by language."""
    base = lang.lower().split("-")[0]
    if names.get(base):
        return names[base], lang
    return name, lang if base in LATIN_SCRIPT else "en"
