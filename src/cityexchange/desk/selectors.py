"""Reads for the translation desk, with visibility applied: requests only for published practices; a version is
seen by its translator, the practice's own city and the secretariat."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext as _

from cityexchange.accounts.permissions import is_secretariat, user_city_ids
from cityexchange.core.errors import InvalidInput, NotFound
from cityexchange.practices.models import Practice, PracticeTranslation
from cityexchange.registry.models import City, Language

from .languages import enabled_codes
from .models import LanguageSkill, TranslationRequest, TranslationVersion

V = TranslationVersion.Status
MAX_ID = 2**63 - 1


def declared_languages(user: Any) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(LanguageSkill.objects.filter(user=user).values_list("language_id", flat=True))


def translator_cities(user: Any) -> QuerySet[City]:
    return City.objects.filter(pk__in=user_city_ids(user)).order_by("name")


@dataclass
class WantedItem:
    """A practice asked for in one language: how many readers want it and what the desk has for it."""

    practice: Practice
    language: str
    readers: int
    first_asked: Any
    waiting: TranslationVersion | None = None
    out_of_date: bool = False


@dataclass
class LanguageColumn:
    language: Language
    items: list[WantedItem] = field(default_factory=list)


def wanted(languages: list[str]) -> list[LanguageColumn]:
    """Open requests per language, most-wanted first (then the longest waiting), for published practices."""
    rows = list(
        TranslationRequest.objects.filter(
            fulfilled_at__isnull=True, practice__status=Practice.Status.PUBLISHED, language_id__in=languages
        )
        .values("practice_id", "language_id")
        .annotate(readers=Count("pk"), first=Min("created_at"))
        .order_by("-readers", "first", "practice_id")
    )
    practices = {
        p.pk: p
        for p in Practice.objects.filter(pk__in={r["practice_id"] for r in rows})
        .select_related("city", "city__country", "language")
        .prefetch_related("indicators")
    }
    waiting = {
        (v.practice_id, v.language_id): v
        for v in TranslationVersion.objects.filter(status=V.SUBMITTED, practice_id__in=list(practices)).select_related(
            "city"
        )
    }
    stale = {
        (t.practice_id, t.language_id)
        for t in PracticeTranslation.objects.filter(practice_id__in=list(practices), approved_at__isnull=False)
        .select_related("practice")
        .prefetch_related("practice__indicators")
        if t.is_out_of_date
    }
    columns = {lang.code: LanguageColumn(lang) for lang in Language.objects.filter(code__in=languages)}
    for r in rows:
        key = (r["practice_id"], r["language_id"])
        columns[r["language_id"]].items.append(
            WantedItem(
                practice=practices[r["practice_id"]],
                language=r["language_id"],
                readers=r["readers"],
                first_asked=r["first"],
                waiting=waiting.get(key),
                out_of_date=key in stale,
            )
        )
    return [columns[c] for c in languages if c in columns]


def desk_languages(user: Any, chosen: str) -> tuple[list[str], str]:
    """(language codes to list, the filter's value): a chosen language, all of them, or by default the
    languages the user declared (all when none declared)."""
    enabled = enabled_codes()
    if chosen == "all":
        return enabled, "all"
    if chosen:
        if chosen not in enabled:
            raise InvalidInput(_("Unknown language: %(v)s.") % {"v": chosen[:20]}, field="language")
        return [chosen], chosen
    mine = [c for c in declared_languages(user) if c in enabled]
    return (mine, "") if mine else (enabled, "all")


def versions_visible_to(user: Any) -> QuerySet[TranslationVersion]:
    qs = TranslationVersion.objects.select_related("practice", "practice__city", "practice__language", "city")
    if is_secretariat(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(Q(translator=user) | Q(practice__city_id__in=user_city_ids(user)))


def get_version_for(user: Any, version_id: Any) -> TranslationVersion:
    try:
        pk = int(version_id)
    except (TypeError, ValueError):
        pk = 0
    version = versions_visible_to(user).filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if version is None:
        raise NotFound(_("There is no such translation, or you may not see it."))
    return version


def awaiting_review(user: Any) -> QuerySet[TranslationVersion]:
    """Versions waiting for `user`'s approval: of their cities' practices (every one for the secretariat)."""
    qs = TranslationVersion.objects.filter(status=V.SUBMITTED).select_related(
        "practice", "practice__city", "city", "translator"
    )
    if not is_secretariat(user):
        qs = qs.filter(practice__city_id__in=user_city_ids(user))
    return qs.order_by("created_at", "id")


def my_versions(user: Any) -> QuerySet[TranslationVersion]:
    return (
        TranslationVersion.objects.filter(translator=user)
        .select_related("practice", "practice__city", "city")
        .order_by("-created_at", "-id")[:50]
    )


def history(practice: Practice, language: str) -> QuerySet[TranslationVersion]:
    return TranslationVersion.objects.filter(practice=practice, language_id=language).select_related(
        "city", "translator", "reviewed_by"
    )


@dataclass
class AskState:
    """What the practice page offers a reader about a translation into their interface language."""

    language: Language
    readers: int
    asked: bool
    out_of_date: bool


def ask_state(user: Any, practice: Practice, code: str, current: PracticeTranslation | None) -> AskState | None:
    """None when there is nothing to ask: the reader's language is the original's, not one the desk translates
    into, the practice is not published, or a current translation is there."""
    if code == practice.language_id or practice.status != Practice.Status.PUBLISHED or code not in enabled_codes():
        return None
    out_of_date = current is not None and current.is_out_of_date
    if current is not None and not out_of_date:
        return None
    language = Language.objects.filter(code=code).first()
    if language is None:
        return None
    open_requests = TranslationRequest.objects.filter(practice=practice, language_id=code, fulfilled_at__isnull=True)
    asked = bool(getattr(user, "is_authenticated", False)) and open_requests.filter(requested_by=user).exists()
    return AskState(language=language, readers=open_requests.count(), asked=asked, out_of_date=out_of_date)
