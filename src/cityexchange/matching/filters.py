"""The practice filters, declared once for every place that finds practices.

The practice library, the search page and the search API read the same parameters (`PARAMS`), validate them
with the same rules (`practices.selectors.validate_filters`: an unknown value is an error naming the filter,
never a silently empty or widened list) and hand the same facets to the search index (`ENGINE_FACETS`). The
library's browse mode (no query) applies the same values in SQL (`practices.selectors.practice_list`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from cityexchange.core.errors import InvalidInput
from cityexchange.practices.selectors import PracticeFilters, validate_filters

# A query longer than this is not a search any more; the model reads about 512 tokens anyway.
MAX_QUERY_LENGTH = 300

# parameter → (facet of the search index, how its value is stored there). Same names as PracticeFilters.
ENGINE_FACETS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "sector": ("sectors", str),
    "country": ("country", str),
    "maturity": ("maturity", str),
    "sdg": ("sdgs", int),
    "language": ("language", str),
    "cost_band": ("cost_band", str),
    "city": ("city_id", int),
}
PARAMS = ("q", *ENGINE_FACETS)


def practice_filters(data: Mapping[str, Any]) -> PracticeFilters:
    """The query and filters from a query string, form data or API parameters, validated. Raises InvalidInput
    naming the first bad parameter."""
    q = str(data.get("q") or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise InvalidInput(
            _("The search text is too long (%(n)s characters at most).") % {"n": MAX_QUERY_LENGTH}, field="q"
        )
    values = {name: "" if data.get(name) is None else str(data.get(name)).strip() for name in ENGINE_FACETS}
    filters = validate_filters(PracticeFilters(**values))
    filters.q = q  # checked above: the library's keyword limit does not apply to a search by meaning
    return filters


def engine_filters(filters: PracticeFilters) -> dict[str, Any]:
    """The facets the search index filters on, for the filters that are set."""
    out: dict[str, Any] = {}
    for name, (facet, convert) in ENGINE_FACETS.items():
        value = getattr(filters, name)
        if value not in (None, ""):
            out[facet] = convert(value)
    return out


def is_filtered(filters: PracticeFilters) -> bool:
    return any(getattr(filters, name) not in (None, "") for name in ENGINE_FACETS)
