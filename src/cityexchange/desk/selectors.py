"""Reads for the translation desk, with visibility applied: requests only for items on the desk (published
practices, challenges not withdrawn, messages whose language is known) and, for a private contact message, only for
those who may read it; a version is seen by its translator, the item's own city and the secretariat."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext as _

from cityexchange.accounts.permissions import user_city_ids
from cityexchange.challenges.models import Challenge, ChallengeTranslation
from cityexchange.core.errors import InvalidInput
from cityexchange.core.restrict import NOTHING, restrict
from cityexchange.practices.models import Practice, PracticeTranslation
from cityexchange.registry.models import City, Language

from . import subjects
from .languages import enabled_codes
from .models import LanguageSkill, TranslationRequest, TranslationVersion
from .subjects import subject_of

V = TranslationVersion.Status


def declared_languages(user: Any) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(LanguageSkill.objects.filter(user=user).values_list("language_id", flat=True))


def translator_cities(user: Any) -> QuerySet[City]:
    return City.objects.filter(pk__in=user_city_ids(user)).order_by("name")


@dataclass
class WantedItem:
    """A practice, challenge or message asked for in one language: how many readers want it and what the desk has
    for it."""

    item: Any
    kind: str
    language: str
    readers: int
    first_asked: Any
    translate_url: str = ""
    waiting: TranslationVersion | None = None
    out_of_date: bool = False
    label: str = ""  # what the desk calls its kind ("Challenge", "Message"), shown before its title
    url: str = ""


@dataclass
class LanguageColumn:
    language: Language
    items: list[WantedItem] = field(default_factory=list)


def wanted(languages: list[str], user: Any = None) -> list[LanguageColumn]:
    """Open requests per language, most-wanted first (then the longest waiting), of the items on the desk
    (published practices, challenges not withdrawn, messages) that `user` may see: a private message only for
    those who may read it (never without a user)."""
    kinds = subjects.kinds()
    ids = [f"{k.kind}_id" for k in kinds]
    on_desk = NOTHING
    for k in kinds:
        on_desk |= k.on_desk()
    rows = list(
        TranslationRequest.objects.filter(fulfilled_at__isnull=True, language_id__in=languages)
        .filter(on_desk, subjects.listed_for(user))
        .values(*ids, "language_id")
        .annotate(readers=Count("pk"), first=Min("created_at"))
        .order_by("-readers", "first", *ids)
    )

    def kind_of(row: dict[str, Any]) -> tuple[type[subjects.Subject], int]:
        return next((k, row[f"{k.kind}_id"]) for k in kinds if row[f"{k.kind}_id"])

    wanted_ids: dict[str, set[int]] = {k.kind: set() for k in kinds}
    for r in rows:
        k, pk = kind_of(r)
        wanted_ids[k.kind].add(pk)
    items = {k.kind: k.load(wanted_ids[k.kind]) for k in kinds}
    of_items = NOTHING
    for k in kinds:
        of_items |= Q(**{f"{k.kind}_id__in": list(items[k.kind])})
    waiting = {
        (k.kind, getattr(v, f"{k.kind}_id"), v.language_id): v
        for v in TranslationVersion.objects.filter(of_items, status=V.SUBMITTED).select_related("city")
        for k in kinds
        if getattr(v, f"{k.kind}_id")
    }
    stale = {(k.kind, pk, lang) for k in kinds for pk, lang in k.stale(set(items[k.kind]))}
    columns = {lang.code: LanguageColumn(lang) for lang in Language.objects.filter(code__in=languages)}
    for r in rows:
        k, pk = kind_of(r)
        obj = items[k.kind].get(pk)
        if obj is None:  # gone between the two reads
            continue
        subject = k(obj)
        key = (k.kind, pk, r["language_id"])
        columns[r["language_id"]].items.append(
            WantedItem(
                item=obj,
                kind=k.kind,
                language=r["language_id"],
                readers=r["readers"],
                first_asked=r["first"],
                translate_url=subject.translate_url(r["language_id"]),
                waiting=waiting.get(key),
                out_of_date=key in stale,
                label=str(k.label),
                url=subject.url(),
            )
        )
    return [columns[c] for c in languages if c in columns]


@dataclass
class StaleItem:
    """An approved translation whose original changed since: it waits for a volunteer to bring it up to date."""

    item: Any
    kind: str
    language: str
    translated_for: City | None
    translate_url: str


def out_of_date(languages: list[str], limit: int = 100) -> list[StaleItem]:
    """Approved translations into `languages` that went out of date, most recently approved first. The check
    compares fingerprints in Python, over the `limit` most recent approvals per kind."""
    practices = (
        PracticeTranslation.objects.filter(
            approved_at__isnull=False, language_id__in=languages, practice__status=Practice.Status.PUBLISHED
        )
        .select_related("practice", "practice__city", "practice__language", "translated_for")
        .prefetch_related("practice__indicators")
        .order_by("-approved_at")[:limit]
    )
    challenges = (
        ChallengeTranslation.objects.filter(language_id__in=languages)
        .exclude(challenge__status=Challenge.Status.WITHDRAWN)
        .select_related("challenge", "challenge__city", "challenge__language", "translated_for")
        .order_by("-approved_at")[:limit]
    )
    stale: list[StaleItem] = []
    translations: list[Any] = [*practices, *challenges]
    for t in translations:
        if t.is_out_of_date:
            item = t.practice if isinstance(t, PracticeTranslation) else t.challenge
            subject = subject_of(item)
            stale.append(
                StaleItem(item, subject.kind, t.language_id, t.translated_for, subject.translate_url(t.language_id))
            )
    return stale


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


def versions() -> QuerySet[TranslationVersion]:
    """Versions with what their pages and answers show (for `get_for`)."""
    return TranslationVersion.objects.select_related(
        "practice",
        "practice__city",
        "practice__language",
        "challenge",
        "challenge__city",
        "challenge__language",
        "contact_request",
        "contact_request__from_city",
        "contact_request__language",
        "city",
    )


def versions_visible_to(user: Any) -> QuerySet[TranslationVersion]:
    """What `user` may see (desk.permissions.TranslationVersionPolicy)."""
    return restrict(versions(), user)


def awaiting_review(user: Any) -> QuerySet[TranslationVersion]:
    """Versions waiting for `user`'s approval: of what their cities wrote (every one for the secretariat)."""
    qs = TranslationVersion.objects.filter(status=V.SUBMITTED).select_related(
        "practice",
        "practice__city",
        "challenge",
        "challenge__city",
        "contact_request",
        "contact_request__from_city",
        "city",
        "translator",
    )
    return restrict(qs, user, "review").order_by("created_at", "id")


def my_versions(user: Any) -> QuerySet[TranslationVersion]:
    return (
        TranslationVersion.objects.filter(subjects.listed_for(user), translator=user)
        .select_related("practice", "practice__city", "challenge", "challenge__city", "contact_request", "city")
        .order_by("-created_at", "-id")[:50]
    )


def history(item: Any, language: str) -> QuerySet[TranslationVersion]:
    return TranslationVersion.objects.filter(**subject_of(item).key, language_id=language).select_related(
        "city", "translator", "reviewed_by"
    )


@dataclass
class AskState:
    """What a practice's or challenge's page offers a reader about a translation into their interface language."""

    language: Language
    readers: int
    asked: bool
    out_of_date: bool
    url: str


def ask_state(user: Any, item: Any, code: str, current: Any) -> AskState | None:
    """None when there is nothing to ask: the reader's language is the original's, not one the desk translates
    into, the item is not on the desk (unpublished practice, withdrawn challenge), or a current translation is
    there."""
    subject = subject_of(item)
    if code == item.language_id or not subject.is_open() or code not in enabled_codes():
        return None
    out_of_date = current is not None and current.is_out_of_date
    if current is not None and not out_of_date:
        return None
    language = Language.objects.filter(code=code).first()
    if language is None:
        return None
    open_requests = TranslationRequest.objects.filter(**subject.key, language_id=code, fulfilled_at__isnull=True)
    asked = bool(getattr(user, "is_authenticated", False)) and open_requests.filter(requested_by=user).exists()
    return AskState(
        language=language, readers=open_requests.count(), asked=asked, out_of_date=out_of_date, url=subject.ask_url()
    )
