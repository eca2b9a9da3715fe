"""Fixtures shared by every app's tests: reference data, cities, members and people in each role."""

from __future__ import annotations

import os
import secrets
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
# Tests run tasks inline unless they ask for the queue (processes the tests start inherit this too). The settings
# are already loaded when this file is read, so pytest_configure applies it to them.
os.environ.setdefault("TASKS_BACKEND", "immediate")


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Hashing strength is not under test; MD5 keeps user creation fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _use_task_backend(settings, os.environ["TASKS_BACKEND"])
    # Parallel workers each get their own Redis database: a test that clears the cache must not wipe the
    # sessions of a test running in another worker.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if settings.REDIS_URL and worker.startswith("gw"):
        base = settings.REDIS_URL.rsplit("/", 1)[0] if settings.REDIS_URL.count("/") > 2 else settings.REDIS_URL
        settings.CACHES["default"]["LOCATION"] = f"{base}/{1 + int(worker[2:])}"
    # The suite runs many searches: rate limits stay off (also in the processes tests start); the rate limit
    # tests turn them on for themselves.
    settings.RATE_LIMITS_ENABLED = False
    os.environ["RATE_LIMITS_ENABLED"] = "false"
    # With DEBUG off a server refuses the public development key (core.secret_key); the app servers some tests
    # start (gunicorn, DEBUG off) get a key of their own, shared with this process so sessions read alike.
    if settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY:
        settings.SECRET_KEY = os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)


def _use_task_backend(settings: Any, name: str) -> None:
    from django.core.signals import setting_changed

    from cityexchange.settings import TASK_BACKENDS

    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS[name]}}
    # Backends already built while the apps loaded (with the settings' default) are dropped.
    setting_changed.send(sender=type(settings), setting="TASKS", value=settings.TASKS, enter=True)


@pytest.fixture
def reference(db: Any) -> None:
    """Association, bloc statuses, sectors, languages and every country (no cities: tests make their own)."""
    from cityexchange.registry.reference import LoadReport, load_countries, load_taxonomies

    report = LoadReport()
    load_taxonomies(report)
    load_countries(report)


@pytest.fixture
def secretariat(reference: None) -> Any:
    from tests.registry.factories import UserFactory

    return UserFactory(is_secretariat=True, display_name="Secretariat")


@pytest.fixture
def kazan(reference: None) -> Any:
    from tests.registry.factories import MemberCityFactory

    return MemberCityFactory(
        name="Kazan",
        country_id="RU",
        population=1_243_500,
        latitude=55.79,
        longitude=49.12,
        alternate_names=["Казань", "喀山", "Qazan", "قازان", "काज़ान"],
        timezone="Europe/Moscow",
    )


@pytest.fixture
def sao_paulo(reference: None) -> Any:
    from tests.registry.factories import MemberCityFactory

    return MemberCityFactory(
        name="São Paulo",
        country_id="BR",
        population=10_021_295,
        latitude=-23.55,
        longitude=-46.63,
        alternate_names=["Сан-Паулу", "圣保罗"],
        timezone="America/Sao_Paulo",
    )


@pytest.fixture
def kazan_coordinator(kazan: Any) -> Any:
    from tests.registry.factories import CityRoleFactory

    return CityRoleFactory(city=kazan, role="coordinator").user


@pytest.fixture
def kazan_officer(kazan: Any) -> Any:
    from tests.registry.factories import CityRoleFactory

    return CityRoleFactory(city=kazan, role="officer").user


@pytest.fixture
def sao_paulo_coordinator(sao_paulo: Any) -> Any:
    from tests.registry.factories import CityRoleFactory

    return CityRoleFactory(city=sao_paulo, role="coordinator").user


@pytest.fixture(autouse=True)
def _fresh_search_index() -> Any:
    """The search index is process-wide; each test starts from its own database's rows."""
    from cityexchange.matching import store

    store.reset()
    yield
    store.reset()


@pytest.fixture(autouse=True)
def _english_between_tests() -> Any:
    """Each test starts in the default language: a request or a service that activates the reader's language
    (e-mails in the recipient's language, a page in Russian) must not leak it into the next test of the process."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
