"""core.hooks: the providers apps register in ready(), and the table in its docstring kept in step with them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured

from cityexchange.core import hooks


@pytest.fixture
def scratch() -> Iterator[str]:
    name = "test.scratch"
    yield name
    hooks._providers.pop(name, None)


def test_nobody_provides_a_name_nobody_registered(scratch: str) -> None:
    assert hooks.provider(scratch) is None and hooks.providers(scratch) == []
    with pytest.raises(ImproperlyConfigured):
        hooks.required(scratch)


def test_a_provider_registered_twice_counts_once(scratch: str) -> None:
    def one() -> int:
        return 1

    hooks.provide(scratch, one)
    hooks.provide(scratch, one)
    assert hooks.provider(scratch) is one and hooks.required(scratch)() == 1


def test_two_providers_are_asked_for_together(scratch: str) -> None:
    def one() -> int:
        return 1

    def two() -> int:
        return 2

    hooks.provide(scratch, one)
    hooks.provide(scratch, two)
    assert [p() for p in hooks.providers(scratch)] == [1, 2]
    with pytest.raises(RuntimeError):
        hooks.provider(scratch)


def test_every_hook_in_the_table_is_provided_by_an_installed_app() -> None:
    listed = set(re.findall(r"^\| `([a-z_.]+)` \|", hooks.__doc__ or "", flags=re.MULTILINE))
    assert len(listed) >= 5
    registered = {name for name in hooks._providers if not name.startswith("test.")}
    assert listed == registered


def test_the_demo_is_loaded_with_indexing_deferred() -> None:
    """`init --demo` wraps the loaders in every `demo.load_context`: the matching app defers per-practice indexing."""
    from cityexchange.matching.receivers import indexing_deferred

    assert hooks.providers("demo.load_context") == [indexing_deferred]
