"""The one write path for practices: content, review workflow, translations and attachments.

Every change keeps a version (who, when, which fields changed from what to what) and an audit row.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityexchange.core.audit import audit
from cityexchange.core.errors import InvalidInput, InvalidTransition, require
from cityexchange.registry.models import City, Membership, Sector

from . import attachments as attachment_rules
from .document import PracticeInput, TranslationInput, Vocabulary, parse_practice, practice_document
from .models import Attachment, Indicator, Practice, PracticeGoal, PracticeTranslation, PracticeVersion
from .notifications import notify
from .permissions import can_create_for, can_edit, can_moderate
from .reading import Reader, raise_first
from .signals import send_practice_changed

S = Practice.Status
CONTENT_FIELDS = [
    "title",
    "summary",
    "problem",
    "solution",
    "results_text",
    "cost_band",
    "currency",
    "cost_amount",
    "period_start",
    "period_end",
    "maturity",
    "min_population",
    "max_population",
    "budget_note",
    "prerequisites",
    "contact_name",
    "contact_email",
    "contact_role",
]


def _input(data: Any) -> PracticeInput:
    if isinstance(data, PracticeInput):
        return data
    parsed, errors = parse_practice(data)
    raise_first(errors)
    assert parsed is not None
    return parsed


def _lock(practice: Practice) -> Practice:
    """The row, locked for this transaction, so concurrent edits and version numbers do not interleave."""
    return Practice.objects.select_for_update().select_related("city").get(pk=practice.pk)


def write_content(practice: Practice, data: PracticeInput) -> None:
    """Store `data` on the practice and its rows (sectors, goals, indicators). Callers check and record."""
    for name in CONTENT_FIELDS:
        setattr(practice, name, getattr(data, name))
    practice.language_id = data.language
    practice.climates = list(data.climates)
    practice.partners = list(data.partners)
    practice.links = list(data.links)
    practice.save()
    practice.sectors.set(list(Sector.objects.filter(code__in=data.sectors)))
    PracticeGoal.objects.filter(practice=practice).delete()
    PracticeGoal.objects.bulk_create(PracticeGoal(practice=practice, goal=g) for g in data.sdgs)
    Indicator.objects.filter(practice=practice).delete()
    Indicator.objects.bulk_create(
        Indicator(
            practice=practice,
            position=i,
            name=ind.name,
            baseline=ind.baseline,
            achieved=ind.achieved,
            unit=ind.unit,
            year=ind.year,
        )
        for i, ind in enumerate(data.indicators)
    )


def write_translations(practice: Practice, translations: dict[str, TranslationInput], actor: Any) -> None:
    """The city's own translations as `translations` says. A language with a translation approved on the
    translation desk keeps it: corrections to it are new versions there."""
    own = practice.translations.filter(approved_at__isnull=True)
    own.exclude(language_id__in=list(translations)).delete()
    on_desk = set(practice.translations.filter(approved_at__isnull=False).values_list("language_id", flat=True))
    for code, t in translations.items():
        if code in on_desk:
            continue
        PracticeTranslation.objects.update_or_create(
            practice=practice,
            language_id=code,
            defaults={"title": t.title, "summary": t.summary, "translated_by": _user_or_none(actor)},
        )


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def record_version(
    practice: Practice, actor: Any, action: str, before: dict[str, Any], extra: dict[str, Any] | None = None
) -> PracticeVersion | None:
    """Keep a version when something changed: the fields that differ, as [before, after], and the content after."""
    practice = Practice.objects.select_related("city").get(pk=practice.pk)  # fresh related rows
    after = practice_document(practice)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    changes.update(extra or {})
    if not changes:
        return None
    last = practice.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return PracticeVersion.objects.create(
        practice=practice, number=last + 1, actor=_user_or_none(actor), action=action, changes=changes, content=after
    )


def check_city(city: City) -> None:
    if not Membership.objects.filter(city=city, status__in=[Membership.Status.ACTIVE, Membership.Status.SUSPENDED]):
        raise InvalidInput(_("%(city)s is not a member city.") % {"city": city}, field="city")


def new_external_id() -> str:
    return f"cx-{uuid.uuid4().hex[:16]}"


@transaction.atomic
def practice_create(*, actor: Any, city: City, data: Any) -> Practice:
    """A new draft of `city`, from a document in the import format (or an already parsed PracticeInput)."""
    require(can_create_for(actor, city.pk), _("Only officers of %(city)s can add its practices.") % {"city": city})
    check_city(city)
    parsed = _input(data)
    practice = Practice(city=city, external_id=new_external_id(), created_by=_user_or_none(actor))
    write_content(practice, parsed)
    record_version(practice, actor, "create", {})
    audit(actor, "practice.create", practice, after={"city": city.pk, "status": practice.status})
    return practice


def _editable(actor: Any, practice: Practice) -> None:
    require(
        can_edit(actor, practice),
        _("Only officers of %(city)s can change this practice.") % {"city": practice.city},
    )
    if practice.status == S.ARCHIVED:
        raise InvalidTransition(_("An archived practice cannot be changed."))


@transaction.atomic
def practice_update(*, actor: Any, practice: Practice, data: Any) -> Practice:
    practice = _lock(practice)
    _editable(actor, practice)
    parsed = _input(data)
    before = practice_document(practice)
    write_content(practice, parsed)
    version = record_version(practice, actor, "update", before)
    if version is not None:
        audit(actor, "practice.update", practice, after={"version": version.number, "fields": sorted(version.changes)})
        if practice.status == S.PUBLISHED:
            send_practice_changed(practice.pk)
    return practice


def _transition(actor: Any, practice: Practice, to: str, action: str, **fields: Any) -> Practice:
    before = practice_document(practice)
    old = practice.status
    practice.status = to
    for name, value in fields.items():
        setattr(practice, name, value)
    practice.save(update_fields=["status", *fields, "updated_at"])
    record_version(practice, actor, action, before)
    audit(actor, f"practice.{action}", practice, before={"status": old}, after={"status": to})
    return practice


@transaction.atomic
def practice_submit(*, actor: Any, practice: Practice) -> Practice:
    practice = _lock(practice)
    require(
        can_edit(actor, practice), _("Only officers of %(city)s can submit this practice.") % {"city": practice.city}
    )
    if practice.status not in (S.DRAFT, S.RETURNED):
        raise InvalidTransition(_("Only a draft or a returned practice can be submitted."))
    _transition(actor, practice, S.SUBMITTED, "submit", submitted_at=timezone.now())
    notify(practice, "submitted")
    return practice


@transaction.atomic
def practice_publish(*, actor: Any, practice: Practice) -> Practice:
    require(can_moderate(actor), _("Only the secretariat can publish practices."))
    practice = _lock(practice)
    if practice.status != S.SUBMITTED:
        raise InvalidTransition(_("Only a submitted practice can be published."))
    _transition(actor, practice, S.PUBLISHED, "publish", published_at=timezone.now(), review_comment="")
    notify(practice, "published")
    send_practice_changed(practice.pk)
    return practice


@transaction.atomic
def practice_return(*, actor: Any, practice: Practice, comment: str) -> Practice:
    """Send a submitted practice back to its city with the secretariat's comments."""
    require(can_moderate(actor), _("Only the secretariat can return practices."))
    practice = _lock(practice)
    if practice.status != S.SUBMITTED:
        raise InvalidTransition(_("Only a submitted practice can be returned."))
    r = Reader({"comment": comment})
    comment = r.text("comment", required=True, max_len=5_000)
    raise_first(r.errors)
    _transition(actor, practice, S.RETURNED, "return", review_comment=comment)
    notify(practice, "returned")
    return practice


@transaction.atomic
def practice_archive(*, actor: Any, practice: Practice) -> Practice:
    practice = _lock(practice)
    require(
        can_edit(actor, practice) or can_moderate(actor),
        _("Only officers of %(city)s or the secretariat can archive this practice.") % {"city": practice.city},
    )
    if practice.status == S.ARCHIVED:
        raise InvalidTransition(_("This practice is already archived."))
    was_published = practice.status == S.PUBLISHED
    _transition(actor, practice, S.ARCHIVED, "archive", archived_at=timezone.now())
    if was_published:
        send_practice_changed(practice.pk)
    return practice


@transaction.atomic
def practice_set_translation(
    *, actor: Any, practice: Practice, language: str, title: str, summary: str
) -> PracticeTranslation:
    """Add or replace a human translation of the title and summary."""
    practice = _lock(practice)
    _editable(actor, practice)
    vocab = Vocabulary.load()
    r = Reader({"language": language, "title": title, "summary": summary})
    code = r.choice("language", sorted(vocab.languages))
    if code and code == practice.language_id:
        r.error("language", _("A translation must be in another language than the original."))
    if code and practice.translations.filter(language_id=code, approved_at__isnull=False).exists():
        r.error(
            "language",
            _("This language has a translation approved on the translation desk; submit a correction there."),
        )
    values = {
        "title": r.text("title", required=True, max_len=200),
        "summary": r.text("summary", required=True, max_len=2_000),
    }
    raise_first(r.errors)
    before = practice_document(practice)
    translation, _created = PracticeTranslation.objects.update_or_create(
        practice=practice, language_id=code, defaults={**values, "translated_by": _user_or_none(actor)}
    )
    if record_version(practice, actor, "translate", before):
        audit(actor, "practice.translate", practice, after={"language": code})
        if practice.status == S.PUBLISHED:
            send_practice_changed(practice.pk)
    return translation


@transaction.atomic
def practice_delete_translation(*, actor: Any, practice: Practice, language: str) -> None:
    practice = _lock(practice)
    _editable(actor, practice)
    before = practice_document(practice)
    deleted, _rows = practice.translations.filter(language_id=language).delete()
    if not deleted:
        raise InvalidInput(_("There is no translation into “%(v)s”.") % {"v": language[:20]}, field="language")
    record_version(practice, actor, "translate", before)
    audit(actor, "practice.delete_translation", practice, before={"language": language})
    if practice.status == S.PUBLISHED:
        send_practice_changed(practice.pk)


@transaction.atomic
def practice_add_attachment(*, actor: Any, practice: Practice, upload: UploadedFile) -> Attachment:
    practice = _lock(practice)
    _editable(actor, practice)
    if practice.attachments.count() >= attachment_rules.MAX_PER_PRACTICE:
        raise InvalidInput(
            _("A practice can have %(n)d attachments at most.") % {"n": attachment_rules.MAX_PER_PRACTICE}, field="file"
        )
    checked = attachment_rules.check_upload(upload)
    attachment = Attachment(
        practice=practice,
        original_name=checked.name,
        kind=checked.kind,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=_user_or_none(actor),
    )
    attachment.file.save(f"{uuid.uuid4().hex}{checked.extension}", upload, save=False)
    attachment.save()
    _attachment_version(practice, actor, added=checked.name)
    audit(actor, "practice.attach", practice, after={"file": checked.name, "size": checked.size})
    return attachment


def _attachment_version(practice: Practice, actor: Any, *, added: str = "", removed: str = "") -> None:
    last = practice.versions.order_by("-number").values_list("number", flat=True).first() or 0
    PracticeVersion.objects.create(
        practice=practice,
        number=last + 1,
        actor=_user_or_none(actor),
        action="attach" if added else "detach",
        changes={"attachments": [removed or None, added or None]},
        content=practice_document(practice),
    )


@transaction.atomic
def practice_delete_attachment(*, actor: Any, attachment: Attachment) -> None:
    practice = _lock(attachment.practice)
    _editable(actor, practice)
    name = attachment.original_name
    attachment.file.delete(save=False)
    attachment.delete()
    _attachment_version(practice, actor, removed=name)
    audit(actor, "practice.detach", practice, before={"file": name})
