from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from cityexchange.accounts.permissions import user_city_ids
from cityexchange.challenges.models import Challenge
from cityexchange.core.api_support import AUTH_OPTIONAL, AUTH_REQUIRED, RATE_LIMITED, ErrorOut
from cityexchange.core.errors import InvalidInput
from cityexchange.core.filtering import query_schema
from cityexchange.core.ratelimit import api_rate_limit
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor
from cityexchange.practices.selectors import practices_visible_to
from cityexchange.registry.models import City
from cityexchange.registry.selectors import get_city

from . import search, services
from .explain import reason_text
from .filters import MAX_QUERY_LENGTH, PracticeSearchFilters, practice_filters
from .models import Alert, Feedback
from .snippet import plain_text

router = Router(tags=["matching"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class SearchParams(query_schema(PracticeSearchFilters, "SearchFilters")):  # type: ignore[misc]
    """The search's filters (matching.filters, the library's too), a query required and how many results."""

    q: str = Field(..., min_length=1, max_length=MAX_QUERY_LENGTH, description="Query in any language.")
    k: int = Field(20, ge=1, le=100)


class ScoreOut(Schema):
    score: float
    reasons: list[str]


class HitOut(Schema):
    practice_id: int
    title: str
    city_id: int
    city: str
    country: str
    language: str
    score: float
    strength: Literal["strong", "possible"] = Field(
        ..., description="A strong match reaches the calibrated relevance floor; anything below is possible."
    )
    rank: int
    passage: str = Field(..., description="The passage that matched, as plain text (no Markdown).")
    dense: float
    lexical: float
    shared_sectors: list[str]
    city_similarity: ScoreOut | None
    transfer_fit: ScoreOut | None


def _score(s: Any) -> dict[str, Any] | None:
    return {"score": s.score, "reasons": [reason_text(r) for r in s.reasons]} if s else None


def _hit(r: search.Result) -> dict[str, Any]:
    p = r.practice
    return {
        "practice_id": p.pk,
        "title": p.title,
        "city_id": p.city_id,
        "city": p.city.name,
        "country": p.city.country_id,
        "language": p.language_id,
        "score": r.score,
        "strength": r.strength,
        "rank": r.rank,
        "passage": plain_text(r.passage),
        "dense": r.dense,
        "lexical": r.lexical,
        "shared_sectors": r.shared_sectors,
        "city_similarity": _score(r.peer),
        "transfer_fit": _score(r.fit),
    }


class SearchOut(Schema):
    strong: int = Field(..., description="How many results are strong matches (they come first).")
    possible: int = Field(..., description="How many results are possible matches.")
    results: list[HitOut]


def _counts(results: list[search.Result]) -> dict[str, int]:
    strong, possible = search.strong_and_possible(results)
    return {"strong": len(strong), "possible": len(possible)}


@router.get("/search", response={200: SearchOut, **ERRORS, **RATE_LIMITED}, auth=AUTH_OPTIONAL)
@api_rate_limit("search")
def search_practices(request: HttpRequest, params: Query[SearchParams]) -> Any:
    """Published practices ranked for a query in any language, with why each matched: strong matches first,
    then possible ones, and how many of each."""
    filters = practice_filters(params.dict())  # the filter set the library and the search page share
    ids = list(user_city_ids(actor(request)).values_list("city_id", flat=True)[:1])
    viewer = City.objects.filter(pk=ids[0]).first() if ids else None
    results = search.find(actor(request), filters, k=params.k, viewer_city=viewer, related=())  # no cards
    return {**_counts(results), "results": [_hit(r) for r in results]}


class PeerCityOut(Schema):
    city_id: int
    city: str
    country: str
    score: float
    reasons: list[str]
    practice_ids: list[int]


class RecommendationsOut(Schema):
    challenge_id: int
    strong: int = Field(..., description="How many practices are strong matches.")
    possible: int = Field(..., description="How many practices are possible matches.")
    practices: list[HitOut]
    cities: list[PeerCityOut]


@router.get(
    "/recommendations/{challenge_id}",
    response={200: RecommendationsOut, **ERRORS, **RATE_LIMITED},
    auth=AUTH_OPTIONAL,
)
@api_rate_limit("recommend")
def recommendations(request: HttpRequest, challenge_id: int) -> Any:
    challenge = get_for(actor(request), Challenge, challenge_id)
    results = search.recommend_for_challenge(actor(request), challenge)
    cities = search.peer_cities_for_challenge(actor(request), challenge)
    return {
        "challenge_id": challenge.pk,
        **_counts(results),
        "practices": [_hit(r) for r in results],
        "cities": [
            {
                "city_id": e["city"].pk,
                "city": e["city"].name,
                "country": e["city"].country_id,
                "score": e["score"],
                "reasons": [reason_text(r) for r in e["peer"].reasons],
                "practice_ids": [p.pk for p in e["practices"]],
            }
            for e in cities
        ],
    }


class SimilarCityOut(Schema):
    city_id: int
    city: str
    country: str
    population: int
    score: float
    reasons: list[str]


@router.get(
    "/cities/{city_id}/similar", response={200: list[SimilarCityOut], **ERRORS, **RATE_LIMITED}, auth=AUTH_OPTIONAL
)
@api_rate_limit("recommend")
def similar_cities(request: HttpRequest, city_id: int, k: int = Query(10, ge=1, le=50)) -> Any:  # type: ignore[type-arg]
    city = get_city(city_id)
    return [
        {
            "city_id": c.pk,
            "city": c.name,
            "country": c.country_id,
            "population": c.population,
            "score": s.score,
            "reasons": [reason_text(r) for r in s.reasons],
        }
        for c, s in search.cities_like(city, k=k)
    ]


class AlertIn(Schema):
    city_id: int
    query: str = ""
    challenge_id: int | None = None
    filters: dict[str, Any] = Field(default_factory=dict)


class AlertOut(Schema):
    id: int
    city_id: int
    query: str
    challenge_id: int | None
    filters: dict[str, Any]
    practices_found: list[int]

    @staticmethod
    def resolve_practices_found(obj: Alert) -> list[int]:
        return [h.practice_id for h in obj.hits.all()]


@router.get("/alerts", response=list[AlertOut], auth=AUTH_REQUIRED)
def alerts(request: HttpRequest) -> Any:
    return Alert.objects.restrict(actor(request)).prefetch_related("hits")


@router.post("/alerts", response={201: AlertOut, **ERRORS}, auth=AUTH_REQUIRED)
def alert_create(request: HttpRequest, payload: AlertIn) -> Any:
    city = City.objects.filter(pk=payload.city_id).first()
    if city is None:
        raise InvalidInput(_("There is no city with id %(id)s.") % {"id": payload.city_id}, field="city_id")
    challenge = get_for(actor(request), Challenge, payload.challenge_id) if payload.challenge_id else None
    alert = services.alert_create(
        actor=actor(request), city=city, challenge=challenge, query=payload.query, filters=payload.filters
    )
    return Status(201, alert)


@router.delete("/alerts/{alert_id}", response={204: None, **ERRORS}, auth=AUTH_REQUIRED)
def alert_delete(request: HttpRequest, alert_id: int) -> Any:
    alert = get_for(actor(request), Alert, alert_id)
    services.alert_delete(actor=actor(request), alert=alert)
    return Status(204, None)


class FeedbackIn(Schema):
    practice_id: int
    useful: bool
    query: str = ""
    challenge_id: int | None = None
    rank: int | None = Field(None, ge=1, le=1000)


class FeedbackOut(Schema):
    id: int
    practice_id: int
    useful: bool
    source: str


@router.post("/feedback", response={200: FeedbackOut, **ERRORS}, auth=AUTH_REQUIRED)
def feedback(request: HttpRequest, payload: FeedbackIn) -> Any:
    practice = practices_visible_to(actor(request)).filter(pk=payload.practice_id).first()
    if practice is None:
        raise InvalidInput(_("There is no such practice."), field="practice_id")
    challenge = get_for(actor(request), Challenge, payload.challenge_id) if payload.challenge_id else None
    return services.feedback_record(
        actor=actor(request),
        practice=practice,
        useful=payload.useful,
        source=Feedback.Source.CHALLENGE if challenge else Feedback.Source.SEARCH,
        query=payload.query,
        challenge=challenge,
        rank=payload.rank,
    )
