"""The cooperation network as insights reads it from the cooperation app's public selectors: the funnel of
stages, the edges between cities, the signed agreements, and the tables' version for the figures' cache key.

Every function here returns plain data (tuples, dicts) so the figures, the network and the report never touch
another app's models or private helpers.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from cityexchange.cooperation import models as cooperation
from cityexchange.cooperation.selectors import agreements_public, cooperations_visible_to

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Edge:
    """One link between two cities: a cooperation (at a stage) or a signed agreement."""

    a: int
    b: int
    kind: str  # "cooperation" | "agreement"
    stage: str = ""
    signed_on: dt.date | None = None


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    count: int


def cooperation_available() -> bool:
    return True


def _participants(obj: Any) -> list[int]:
    """City ids taking part in a cooperation or agreement, whatever shape the cooperation app gives them."""
    for attr in ("city_ids", "participant_city_ids"):
        value = getattr(obj, attr, None)
        if value is not None:
            value = value() if callable(value) else value
            return sorted({int(v) for v in value})
    for attr in ("participants", "cities"):
        rel = getattr(obj, attr, None)
        if rel is not None and hasattr(rel, "all"):
            return sorted({int(getattr(item, "city_id", None) or item.pk) for item in rel.all()})
    found = [getattr(obj, a, None) for a in ("lead_city_id", "city_id", "partner_city_id", "other_city_id")]
    return sorted({int(i) for i in found if i})


def _pairs(ids: list[int]) -> list[tuple[int, int]]:
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]


CLOSED_STAGES = ("closed",)  # off the path from interest to evaluation: not part of the funnel


def cooperation_stages(user: Any) -> tuple[list[Stage], int] | None:
    """Cooperations `user` may see, counted per stage along the path (in the stages' own order), and the number
    closed without adoption; None when they cannot be read."""
    try:
        choices = cooperation.Cooperation._meta.get_field("stage").choices or []
        counts: dict[str, int] = {}
        for stage in cooperations_visible_to(user).order_by().values_list("stage", flat=True):
            counts[stage] = counts.get(stage, 0) + 1
    except Exception:  # the other app's schema is still moving; a figure must not break the page
        logger.exception("cooperation stages unavailable")
        return None
    path = [
        Stage(str(code), str(label), counts.get(str(code), 0)) for code, label in choices if code not in CLOSED_STAGES
    ]
    return path, sum(counts.get(code, 0) for code in CLOSED_STAGES)


def cooperation_edges(user: Any) -> list[Edge] | None:
    """Every pair of cities in a cooperation `user` may see; None when they cannot be read."""
    try:
        edges = []
        for coop in cooperations_visible_to(user):
            # A cooperation with a signed agreement is one edge of kind "agreement", not two edges.
            kind = "agreement" if getattr(coop, "agreement", None) is not None else "cooperation"
            for a, b in _pairs(_participants(coop)):
                edges.append(Edge(a, b, kind, stage=str(getattr(coop, "stage", ""))))
        return edges
    except Exception:
        logger.exception("cooperation edges unavailable")
        return None


@dataclass(frozen=True)
class Agreement:
    city_ids: tuple[int, ...]
    signed_on: dt.date | None


def agreements(user: Any) -> list[Agreement] | None:
    """Signed agreements from the public register (the same for everyone); None when they cannot be read."""
    try:
        rows = agreements_public()
        out = []
        for agreement in rows:
            signed = getattr(agreement, "signed_on", None) or getattr(agreement, "signed_at", None)
            if isinstance(signed, dt.datetime):
                signed = signed.date()
            ids = _participants(agreement)
            if not ids and getattr(agreement, "cooperation", None) is not None:
                ids = _participants(agreement.cooperation)
            out.append(Agreement(tuple(ids), signed))
        return out
    except Exception:
        logger.exception("agreements unavailable")
        return None


def agreement_edges(rows: list[Agreement]) -> list[Edge]:
    return [Edge(a, b, "agreement", signed_on=r.signed_on) for r in rows for a, b in _pairs(list(r.city_ids))]


def cooperation_version() -> list[Any]:
    """Counts and latest change of the cooperation app's tables, for the figures' cache key."""
    from django.db.models import Count, Max

    out: list[Any] = []
    for model in (cooperation.Cooperation, cooperation.Agreement, cooperation.Participant):
        try:
            names = {f.name for f in model._meta.get_fields()}
            aggregates: dict[str, Any] = {"n": Count("pk")}
            for stamp in ("updated_at", "created_at"):
                if stamp in names:
                    aggregates["t"] = Max(stamp)
                    break
            out.append(model.objects.aggregate(**aggregates))
        except Exception:
            logger.exception("cooperation version unavailable")
    return out


def cooperation_models() -> list[Any]:
    """The cooperation app's models the network and the figures read (for the change receivers)."""
    return [cooperation.Cooperation, cooperation.Participant, cooperation.Agreement, cooperation.StageEvent]
