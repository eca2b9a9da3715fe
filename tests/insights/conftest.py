from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Figures are cached by data version; each test starts from an empty cache so none sees another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
