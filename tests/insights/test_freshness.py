"""What keeps the insights fast and still correct: suggestions computed in a background task (never in a page
request), a cheap data version that still moves with every change, and a map that groups points at scale."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from cityexchange.insights import maps, selectors, tasks
from cityexchange.insights.models import SuggestionSet
from cityexchange.practices.models import Practice
from cityexchange.practices.services import practice_publish
from tests.insights.factories import ChallengeFactory, PracticeFactory
from tests.registry.factories import MemberCityFactory

pytestmark = pytest.mark.django_db


@dataclass
class FakeResult:
    practice: Practice
    score: float
    shared_sectors: list[str] = field(default_factory=list)


class FakeEngine:
    """Stands in for `recommend_for_challenge`: every published practice of another city, and a call log."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def __call__(self, user: Any, challenge: Any, k: int = 10) -> list[FakeResult]:
        self.calls.append(challenge.pk)
        others = Practice.objects.filter(status="published").exclude(city_id=challenge.city_id)
        return [FakeResult(p, 0.9, ["water"]) for p in others[:k]]


@pytest.fixture
def engine(monkeypatch):
    fake = FakeEngine()
    monkeypatch.setattr(selectors, "recommender", lambda: fake)
    return fake


@pytest.fixture
def need_and_offer(kazan):
    pune = MemberCityFactory(name="Pune", country_id="IN", population=3_000_000)
    shanghai = MemberCityFactory(name="Shanghai", country_id="CN", population=20_000_000)
    ChallengeFactory(city=pune, sectors=["water"], is_public=True)
    PracticeFactory(city=shanghai, sectors=["water"])
    return pune, shanghai


def _suggestions(html: str) -> str:
    return html.split('data-table="suggestions"')[1].split("</table>")[0]


# --- 1. Suggested partnerships: computed by a task, shown by the page.
def test_network_page_never_runs_the_engine(client, need_and_offer, engine):
    html = client.get("/en/insights/network/").content.decode()
    assert engine.calls == []
    # Nothing stored yet: the shared-sectors fallback, labelled as such.
    assert 'data-method="sectors"' in html and 'data-suggestions="fallback"' in html
    assert "Pune" in _suggestions(html) and "Shanghai" in _suggestions(html)
    # With the immediate backend the page must not enqueue either (that would run the engine inline).
    assert not SuggestionSet.objects.exists()


def test_the_task_stores_engine_suggestions_and_the_page_shows_them(client, need_and_offer, engine):
    pune, shanghai = need_and_offer
    result = tasks.refresh_suggestions.enqueue()
    assert result.return_value["public"] == "engine"
    assert len(engine.calls) == 1
    stored = SuggestionSet.objects.get(scope="public")
    assert stored.method == "engine" and stored.version == selectors.suggestions_version()
    assert [(s["a"], s["b"]) for s in stored.suggestions] == [(pune.pk, shanghai.pk)]

    html = client.get("/en/insights/network/").content.decode()
    assert len(engine.calls) == 1  # the page read the stored result
    assert 'data-method="engine"' in html and 'data-suggestions="stored"' in html
    assert "Pune" in _suggestions(html) and "Shanghai" in _suggestions(html)
    assert "being computed" not in html

    # Nothing changed: running the task again computes nothing.
    assert tasks.refresh_suggestions.enqueue().return_value["public"] == "current"
    assert len(engine.calls) == 1


def test_a_pair_linked_since_is_left_out_and_the_refresh_is_announced(client, need_and_offer, engine):
    import datetime as dt

    from tests.insights.coop import cooperation

    pune, shanghai = need_and_offer
    tasks.refresh_suggestions.enqueue()
    cooperation(pune, shanghai, stage="agreement", signed_on=dt.date(2025, 11, 1))
    html = client.get("/en/insights/network/").content.decode()
    assert "Shanghai" not in _suggestions(html)
    assert "new suggestions are being computed" in html
    assert len(engine.calls) == 1


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queued() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path__endswith="refresh_suggestions").count()


def test_a_page_enqueues_a_refresh_with_a_queueing_backend(client, need_and_offer, engine, database_backend):
    assert not tasks.runs_inline()
    client.get("/en/insights/network/")
    client.get("/en/insights/network/")
    assert _queued() == 1 and engine.calls == []  # queued once for a worker, not run


def test_changes_enqueue_the_refresh_once_per_burst(need_and_offer, engine, django_capture_on_commit_callbacks):
    pune, _shanghai = need_and_offer
    with django_capture_on_commit_callbacks(execute=True):
        ChallengeFactory(city=pune, sectors=["water"], is_public=True)
        ChallengeFactory(city=pune, sectors=["water"], is_public=True)
    # Two challenges saved (several signals after commit): one computation over the three open challenges.
    assert len(engine.calls) == 3
    assert SuggestionSet.objects.get(scope="public").version == selectors.suggestions_version()


def test_a_draft_leaves_the_stored_suggestions_current(client, need_and_offer, engine, database_backend):
    _pune, shanghai = need_and_offer
    tasks.refresh_suggestions.call()  # what a worker runs
    PracticeFactory(city=shanghai, sectors=["water"], status=Practice.Status.DRAFT)
    selectors.forget_version()  # as another process would see it once its memo expires
    html = client.get("/en/insights/network/").content.decode()
    assert "being computed" not in html and _queued() == 0  # nothing to recompute: drafts are never suggested
    PracticeFactory(city=shanghai, sectors=["water"])  # a published one is
    selectors.forget_version()
    html = client.get("/en/insights/network/").content.decode()
    assert "being computed" in html and _queued() == 1


def test_schedule_refresh_is_deduplicated_until_the_task_starts(database_backend, engine, settings):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.SUGGESTIONS_REFRESH_INTERVAL = 60
    assert tasks.schedule_refresh() is True
    assert tasks.schedule_refresh() is False
    assert _queued() == 1
    started = timezone.now()
    DBTaskResult.objects.update(status="RUNNING", started_at=started)  # a worker took it
    # A change after the refresh started needs another run: queued, but not before the interval is over.
    assert tasks.schedule_refresh() is True and _queued() == 2
    waiting = DBTaskResult.objects.get(status="READY")
    assert (waiting.run_after - started).total_seconds() == pytest.approx(60, abs=0.01)
    assert waiting.priority < 0  # behind indexing and every other task


# --- 2. The data version: cheap, and still moves with every change.
def test_publishing_a_practice_changes_the_next_request(client, kazan, secretariat, django_assert_num_queries):
    practice = PracticeFactory(city=kazan, sectors=["water"], status="submitted")

    def water() -> str:
        html = client.get("/en/insights/").content.decode()
        table = html.split('data-figure-table="practices-by-sector"')[1].split("</table>")[0]
        return re.search(r"Water</t[dh]>\s*<td[^>]*>([\d,]+)<", table).group(1)

    assert water() == "0"
    assert water() == "0"  # warm: served from the cache
    practice_publish(actor=secretariat, practice=practice)
    assert water() == "1"


def test_the_version_is_memoised_and_moved_by_signals(kazan, monkeypatch, django_assert_num_queries):
    now = [1000.0]
    monkeypatch.setattr(selectors, "_clock", lambda: now[0])
    selectors.forget_version()
    first = selectors.data_version()
    with django_assert_num_queries(0):
        assert selectors.data_version() == first  # memoised: no query
    # A write without any signal (QuerySet.update) is seen once the memo expires.
    practice = PracticeFactory(city=kazan)
    second = selectors.data_version()
    assert second != first  # the save's post_save cleared the memo at once
    Practice.objects.filter(pk=practice.pk).update(title="Changed quietly", updated_at="2099-01-01T00:00Z")
    assert selectors.data_version() == second
    now[0] += selectors.VERSION_MEMO_SECONDS
    third = selectors.data_version()
    assert third != second
    # Another process's change arrives as a bump of the shared counter.
    selectors.bump_version()
    assert selectors.data_version() != third


def test_updated_at_is_indexed():
    from cityexchange.challenges.models import Challenge

    for model in (Practice, Challenge):
        assert ["updated_at"] in [list(index.fields) for index in model._meta.indexes], model


# --- 3. The map at scale: grouped points, the table and the country zoom open a city.
def test_many_cities_are_drawn_as_paths_per_class(client, kazan, sao_paulo, monkeypatch):
    monkeypatch.setattr(maps, "MAX_LINKED_POINTS", 1)
    extra = MemberCityFactory(name="Campinas", country_id="RU", population=1_000_000)
    html = client.get("/en/insights/map/?layers=1&layer=cities").content.decode()
    svg = html.split("<svg")[1].split("</svg>")[0]
    assert "data-city-id" not in svg and 'class="city"' not in svg
    counts = [int(n) for n in re.findall(r'class="points"[^>]*data-count="(\d+)"', svg)]
    assert sum(counts) == 3 and svg.count("<path") - svg.count('data-iso2="') == len(counts)
    for city in (kazan, sao_paulo, extra):  # the table keeps a link to each city
        assert f'href="/en/cities/{city.pk}/"' in html.split('id="map-table"')[1]
    # Zoomed to Brazil (one city in view): its point is a link again.
    zoomed = client.get("/en/insights/map/?country=BR&layers=1&layer=cities").content.decode()
    assert f'data-city-id="{sao_paulo.pk}"' in zoomed and f'href="/en/cities/{sao_paulo.pk}/"' in zoomed
    assert f'data-city-id="{kazan.pk}"' not in zoomed


def test_practice_rings_are_grouped_too(client, kazan, sao_paulo, monkeypatch):
    monkeypatch.setattr(maps, "MAX_LINKED_POINTS", 1)
    PracticeFactory(city=kazan)
    PracticeFactory(city=sao_paulo)
    html = client.get("/en/insights/map/?layers=1&layer=practices").content.decode()
    layer = html.split('class="layer layer-practices"')[1].split("</g>")[0]
    assert "<circle" not in layer and layer.count('class="rings"') >= 1
    assert sum(p.count("M") for p in re.findall(r' d="([^"]+)"', layer)) == 2  # one ring per city
