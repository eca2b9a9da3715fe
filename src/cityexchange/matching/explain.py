"""Human words for the engine's reasons (peers.Reason codes), in the active UI language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import peers
from .search import percent


def reason_text(reason: peers.Reason) -> str:
    p = dict(reason.params)
    texts = {
        "similar_size": _("similar size"),
        "size_differs": _("different size"),
        "same_climate_band": _("same climate zone"),
        "climate_matches": _("suitable climate"),
        "climate_differs": _("different climate"),
        "shared_sectors": _("shared sectors"),
        "same_country": _("same country"),
        "size_in_range": _("city size within the practice's range"),
        "size_out_of_range": _("city size outside the practice's range"),
        "within_budget": _("within budget"),
        "over_budget": _("over budget"),
        "country_allowed": _("legal framework fits"),
        "country_not_covered": _("legal framework differs"),
    }
    text = texts.get(reason.code, reason.code.replace("_", " "))
    if reason.code == "shared_sectors" and p.get("sectors"):
        text += ": " + ", ".join(str(s) for s in p["sectors"])
    return text


def score_text(score: peers.Score | None) -> str:
    if score is None:
        return ""
    return f"{percent(score.score)} % · " + "; ".join(reason_text(r) for r in score.reasons)
