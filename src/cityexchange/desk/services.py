"""The one write path of the translation desk: declared languages, requests, translations and their review.

A translation is never edited in place: each submission is a new `TranslationVersion`; approving one writes it as
the practice's translation into that language (what readers see and search indexes) and keeps the one it
replaces as a superseded version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityexchange.core.audit import audit
from cityexchange.core.errors import Conflict, InvalidInput, InvalidTransition, require
from cityexchange.practices.models import Practice, PracticeTranslation
from cityexchange.practices.reading import Reader, raise_first
from cityexchange.practices.signals import send_practice_changed
from cityexchange.registry.models import City, Language

from . import notifications
from .languages import enabled_codes
from .models import LanguageSkill, TranslationRequest, TranslationVersion
from .permissions import can_approve, can_translate, is_signed_in
from .selectors import translator_cities

V = TranslationVersion.Status
TEXT_LIMITS = {"title": 200, "summary": 2_000, "problem": 20_000, "solution": 20_000, "results_text": 20_000}


def target_language(practice: Practice, language: Any) -> str:
    """The language code if a translation of `practice` may go into it; else InvalidInput naming `language`."""
    code = str(language or "").strip().lower()
    if not code:
        raise InvalidInput(_("Choose the language of the translation."), field="language")
    enabled = enabled_codes()
    if code not in enabled:
        raise InvalidInput(
            _("“%(v)s” is not a language this site translates into; choose one of: %(allowed)s.")
            % {"v": code[:20], "allowed": ", ".join(enabled)},
            field="language",
        )
    if code == practice.language_id:
        raise InvalidInput(
            _("This practice is written in %(lang)s already; a translation must be into another language.")
            % {"lang": practice.language.native_name},
            field="language",
        )
    return code


def _published(practice: Practice) -> None:
    if practice.status != Practice.Status.PUBLISHED:
        raise InvalidTransition(_("Only a published practice can be translated on the desk."))


@transaction.atomic
def languages_set(*, actor: Any, languages: Iterable[str]) -> list[str]:
    """Replace the languages `actor` declares they read and write. Returns the codes kept."""
    require(is_signed_in(actor), _("Sign in to declare the languages you read and write."))
    codes = sorted({str(c).strip().lower() for c in languages if str(c).strip()})
    # Compared in Python: arbitrary client strings never reach the database as query values.
    known = set(Language.objects.values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InvalidInput(_("Unknown language: %(v)s.") % {"v": unknown[0][:20]}, field="languages")
    before = sorted(LanguageSkill.objects.filter(user=actor).values_list("language_id", flat=True))
    if before != codes:
        LanguageSkill.objects.filter(user=actor).exclude(language_id__in=codes).delete()
        LanguageSkill.objects.bulk_create([LanguageSkill(user=actor, language_id=c) for c in codes if c not in before])
        audit(actor, "desk.languages", actor, before={"languages": before}, after={"languages": codes})
    return codes


def current_translation(practice: Practice, code: str) -> PracticeTranslation | None:
    return PracticeTranslation.objects.filter(practice=practice, language_id=code, approved_at__isnull=False).first()


@transaction.atomic
def translation_request(*, actor: Any, practice: Practice, language: Any) -> TranslationRequest:
    """A reader asks for `practice` in `language`: one open request per reader, practice and language."""
    require(is_signed_in(actor), _("Sign in to ask for a translation."))
    code = target_language(practice, language)
    _published(practice)
    current = current_translation(practice, code)
    if current is not None and not current.is_out_of_date:
        raise Conflict(_("This practice is already translated into this language."), field="language")
    if TranslationRequest.objects.filter(
        practice=practice, language_id=code, requested_by=actor, fulfilled_at__isnull=True
    ).exists():
        raise Conflict(_("You have already asked for this translation."), field="language")
    first = not TranslationRequest.objects.filter(practice=practice, language_id=code, fulfilled_at__isnull=True)
    request = TranslationRequest.objects.create(practice=practice, language_id=code, requested_by=actor)
    audit(actor, "desk.request", practice, after={"language": code})
    if first:  # translators hear of an item once, not at every reader who joins the request
        notifications.notify_translators(request)
    return request


def _read_text(practice: Practice, data: Mapping[str, Any]) -> dict[str, Any]:
    r = Reader(data)
    values: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        # Results may be empty only where the original has none.
        required = name != "results_text" or bool(practice.results_text.strip())
        values[name] = r.text(name, required=required, max_len=limit)
    originals = [i.name for i in practice.indicators.all()]
    names = data.get("indicator_names") or []
    if not isinstance(names, list | tuple):
        r.error("indicator_names", _("Expected a list."))
        names = []
    if len(names) != len(originals):
        r.error(
            "indicator_names",
            _("Give one name for each of the %(n)d indicators, in their order.") % {"n": len(originals)},
        )
    cleaned: list[str] = []
    for i, name in enumerate(names[: len(originals)]):
        text = name.strip() if isinstance(name, str) else ""
        if not text:
            r.error(f"indicator_names[{i}]", _("Translate the name of this indicator."))
        elif len(text) > 200:
            r.error(f"indicator_names[{i}]", _("Too long: %(n)d characters at most.") % {"n": 200})
        cleaned.append(text)
    values["indicator_names"] = cleaned
    raise_first(r.errors)
    return values


def _translating_city(actor: Any, city: City | None) -> City:
    cities = list(translator_cities(actor))
    if city is None:
        if not cities:
            raise InvalidInput(_("Your account does not work for a member city."), field="city")
        return cities[0]
    if city not in cities:
        raise InvalidInput(_("You do not work for %(city)s.") % {"city": city.name}, field="city")
    return city


@transaction.atomic
def translation_submit(
    *, actor: Any, practice: Practice, language: Any, data: Mapping[str, Any], city: City | None = None
) -> TranslationVersion:
    """A volunteer's translation (or a correction of one): a new version, waiting for the owning city's approval."""
    require(is_signed_in(actor), _("Sign in to translate."))
    require(can_translate(actor), _("Only officers of a member city can translate on the desk."))
    practice = Practice.objects.select_for_update().select_related("language", "city").get(pk=practice.pk)
    code = target_language(practice, language)
    _published(practice)
    values = _read_text(practice, data)
    translating = _translating_city(actor, city)
    last = (
        TranslationVersion.objects.filter(practice=practice, language_id=code)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    )
    # A newer submission takes the place of one still waiting; the waiting one is kept, marked replaced.
    TranslationVersion.objects.filter(practice=practice, language_id=code, status=V.SUBMITTED).update(
        status=V.SUPERSEDED, updated_at=timezone.now()
    )
    version = TranslationVersion.objects.create(
        practice=practice,
        language_id=code,
        number=last + 1,
        translator=actor,
        city=translating,
        source_digest=practice.source_digest(),
        **values,
    )
    audit(actor, "desk.submit", version, after={"practice": practice.pk, "language": code, "number": version.number})
    notifications.notify_reviewers(version)
    return version


def _reviewable(actor: Any, version: TranslationVersion) -> TranslationVersion:
    version = TranslationVersion.objects.select_for_update().get(pk=version.pk)
    practice = version.practice
    require(
        can_approve(actor, practice),
        _("Only officers of %(city)s or the secretariat can review translations of this practice.")
        % {"city": practice.city.name},
    )
    if version.status == V.APPROVED:
        raise InvalidTransition(_("This version is already approved; a correction is submitted as a new version."))
    if version.status != V.SUBMITTED:
        raise InvalidTransition(_("Only a version waiting for approval can be reviewed."))
    return version


@transaction.atomic
def translation_approve(*, actor: Any, version: TranslationVersion) -> TranslationVersion:
    """Approve a waiting version: readers of its language see it from now on and search indexes it."""
    version = _reviewable(actor, version)
    now = timezone.now()
    previous = list(
        TranslationVersion.objects.filter(
            practice_id=version.practice_id, language_id=version.language_id, status=V.APPROVED
        ).values_list("number", flat=True)
    )
    TranslationVersion.objects.filter(
        practice_id=version.practice_id, language_id=version.language_id, status=V.APPROVED
    ).update(status=V.SUPERSEDED, updated_at=now)
    version.status = V.APPROVED
    version.reviewed_by = actor
    version.reviewed_at = now
    version.note = ""
    version.save(update_fields=["status", "reviewed_by", "reviewed_at", "note", "updated_at"])
    PracticeTranslation.objects.update_or_create(
        practice_id=version.practice_id,
        language_id=version.language_id,
        defaults={
            "title": version.title,
            "summary": version.summary,
            "problem": version.problem,
            "solution": version.solution,
            "results_text": version.results_text,
            "indicator_names": version.indicator_names,
            "translated_by": version.translator,
            "translated_for": version.city,
            "source_digest": version.source_digest,
            "approved_at": now,
        },
    )
    fulfilled = list(
        TranslationRequest.objects.filter(
            practice_id=version.practice_id, language_id=version.language_id, fulfilled_at__isnull=True
        ).values_list("pk", flat=True)
    )
    TranslationRequest.objects.filter(pk__in=fulfilled).update(fulfilled_at=now, updated_at=now)
    audit(
        actor,
        "desk.approve",
        version,
        before={"approved": previous},
        after={"approved": version.number, "requests_fulfilled": len(fulfilled)},
    )
    notifications.notify_askers(version, fulfilled)
    send_practice_changed(version.practice_id)  # the index takes the translation as extra passages
    return version


@transaction.atomic
def translation_return(*, actor: Any, version: TranslationVersion, note: str) -> TranslationVersion:
    """Send a waiting version back to its translator with a note saying what to change."""
    version = _reviewable(actor, version)
    r = Reader({"note": note})
    text = r.text("note", required=True, max_len=5_000)
    raise_first(r.errors)
    version.status = V.RETURNED
    version.note = text
    version.reviewed_by = actor
    version.reviewed_at = timezone.now()
    version.save(update_fields=["status", "note", "reviewed_by", "reviewed_at", "updated_at"])
    audit(actor, "desk.return", version, after={"note": text})
    notifications.notify_translator(version)
    return version
