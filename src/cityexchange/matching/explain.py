"""Human words for the engine's reasons (peers.Reason codes), in the active UI language.

Nothing here shows an internal score: a reader gets what was compared and how it came out ("similar size:
1.3 million people"), never a percentage of a weight.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityexchange.core import locale_format
from cityexchange.practices.models import Practice
from cityexchange.registry.models import Sector

from . import peers

BAND_NAMES = {
    "tropical": gettext_lazy("tropical"),
    "subtropical": gettext_lazy("subtropical"),
    "temperate": gettext_lazy("temperate"),
    "boreal": gettext_lazy("cold (boreal)"),
    "polar": gettext_lazy("polar"),
}


def people(n: int | float | None) -> str:
    """ "1.3 million people", "85,000 people"."""
    if not n:
        return ""
    number = locale_format.compact(n) if n >= 1_000_000 else locale_format.number(int(n))
    return _("%(number)s people") % {"number": number}


def band_name(band: str | None) -> str:
    return str(BAND_NAMES.get(band or "", band or ""))


def sector_names(codes: Iterable[str]) -> list[str]:
    """Sector names in the reader's language, in the association's order."""
    codes = list(codes)
    if not codes:
        return []
    return [s.label for s in Sector.objects.filter(code__in=codes)]


def reason_text(reason: peers.Reason) -> str:
    p = dict(reason.params)
    population = people(p.get("population"))
    band = band_name(p.get("band"))
    if reason.code == "similar_size":
        return _("similar size: %(people)s") % {"people": population} if population else _("similar size")
    if reason.code == "same_climate_band":
        return _("same climate zone: %(zone)s") % {"zone": band} if band else _("same climate zone")
    if reason.code == "climate_matches":
        return _("proven in a climate like yours (%(zone)s)") % {"zone": band}
    if reason.code == "climate_differs":
        return _("proven in another climate than yours (%(zone)s)") % {"zone": band}
    if reason.code == "shared_sectors":
        names = sector_names(p.get("sectors") or [])
        return (
            _("works in the same sectors: %(sectors)s") % {"sectors": ", ".join(names)}
            if names
            else _("shared sectors")
        )
    if reason.code == "same_country":
        return _("same country")
    if reason.code == "size_in_range":
        return _("your city's size (%(people)s) is within the sizes it worked for") % {"people": population}
    if reason.code == "size_out_of_range":
        return _("your city's size (%(people)s) is outside the sizes it worked for") % {"people": population}
    if reason.code == "within_budget":
        return _("within your budget")
    if reason.code == "over_budget":
        return _("over your budget")
    if reason.code == "country_allowed":
        return _("the legal framework it needs exists in your country")
    if reason.code == "country_not_covered":
        return _("it relies on a legal framework your country does not have")
    return reason.code.replace("_", " ")


def score_text(score: peers.Score | None) -> str:
    """The reasons in one line; a score without reasons in favour says the cities have little in common."""
    if score is None:
        return ""
    if not score.reasons:
        return _("little in common (size, climate, sectors and country differ)")
    return "; ".join(reason_text(r) for r in score.reasons)


def population_range(practice: Practice) -> str:
    low, high = practice.min_population, practice.max_population
    if low and high:
        return _("cities of %(low)s to %(high)s") % {"low": people(low), "high": people(high)}
    if low:
        return _("cities of at least %(low)s") % {"low": people(low)}
    if high:
        return _("cities of up to %(high)s") % {"high": people(high)}
    return ""
