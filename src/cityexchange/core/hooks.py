"""Optional links between apps, without an import against the flow.

An app that offers something registers a provider under a name in its `AppConfig.ready()`; an app below it (or one
that works without it) asks core for that name. Neither imports the other, and when nobody provides the name the
asker gets its default. The names in use, who provides them and who asks:

| name | provided by | asked by | the provider |
| --- | --- | --- | --- |
| `api.token_user` | accounts | core.api_support | `(token: str) -> User | None` |
| `site.association` | registry | core.context_processors | `() -> Association | None` |
| `accounts.city` | registry | accounts (team page, invitations) | `(city_id) -> City`, `NotFound` if none |
| `accounts.member_cities` | registry | accounts (city roles page) | `() -> active member cities by name` |
| `city.name_in` | registry | core's `city_name` filter | `(city, lang) -> (name, its language code)` |
| `demo.load_context` | matching | core `init --demo` | `() -> context manager` wrapped around the demo loaders |
| `registry.admission_vote` | governance | registry.selectors | `(city_id: int) -> Vote | None` |
| `practices.city_challenges` | challenges | practices.selectors (the city dashboard) | `(user, city) -> challenges` |
| `content.translation_ask` | desk | practices, challenges (detail) | `(user, item, code, current) -> AskState | None` |
| `practices.search` | matching | practices (the library's box, its API) | `() -> LibrarySearch` (`matching.library`) |
| `cooperation.meeting_organiser` | forum | cooperation.services | `(user, meeting) -> bool` |

Apps plainly import the apps below them (docs/development.md, "Which app may import which"); a hook is for the
other direction: `provider(name)` (None when nobody provides it) for a link the asker can do without,
`required(name)` for one it cannot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_providers: dict[str, list[Callable[..., Any]]] = {}


def provide(name: str, provider: Callable[..., Any]) -> None:
    """Register `provider` under `name` (from the providing app's `AppConfig.ready()`); registering the same
    function twice is a no-op, so a second `ready()` (tests, reloads) adds nothing."""
    found = _providers.setdefault(name, [])
    if provider not in found:
        found.append(provider)


def providers(name: str) -> list[Callable[..., Any]]:
    """Every provider of `name`, in the order of registration (INSTALLED_APPS order)."""
    return list(_providers.get(name, ()))


def required(name: str) -> Callable[..., Any]:
    """The one provider of `name` where the asking app cannot work without it (the app providing it is always
    installed, only above the asker)."""
    found = provider(name)
    if found is None:
        raise ImproperlyConfigured(f"no installed app provides the hook {name!r}")
    return found


def provider(name: str) -> Callable[..., Any] | None:
    """The one provider of `name`, or None when no installed app provides it."""
    found = _providers.get(name)
    if not found:
        return None
    if len(found) > 1:
        raise RuntimeError(f"hook {name!r} has {len(found)} providers; ask for providers({name!r})")
    return found[0]
