"""The time zones a user may choose for their account: CLDR's canonical zones (one per place, no legacy aliases such
as "US/Eastern" or "Etc/GMT+5"), named in the reader's language."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

from babel.core import get_global

from cityexchange.core.locale_names import time_zone_name


@lru_cache(maxsize=1)
def choosable() -> frozenset[str]:
    """Canonical zones of a place that this machine's zone database knows, and UTC. CLDR also lists the fixed
    offsets "Etc/GMT+5" …, whose sign is the reverse of what they read like (UTC−5): left out."""
    known = zoneinfo.available_timezones()
    places = {key for key in get_global("zone_territories") if key in known and not key.startswith("Etc/")}
    return frozenset(places | {"UTC"})


@lru_cache(maxsize=32)
def choices(lang: str) -> list[tuple[str, str]]:
    """(IANA key, "name in `lang` (key)") for every choosable zone, ordered by key so that a region's zones stay
    together (America/…, Asia/…)."""
    out = []
    for key in sorted(choosable()):
        name = time_zone_name(key, lang)
        out.append((key, key if name == key else f"{name} ({key})"))
    return out
