"""The practice library's search, offered to the practices app as the `practices.search` hook: the library's box
and its API run the engine and the filter set of the search page, while practices (below matching) imports none
of it."""

from __future__ import annotations

from . import search
from .filters import is_filtered, practice_filters


class LibrarySearch:
    """What the library asks of the engine: validated filters from request parameters, the ranked results, their
    split into strong and possible matches, and whether any filter beyond the words is set."""

    filters = staticmethod(practice_filters)
    find = staticmethod(search.find)
    strong_and_possible = staticmethod(search.strong_and_possible)
    is_filtered = staticmethod(is_filtered)
