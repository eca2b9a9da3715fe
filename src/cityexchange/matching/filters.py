"""The practice filters of a search: the practice library's declaration (practices.filters), searched by meaning.

The practice library's box, the search page and the search API read the same parameters with the same checks (an
unknown value is an error naming the filter, never a silently empty or widened list) and hand the same facets to
the search index (`ENGINE_FACETS`). The library's browse mode (no query) applies the same values in SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from cityexchange.core.filtering import Search
from cityexchange.practices.filters import PracticeFilters

# A query longer than this is not a search any more; the model reads about 512 tokens anyway.
MAX_QUERY_LENGTH = 300

# parameter → (facet of the search index, how its value is stored there). Names of PracticeFilters.
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


class PracticeSearchFilters(PracticeFilters):
    """A search ranks by relevance (no sort) over published practices (no status), and reads longer queries: the
    library's keyword limit does not apply to a search by meaning."""

    q = Search(
        method="search",
        label=_("Search in any language"),
        longest=MAX_QUERY_LENGTH,
        message=_("The search text is too long (%(n)s characters at most)."),
    )
    status = None  # type: ignore[assignment]
    sort = None  # type: ignore[assignment]
    labels = {"language": _("Written in")}


def practice_filters(data: Mapping[str, Any]) -> PracticeSearchFilters:
    """The query and filters from a query string, form data or API parameters, validated. Raises InvalidInput
    naming the first bad parameter."""
    filters = PracticeSearchFilters({name: data.get(name) for name in PARAMS})
    filters.check()
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
    return filters.is_set(*ENGINE_FACETS)
