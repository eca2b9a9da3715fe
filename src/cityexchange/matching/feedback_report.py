"""What users said about the recommendations: the share marked useful, overall, by source and by rank."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from .models import Feedback

RANK_BUCKETS = [(1, 1), (2, 3), (4, 10), (11, 1000)]


def feedback_report() -> dict[str, Any]:
    def share(qs: Any) -> dict[str, Any]:
        agg = qs.aggregate(n=Count("pk"), useful=Count("pk", filter=Q(useful=True)))
        return {"votes": agg["n"], "useful_share": (agg["useful"] / agg["n"]) if agg["n"] else None}

    base = Feedback.objects.all()
    return {
        "all": share(base),
        "by_source": {source: share(base.filter(source=source)) for source in Feedback.Source.values},
        "by_rank": {
            f"{low}-{high}" if low != high else str(low): share(base.filter(rank__gte=low, rank__lte=high))
            for low, high in RANK_BUCKETS
        },
    }
