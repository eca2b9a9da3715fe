"""The one write path of the translation desk: declared languages, requests, translations and their review.

A translation is never edited in place: each submission is a new `TranslationVersion`; approving one writes it as
the practice's or challenge's translation into that language (what readers see and search indexes) and keeps the one it
replaces as a superseded version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityexchange.challenges.signals import send_challenge_changed
from cityexchange.core.audit import audit
from cityexchange.core.errors import Conflict, InvalidInput, InvalidTransition, require
from cityexchange.practices.reading import Reader, raise_first
from cityexchange.practices.signals import send_practice_changed
from cityexchange.registry.models import City, Language

from . import notifications
from .languages import enabled_codes
from .models import LanguageSkill, TranslationRequest, TranslationVersion
from .permissions import can_translate, is_signed_in
from .selectors import translator_cities
from .subjects import VERSION_TEXTS, Subject, subject_of

V = TranslationVersion.Status


def target_language(item: Any, language: Any) -> str:
    """The language code if a translation of `item` may go into it; else InvalidInput naming `language`."""
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
    if code == item.language_id:
        raise InvalidInput(
            _("This is written in %(lang)s already; a translation must be into another language.")
            % {"lang": item.language.native_name},
            field="language",
        )
    return code


def _open(subject: Subject) -> None:
    if not subject.is_open():
        raise InvalidTransition(subject.closed_message())


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


@transaction.atomic
def translation_request(*, actor: Any, item: Any, language: Any) -> TranslationRequest:
    """A reader asks for a practice or challenge in `language`: one open request per reader, item and language."""
    require(is_signed_in(actor), _("Sign in to ask for a translation."))
    subject = subject_of(item)
    require(subject.may_see(actor), _("You may not read this."))
    code = target_language(item, language)
    _open(subject)
    current = subject.current(code)
    if current is not None and not current.is_out_of_date:
        raise Conflict(_("This is already translated into this language."), field="language")
    open_requests = TranslationRequest.objects.filter(**subject.key, language_id=code, fulfilled_at__isnull=True)
    if open_requests.filter(requested_by=actor).exists():
        raise Conflict(_("You have already asked for this translation."), field="language")
    first = not open_requests.exists()
    request = TranslationRequest.objects.create(**subject.key, language_id=code, requested_by=actor)
    audit(actor, "desk.request", item, after={"language": code})
    if first:  # translators hear of an item once, not at every reader who joins the request
        notifications.notify_translators(request)
    return request


def _read_text(subject: Subject, data: Mapping[str, Any]) -> dict[str, Any]:
    r = Reader(data)
    values: dict[str, Any] = {}
    for text in subject.texts:
        required = not text.optional or bool(str(getattr(subject.item, text.name) or "").strip())
        values[text.name] = r.text(text.name, required=required, max_len=text.limit)
    originals = subject.indicator_names()
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
        translated = name.strip() if isinstance(name, str) else ""
        if not translated:
            r.error(f"indicator_names[{i}]", _("Translate the name of this indicator."))
        elif len(translated) > 200:
            r.error(f"indicator_names[{i}]", _("Too long: %(n)d characters at most.") % {"n": 200})
        cleaned.append(translated)
    values["indicator_names"] = cleaned
    raise_first(r.errors)
    return values


def _translating_city(actor: Any, city: City | None, subject: Subject) -> City:
    cities = list(translator_cities(actor))
    allowed = subject.translating_city_ids()
    if allowed is not None:  # a private item: only the officers of the cities that may read it translate it
        cities = [c for c in cities if c.pk in allowed]
        require(bool(cities), _("Only officers of the cities that exchanged this message can translate it."))
    if city is None:
        if not cities:
            raise InvalidInput(_("Your account does not work for a member city."), field="city")
        return cities[0]
    if city not in cities:
        raise InvalidInput(_("You do not work for %(city)s.") % {"city": city.name}, field="city")
    return city


def _locked(item: Any) -> Any:
    # No select_related: PostgreSQL locks no row on the nullable side of an outer join (a message's language).
    return type(item).objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def translation_submit(
    *, actor: Any, item: Any, language: Any, data: Mapping[str, Any], city: City | None = None
) -> TranslationVersion:
    """A volunteer's translation (or a correction of one): a new version, waiting for the owning city's approval."""
    require(is_signed_in(actor), _("Sign in to translate."))
    require(can_translate(actor), _("Only officers of a member city can translate on the desk."))
    item = _locked(item)
    subject = subject_of(item)
    require(subject.may_see(actor), _("You may not read this."))
    code = target_language(item, language)
    _open(subject)
    values = _read_text(subject, data)
    translating = _translating_city(actor, city, subject)
    versions = TranslationVersion.objects.filter(**subject.key, language_id=code)
    last = versions.order_by("-number").values_list("number", flat=True).first() or 0
    # A newer submission takes the place of one still waiting; the waiting one is kept, marked replaced.
    versions.filter(status=V.SUBMITTED).update(status=V.SUPERSEDED, updated_at=timezone.now())
    version = TranslationVersion.objects.create(
        **subject.key,
        language_id=code,
        number=last + 1,
        translator=actor,
        city=translating,
        source_digest=subject.digest(),
        **values,
    )
    audit(
        actor,
        "desk.submit",
        version,
        after={subject.kind: item.pk, "language": code, "number": version.number},
    )
    notifications.notify_reviewers(version)
    return version


def _reviewable(actor: Any, version: TranslationVersion) -> TranslationVersion:
    version = TranslationVersion.objects.select_for_update().get(pk=version.pk)
    item = version.item
    require(
        subject_of(item).may_approve(actor),
        _("Only officers of %(city)s or the secretariat can review translations of this.") % {"city": item.city.name},
    )
    if version.status == V.APPROVED:
        raise InvalidTransition(_("This version is already approved; a correction is submitted as a new version."))
    if version.status != V.SUBMITTED:
        raise InvalidTransition(_("Only a version waiting for approval can be reviewed."))
    return version


@transaction.atomic
def translation_approve(*, actor: Any, version: TranslationVersion) -> TranslationVersion:
    """Approve a waiting version: readers of its language see it from now on (and search indexes a practice's)."""
    version = _reviewable(actor, version)
    subject = subject_of(version.item)
    now = timezone.now()
    approved = TranslationVersion.objects.filter(**subject.key, language_id=version.language_id, status=V.APPROVED)
    previous = list(approved.values_list("number", flat=True))
    approved.update(status=V.SUPERSEDED, updated_at=now)
    version.status = V.APPROVED
    version.reviewed_by = actor
    version.reviewed_at = now
    version.note = ""
    version.save(update_fields=["status", "reviewed_by", "reviewed_at", "note", "updated_at"])
    subject.store(
        {
            **{name: getattr(version, name) for name in (*VERSION_TEXTS, "indicator_names")},
            "language": version.language_id,
            "translated_by": version.translator,
            "translated_for": version.city,
            "source_digest": version.source_digest,
            "approved_at": now,
        }
    )
    fulfilled = list(
        TranslationRequest.objects.filter(
            **subject.key, language_id=version.language_id, fulfilled_at__isnull=True
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
    if subject.kind == "practice":
        send_practice_changed(version.item.pk)  # the index takes the translation as extra passages
    elif subject.kind == "challenge":
        send_challenge_changed(version.item.pk)  # its recommendations search the translation as another query
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
