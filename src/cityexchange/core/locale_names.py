"""Names of countries and languages in the active UI language, from babel's CLDR data (offline)."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils.translation import get_language, to_locale


@lru_cache(maxsize=32)
def _locale(lang: str) -> Locale | None:
    try:
        return Locale.parse(to_locale(lang))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(lang.split("-")[0])
        except (UnknownLocaleError, ValueError):
            return None


def content_code(ui_language: str | None) -> str:
    """The content language code a reader of this interface language reads ("pt-br" → "pt", "zh-hans" → "zh")."""
    return (ui_language or settings.LANGUAGE_CODE).split("-")[0].lower()


def country_name(iso2: str, fallback: str, lang: str | None = None) -> str:
    locale = _locale(lang or get_language() or "en")
    if locale is None:
        return fallback
    return locale.territories.get(iso2.upper(), fallback)


def language_name(code: str, lang: str | None = None) -> str:
    locale = _locale(lang or get_language() or "en")
    if locale is None:
        return code
    return locale.languages.get(code, code)


def time_zone_name(key: str, lang: str | None = None) -> str:
    """The zone's generic name in the active UI language ('Moscow Time', 'Horário de Moscou'), from CLDR; the IANA
    name itself when CLDR has none."""
    import zoneinfo

    from babel.dates import get_timezone_location

    locale = _locale(lang or get_language() or "en")
    try:
        zone = zoneinfo.ZoneInfo(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return key
    if locale is None:
        return key
    name = _cldr_zone_name(key, locale)
    if name:
        return name
    try:
        return str(get_timezone_location(zone, locale=locale)) or key
    except (LookupError, ValueError):
        return key


def _cldr_zone_name(key: str, locale: Locale) -> str:
    """CLDR's long name of the zone: the generic one, else the standard one. Babel's own lookup, asked for a name
    its locale has only in the standard form, falls back to a region format that reads wrongly: "неизвестный регион
    (UTC), летнее время" for UTC in Russian, "Индия, летнее время" (summer time) for India, which has none."""
    from babel.core import get_global

    canonical = get_global("zone_aliases").get(key, key)
    if canonical == "Etc/UTC":  # known everywhere by its short name ("UTC"; Arabic has its own)
        short = locale.time_zones.get(canonical, {}).get("short", {}).get("standard")
        if short:
            return str(short)
    own = locale.time_zones.get(canonical, {}).get("long", {})
    meta = get_global("meta_zones").get(canonical)
    shared = locale.meta_zones.get(meta, {}).get("long", {}) if meta else {}
    for variant in ("generic", "standard"):
        for names in (own, shared):
            name = names.get(variant)
            if name and name != "∅∅∅":  # CLDR's "no inheritance" marker
                return str(name)
    return ""
