"""The association's figures, computed from the data with visibility applied.

A figure is plain data (a title, column headers and rows) that the charts draw, the CSV export writes and the API
returns, so the three can never disagree. Public figures read through the other apps' selectors as an anonymous
visitor sees them (published practices, public challenges, the public register); the secretariat's scope reads
what the secretariat sees.

Figures are cached per scope, language and *data version*: a few cheap aggregates (row counts and the latest
`updated_at` of the tables the figures read). Any change of state through a service touches `updated_at` or a
count, so a new version is computed on the next request; the TTL only bounds memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cityexchange.accounts.permissions import is_secretariat
from cityexchange.challenges.models import Challenge
from cityexchange.challenges.selectors import challenges_visible_to
from cityexchange.core.errors import InvalidInput, PermissionDenied
from cityexchange.core.locale_names import language_name
from cityexchange.matching.search import recommend_for_challenge
from cityexchange.practices.models import Practice
from cityexchange.practices.selectors import practices_visible_to
from cityexchange.registry.models import BlocStatus, City, Country, Language, Membership, Sector
from cityexchange.registry.selectors import association_figures

from . import cooperation_data
from .network import (
    Network,
    Node,
    Suggestion,
    build_graph,
    countries_never_cooperating,
    isolated_members,
    linked_pairs,
    most_connected,
    suggest_by_sectors,
)

PUBLIC = "public"
ALL = "all"
SCOPES = (PUBLIC, ALL)
CACHE_TTL = 300
FIRST_YEAR = 1990
Number = int | float


@dataclass(frozen=True)
class Row:
    key: str  # a stable code (sector code, ISO country code, year …) for the API and CSV
    label: str  # what a person reads, in the UI language
    values: tuple[Number, ...]


@dataclass(frozen=True)
class Figure:
    slug: str
    title: str
    description: str
    kind: str  # "bar", "line", "funnel" or "number"
    columns: tuple[str, ...]  # the label column's header, then one header per value
    rows: tuple[Row, ...]
    available: bool = True
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rows"] = [{"key": r.key, "label": r.label, "values": list(r.values)} for r in self.rows]
        data["columns"] = list(self.columns)
        return data

    def total(self, column: int = 0) -> Number:
        return sum(r.values[column] for r in self.rows)

    def value(self, key: str, column: int = 0) -> Number:
        """The value of the row with this key (0 when the row is absent): for tests and the report's text."""
        return next((r.values[column] for r in self.rows if r.key == key), 0)


def resolve_scope(user: Any, scope: str | None) -> str:
    """`public` for everyone; `all` only for the secretariat (it counts drafts and members-only challenges)."""
    scope = scope or PUBLIC
    if scope not in SCOPES:
        raise InvalidInput(_("Unknown scope: %(v)s; use public or all.") % {"v": str(scope)[:20]}, field="scope")
    if scope == ALL and not is_secretariat(user):
        raise PermissionDenied(_("Only the secretariat can see figures that include unpublished data."))
    return scope


def parse_year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    this_year = timezone.now().year
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= this_year:
        raise InvalidInput(
            _("A year is a number from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": this_year}, field="year"
        )
    return int(text)


def _viewer(user: Any, scope: str) -> Any:
    return user if scope == ALL else AnonymousUser()


def _end_of(year: int | None) -> dt.datetime | None:
    if year is None:
        return None
    return dt.datetime(year, 12, 31, 23, 59, 59, tzinfo=dt.UTC)


# --- The data version the cache is keyed on.
#
# Two parts. (1) A *change counter* in the shared cache, bumped after commit by the signals of every model the
# figures read (`receivers.py`): practice_changed / challenge_changed, and post_save/post_delete of memberships,
# cities, the taxonomy and the cooperation tables. Read on every call (one cache get), so a change through a
# service is seen by the very next request in every process. (2) The database aggregates (row counts and the
# latest `updated_at`, an index lookup on the indexed `updated_at` of practices and challenges): the backstop for
# writes that send no signal (bulk imports, `QuerySet.update`, another tool on the database). They are memoised in
# the process for `VERSION_MEMO_SECONDS`, so such a write is seen at most that long after it; any signal of this
# process clears the memo at once.
VERSION_MEMO_SECONDS = 2.0
COUNTER_KEY = "insights:change-counter"
_memo: dict[str, tuple[float, str]] = {}
_clock: Callable[[], float] = time.monotonic


def _stamp(model: Any) -> tuple[int, Any]:
    # Two queries, not one aggregate: `COUNT(*)` alone and `MAX(updated_at)` alone are the forms the database
    # answers from an index (a combined aggregate scans the table).
    return model.objects.order_by().count(), model.objects.order_by().aggregate(t=Max("updated_at"))["t"]


def _database_version() -> str:
    parts: list[Any] = [
        _stamp(Membership),
        _stamp(Practice),
        _stamp(Challenge),
        list(BlocStatus.objects.values_list("code", "colour", "rank", "names")),
        list(Country.objects.values_list("iso2", "bloc_status_id").order_by("iso2")),
        list(Sector.objects.values_list("code", "rank", "names")),
        cooperation_data.cooperation_version(),
    ]
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:12]


def _suggestions_version() -> str:
    """The version of what the suggested partnerships read: published practices only (saving a draft leaves the
    stored suggestions current), challenges, memberships and the cooperation register."""
    published = Practice.objects.order_by().filter(status=Practice.Status.PUBLISHED)
    parts: list[Any] = [
        _stamp(Membership),
        (published.count(), published.aggregate(t=Max("updated_at"))["t"]),
        _stamp(Challenge),
        cooperation_data.cooperation_version(),
    ]
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:12]


def forget_version() -> None:
    """Drop this process's memoised database part (a signal of this process saw a change)."""
    _memo.clear()


def bump_version() -> None:
    """Tell every process that the data changed (called after commit by the receivers)."""
    forget_version()
    try:
        try:
            cache.incr(COUNTER_KEY)
        except ValueError:  # not set yet (or evicted): any new value differs from what readers keyed on
            cache.set(COUNTER_KEY, int(time.time() * 1000) % 1_000_000_000, None)
    except Exception:  # runs after commit: a cache outage must not fail the write (readers see it within the memo)
        cooperation_data.logger.warning("insights data version not moved: cache unavailable", exc_info=True)


def database_version() -> str:
    """The database part of the version, memoised in the process for `VERSION_MEMO_SECONDS`."""
    now = _clock()
    memo = _memo.get("db")
    if memo is None or now - memo[0] >= VERSION_MEMO_SECONDS:
        memo = (now, _database_version())
        _memo["db"] = memo
    return memo[1]


def suggestions_version() -> str:
    """`_suggestions_version`, memoised in the process like `database_version`."""
    now = _clock()
    memo = _memo.get("suggestions")
    if memo is None or now - memo[0] >= VERSION_MEMO_SECONDS:
        memo = (now, _suggestions_version())
        _memo["suggestions"] = memo
    return memo[1]


def data_version() -> str:
    """The cache key part for the data: the change counter and the (memoised) database aggregates."""
    return f"{cache.get(COUNTER_KEY, 0)}-{database_version()}"


def cached(name: str, compute: Callable[[], Any], *, version: str | None = None, ttl: int = CACHE_TTL) -> Any:
    """`compute()` cached under this name, the UI language and the data version."""
    key = f"insights:{name}:{get_language() or 'en'}:{version or data_version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, ttl)
    return value


# --- Membership figures.
def members_over_time(*, year: int | None = None) -> Figure:
    """Memberships in force at the end of each year (suspended ones count until they end), and today."""
    today = timezone.localdate()
    until = dt.date(year, 12, 31) if year else today
    rows = list(
        Membership.objects.filter(since__lte=until).values_list(
            "since", "ended_on", "status", "city__country_id", "city__population"
        )
    )
    points: list[Row] = []
    if rows:
        first = min(r[0] for r in rows).year
        dates = [dt.date(y, 12, 31) for y in range(first, until.year)] + [until]
        for day in dates:
            cities = countries = population = 0
            seen: set[str] = set()
            for since, ended_on, status, country, pop in rows:
                if since > day:
                    continue
                if ended_on is not None and ended_on <= day:
                    continue
                if ended_on is None and status == Membership.Status.ENDED:
                    continue
                cities += 1
                population += pop or 0
                if country not in seen:
                    seen.add(country)
                    countries += 1
            points.append(Row(day.isoformat(), str(day.year), (cities, countries, population)))
    return Figure(
        slug="members-over-time",
        title=_("Member cities and countries over time"),
        description=_("Memberships in force at the end of each year; the last point is today or the year's end."),
        kind="line",
        columns=(_("Year"), _("Member cities"), _("Countries"), _("Population governed")),
        rows=tuple(points),
        note=_("A suspended member counts until its membership ends."),
    )


def population_governed() -> Figure:
    f = association_figures()
    return Figure(
        slug="population",
        title=_("Population governed"),
        description=_("People living in active member cities, and their share of the world's population."),
        kind="number",
        columns=(_("Figure"), _("Value")),
        rows=(
            Row("member-cities", _("Member cities"), (f.member_cities,)),
            Row("member-countries", _("Countries"), (f.member_countries,)),
            Row("population-governed", _("Population governed"), (f.population_governed,)),
            Row("world-population", _("World population"), (f.world_population,)),
            Row("world-share-percent", _("Share of the world's population (%)"), (round(f.world_share_percent, 3),)),
        ),
        note=_("World population: the sum of every country's population in the reference data."),
    )


# --- Practices and challenges.
def _practices(viewer: Any, year: int | None) -> QuerySet[Practice]:
    qs = practices_visible_to(viewer).order_by()
    end = _end_of(year)
    if end is not None:
        qs = qs.filter(created_at__lte=end).exclude(published_at__gt=end)
    return qs


def _counted(qs: QuerySet[Any], key: str) -> dict[Any, int]:
    return {k: n for k, n in qs.order_by().values_list(key).annotate(n=Count("pk")) if k is not None}


def practices_by_sector(viewer: Any, year: int | None = None) -> Figure:
    through = Practice.sectors.through.objects.filter(practice__in=_practices(viewer, year).values("pk"))
    counts = {k: n for k, n in through.order_by().values_list("sector_id").annotate(n=Count("pk"))}
    rows = [Row(s.code, s.label, (counts.get(s.pk, 0),)) for s in Sector.objects.all()]
    rows.sort(key=lambda r: -r.values[0])
    return Figure(
        slug="practices-by-sector",
        title=_("Practices by sector"),
        description=_("A practice with several sectors counts once in each."),
        kind="bar",
        columns=(_("Sector"), _("Practices")),
        rows=tuple(rows),
    )


def practices_by_country(viewer: Any, year: int | None = None) -> Figure:
    counts = _counted(_practices(viewer, year), "city__country_id")
    names = dict(Country.objects.filter(iso2__in=counts).values_list("iso2", "name"))
    rows = [Row(iso2, Country(iso2=iso2, name=names.get(iso2, iso2)).label, (n,)) for iso2, n in counts.items()]
    rows.sort(key=lambda r: (-r.values[0], r.label))
    return Figure(
        slug="practices-by-country",
        title=_("Practices by country"),
        description=_("Practices shared by the member cities of each country."),
        kind="bar",
        columns=(_("Country"), _("Practices")),
        rows=tuple(rows),
    )


def practices_by_maturity(viewer: Any, year: int | None = None) -> Figure:
    counts = _counted(_practices(viewer, year), "maturity")
    rows = [Row(code, str(label), (counts.get(code, 0),)) for code, label in Practice.Maturity.choices]
    return Figure(
        slug="practices-by-maturity",
        title=_("Practices by maturity"),
        description=_("From an idea to a practice working at scale."),
        kind="bar",
        columns=(_("Maturity"), _("Practices")),
        rows=tuple(rows),
    )


def practices_by_language(viewer: Any, year: int | None = None) -> Figure:
    counts = _counted(_practices(viewer, year), "language_id")
    native = dict(Language.objects.filter(code__in=counts).values_list("code", "native_name"))
    rows = []
    for code, n in counts.items():
        own, ui = native.get(code, code), language_name(code)
        rows.append(Row(code, own if own == ui or not ui or ui == code else f"{own} · {ui}", (n,)))
    rows.sort(key=lambda r: (-r.values[0], r.key))
    return Figure(
        slug="practices-by-language",
        title=_("Languages practices are written in"),
        description=_("Each practice in the language its city wrote it in."),
        kind="bar",
        columns=(_("Language"), _("Practices")),
        rows=tuple(rows),
    )


def challenges_by_status(viewer: Any, year: int | None = None) -> Figure:
    qs = challenges_visible_to(viewer).order_by()
    end = _end_of(year)
    if end is not None:
        qs = qs.filter(created_at__lte=end)
    counts = _counted(qs, "status")
    rows = [Row(code, str(label), (counts.get(code, 0),)) for code, label in Challenge.Status.choices]
    return Figure(
        slug="challenges-by-status",
        title=_("Challenges open and solved"),
        description=_("What member cities need, and how much of it has been solved."),
        kind="bar",
        columns=(_("Status"), _("Challenges")),
        rows=tuple(rows),
    )


# --- Cooperation.
def cooperation_funnel(viewer: Any, year: int | None = None) -> Figure:
    found = cooperation_data.cooperation_stages(viewer)
    rows: tuple[Row, ...] = ()
    closed = 0
    if found is not None:
        stages, closed = found
        # A funnel counts every cooperation that reached a stage: those at it and those further on.
        reached = 0
        out = []
        for stage in reversed(stages):
            reached += stage.count
            out.append(Row(stage.code, stage.label, (reached, stage.count)))
        rows = tuple(reversed(out))
    note = _("The cooperation register is not available yet.")
    if found is not None:
        note = _("Closed without adoption: %(n)s.") % {"n": closed}
        if viewer is None or not getattr(viewer, "is_authenticated", False):
            note += " " + _("Public figures count the cooperations in the public register (with a signed agreement).")
    return Figure(
        slug="cooperation-funnel",
        title=_("Cooperations per stage"),
        description=_("How many cooperations reached each stage, from interest to evaluation."),
        kind="funnel",
        columns=(_("Stage"), _("Reached the stage"), _("At the stage now")),
        rows=rows,
        available=found is not None,
        note=note,
        extra={"closed": closed},
    )


def agreements_signed(viewer: Any, year: int | None = None) -> Figure:
    rows_in = cooperation_data.agreements(viewer)
    counts: dict[int, int] = {}
    for agreement in rows_in or []:
        if agreement.signed_on is None or (year and agreement.signed_on.year > year):
            continue
        counts[agreement.signed_on.year] = counts.get(agreement.signed_on.year, 0) + 1
    return Figure(
        slug="agreements-signed",
        title=_("Agreements signed"),
        description=_("Agreements in the public register, by the year they were signed."),
        kind="bar",
        columns=(_("Year"), _("Agreements")),
        rows=tuple(Row(str(y), str(y), (counts[y],)) for y in sorted(counts)),
        available=rows_in is not None,
        note="" if rows_in is not None else _("The agreements register is not available yet."),
    )


FIGURES: dict[str, Callable[..., Figure]] = {
    "members-over-time": lambda viewer, year=None: members_over_time(year=year),
    "population": lambda viewer, year=None: population_governed(),
    "practices-by-sector": practices_by_sector,
    "practices-by-country": practices_by_country,
    "practices-by-maturity": practices_by_maturity,
    "practices-by-language": practices_by_language,
    "challenges-by-status": challenges_by_status,
    "cooperation-funnel": cooperation_funnel,
    "agreements-signed": agreements_signed,
}


def all_figures(user: Any, scope: str = PUBLIC, *, year: int | None = None) -> dict[str, Figure]:
    """Every figure for this scope (see `resolve_scope`), as at the end of `year` or today, cached."""
    viewer = _viewer(user, scope)

    def compute() -> dict[str, Figure]:
        return {slug: make(viewer, year) for slug, make in FIGURES.items()}

    return cached(f"figures:{scope}:{year or 'now'}", compute)


def get_figure(user: Any, slug: str, scope: str = PUBLIC, *, year: int | None = None) -> Figure:
    from cityexchange.core.errors import NotFound

    if slug not in FIGURES:
        raise NotFound(_("There is no such figure."))
    return all_figures(user, scope, year=year)[slug]


def member_cities() -> QuerySet[City]:
    """Cities with a membership of any status (the map colours them by it), largest first."""
    return City.objects.filter(membership__isnull=False).order_by("-population", "pk")


# --- The cooperation network.
MAX_ENGINE_CHALLENGES = 40  # the engine embeds each challenge: bound the work of one (cached) computation
NEED_STATUSES = (Challenge.Status.OPEN, Challenge.Status.IN_PROGRESS)


def _member_nodes() -> list[Node]:
    rows = City.objects.filter(membership__isnull=False).values_list(
        "pk", "name", "country_id", "population", "membership__status"
    )
    return [Node(pk, name, country, population or 0, status) for pk, name, country, population, status in rows]


def _needs(viewer: Any) -> dict[int, set[str]]:
    challenges = challenges_visible_to(viewer).filter(
        status__in=NEED_STATUSES, city__membership__status=Membership.Status.ACTIVE
    )
    rows = Challenge.sectors.through.objects.filter(challenge__in=challenges.values("pk")).values_list(
        "challenge__city_id", "sector__code"
    )
    out: dict[int, set[str]] = {}
    for city, code in rows.distinct():
        out.setdefault(city, set()).add(code)
    return out


def _offers(viewer: Any) -> dict[int, dict[str, int]]:
    practices = practices_visible_to(viewer).filter(status=Practice.Status.PUBLISHED)
    rows = (
        Practice.sectors.through.objects.filter(practice__in=practices.values("pk"))
        .values_list("practice__city_id", "sector__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict[int, dict[str, int]] = {}
    for city, code, n in rows:
        out.setdefault(city, {})[code] = n
    return out


def recommender() -> Callable[..., Any] | None:
    """The matching engine's `recommend_for_challenge(user, challenge, k=...)` (tests put a stand-in here)."""
    return recommend_for_challenge


def _engine_suggestions(viewer: Any, linked: set[frozenset[int]], k: int) -> list[Suggestion] | None:
    """Pairs from the matching engine's recommendations for the latest open challenges; None without an engine."""
    recommend = recommender()
    if recommend is None:
        return None
    challenges = (
        challenges_visible_to(viewer)
        .filter(status__in=NEED_STATUSES, city__membership__status=Membership.Status.ACTIVE)
        .order_by("-created_at", "-id")[:MAX_ENGINE_CHALLENGES]
    )
    best: dict[frozenset[int], Suggestion] = {}
    try:
        for challenge in challenges:
            for result in recommend(viewer, challenge, k=10):
                a, b = challenge.city_id, result.practice.city_id
                pair = frozenset((a, b))
                if a == b or pair in linked:
                    continue
                current = best.get(pair)
                practices = (*(current.practice_ids if current else ()), result.practice.pk)
                score = max(float(result.score), current.score if current else 0.0)
                sectors = tuple(sorted(set(result.shared_sectors) | set(current.sectors if current else ())))
                best[pair] = Suggestion(a, b, round(score, 4), sectors, "engine", challenge.pk, practices)
    except Exception:  # the engine is optional here: fall back to shared sectors rather than fail the page
        cooperation_data.logger.exception("matching engine unavailable for suggestions")
        return None
    return sorted(best.values(), key=lambda s: (-s.score, s.a, s.b))[:k]


def _network_core(viewer: Any) -> tuple[Network, set[frozenset[int]]]:
    coop_edges = cooperation_data.cooperation_edges(viewer)
    edges = coop_edges
    if edges is None:
        signed = cooperation_data.agreements(viewer)
        edges = cooperation_data.agreement_edges(signed) if signed is not None else None
    graph = build_graph(_member_nodes(), edges or [])
    network = Network(
        graph=graph,
        most_connected=most_connected(graph, k=10),
        isolated=isolated_members(graph),
        country_gaps=countries_never_cooperating(graph),
        suggestions=[],
        method="",
        available=edges is not None,
    )
    return network, linked_pairs(graph)


def compute_suggestions(
    viewer: Any, linked: set[frozenset[int]], *, method: str, k: int
) -> tuple[list[Suggestion], str]:
    """Suggestions and the method that made them. "engine" runs the matching engine (seconds to a minute: only in
    the background task or on explicit request), falling back to sectors when it has no answer."""
    suggestions: list[Suggestion] | None = None
    if method == "engine":
        suggestions = _engine_suggestions(viewer, linked, k)
        if suggestions:
            return suggestions, "engine"
    if method in ("engine", "sectors"):
        suggestions = suggest_by_sectors(_needs(viewer), _offers(viewer), linked, k=k)
        return suggestions, "sectors" if suggestions else ""
    return [], ""


STORED_SUGGESTIONS = 20


def refresh_suggestions(scope: str) -> str:
    """Compute and store the suggested partnerships of `scope` unless the stored ones are current (the task's
    body); returns the method used ("current" when nothing had to be done)."""
    from django.contrib.auth import get_user_model

    from .models import SuggestionSet

    version = _suggestions_version()
    stored = SuggestionSet.objects.filter(scope=scope).first()
    if stored is not None and stored.version == version:
        return "current"
    viewer: Any = AnonymousUser()
    if scope == ALL:  # what the secretariat sees; any secretariat account will do (visibility is by role)
        viewer = get_user_model().objects.filter(is_secretariat=True, is_active=True).first()
        if viewer is None:
            return ""
    _network, linked = _network_core(viewer)
    suggestions, used = compute_suggestions(viewer, linked, method="engine", k=STORED_SUGGESTIONS)
    SuggestionSet.objects.update_or_create(
        scope=scope,
        defaults={
            "version": version,
            "method": used,
            "suggestions": [
                {**asdict(s), "sectors": list(s.sectors), "practice_ids": list(s.practice_ids)} for s in suggestions
            ],
            "computed_at": timezone.now(),
        },
    )
    return used


@dataclass(frozen=True)
class Stored:
    suggestions: list[Suggestion]
    method: str
    computed_at: dt.datetime
    current: bool  # computed at today's data version


def stored_suggestions(scope: str, linked: set[frozenset[int]], *, k: int = 20) -> Stored | None:
    """The suggestions the background task stored for `scope` (pairs linked since then left out), or None."""
    from .models import SuggestionSet

    row = SuggestionSet.objects.filter(scope=scope).first()
    if row is None:
        return None
    items = [
        Suggestion(**{**item, "sectors": tuple(item["sectors"]), "practice_ids": tuple(item["practice_ids"])})
        for item in row.suggestions
    ]
    kept = [s for s in items if frozenset((s.a, s.b)) not in linked][:k]
    return Stored(kept, row.method, row.computed_at, row.version == suggestions_version())


def cooperation_network(user: Any, scope: str = PUBLIC, *, method: str = "auto", k: int = 20) -> Network:
    """The network as `scope` may see it, its metrics and suggested partnerships (cached by data version).

    `method`: "auto" (pages, API, report) shows what the background task stored (`tasks.refresh_suggestions`),
    and the shared-sectors suggestions while none is stored — it never runs the matching engine; "sectors" the
    shared sectors of one city's open challenges and another's published practices; "engine" runs the engine
    now (slow: for the task and explicit calls); "none" skips suggestions (the map).
    """
    viewer = _viewer(user, scope)

    def compute() -> tuple[Network, set[frozenset[int]]]:
        return _network_core(viewer)

    network, linked = cached(f"network:{scope}", compute)
    if method == "none":
        return network
    if method == "auto":
        stored = stored_suggestions(scope, linked, k=k)
        if stored is not None:  # even an empty result: the task found no pair
            network.suggestions, network.method = stored.suggestions, stored.method
            network.extra.update(stored=True, computed_at=stored.computed_at, current=stored.current)
            return network
        method = "sectors"
        network.extra.update(stored=False, fallback=True)
    suggestions, used = cached(
        f"network-suggestions:{scope}:{method}:{k}",
        lambda: compute_suggestions(viewer, linked, method=method, k=k),
    )
    network.suggestions, network.method = suggestions, used
    return network


def network_cities(network: Network) -> dict[int, City]:
    """The cities the network's tables name (most connected, both sides of each suggestion), by id, so the tables
    show each by its name in the reader's language (the `city_name` filter) rather than its GeoNames name."""
    ids = {c.city for c in network.most_connected}
    for s in network.suggestions:
        ids |= {s.a, s.b}
    return {c.pk: c for c in City.objects.filter(pk__in=ids)}


def network_edges(user: Any, scope: str = PUBLIC) -> tuple[list[tuple[int, int, str]], bool]:
    """The network's linked pairs (city a, city b, "agreement" or "cooperation") for the map's layer, and whether
    the cooperation register is available; cached apart from the graph, which the map does not need."""

    def compute() -> tuple[list[tuple[int, int, str]], bool]:
        network = cooperation_network(user, scope, method="none")
        edges = [
            (a, b, "agreement" if "agreement" in d["kinds"] else "cooperation")
            for a, b, d in network.graph.edges(data=True)
        ]
        return edges, network.available

    return cast(tuple[list[tuple[int, int, str]], bool], cached(f"network-edges:{scope}", compute))
