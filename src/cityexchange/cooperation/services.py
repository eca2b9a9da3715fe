"""The one write path of the cooperation pipeline: contact requests, cooperations, their moves and evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cityexchange.accounts.permissions import is_secretariat
from cityexchange.challenges.models import Challenge
from cityexchange.challenges.selectors import challenges_visible_to
from cityexchange.core import hooks
from cityexchange.core.audit import audit, snapshot
from cityexchange.core.errors import Conflict, InvalidInput, InvalidTransition, require
from cityexchange.core.locale_names import content_code
from cityexchange.practices.models import Indicator, Practice
from cityexchange.practices.selectors import practices_visible_to
from cityexchange.registry.models import City, Language, Membership

from . import permissions, selectors
from .models import (
    Agreement,
    ContactRequest,
    Cooperation,
    EvaluationResult,
    EvidenceDocument,
    Participant,
    StageEvent,
)
from .stages import AGREEMENT_KIND_LABELS, FINAL, AgreementKind, Context, Evidence, Stage, check_move

MAX_TEXT = 10_000
MAX_DOCUMENTS = 10


def _text(value: str, field: str, *, required: bool = False, max_len: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("This field is required."), field=field)
    if len(value) > max_len:
        raise InvalidInput(_("Too long (%(n)d characters at most).") % {"n": max_len}, field=field)
    return value


def _is_active_member(city: City) -> bool:
    return Membership.objects.filter(city=city, status=Membership.Status.ACTIVE).exists()


def _pick_city(actor: Any, candidates: Sequence[int], city: City | None, message: str) -> City:
    """The city the actor acts for: the one named (if theirs), or their only candidate."""
    if city is not None:
        require(city.pk in candidates, message)
        return city
    require(bool(candidates), message)
    return City.objects.get(pk=candidates[0])


def _touch(cooperation: Cooperation, now: dt.datetime | None = None) -> None:
    cooperation.last_activity_at = now or timezone.now()


# --- Contact requests.


@transaction.atomic
def contact_request_create(
    *,
    actor: Any,
    message: str,
    practice: Practice | None = None,
    challenge: Challenge | None = None,
    from_city: City | None = None,
    language: str = "",
) -> ContactRequest:
    """An officer asks the city that owns `practice` (or states `challenge`) to talk. `language`: the one the message
    is written in (the translation desk translates it from there); by default the sender's interface language."""
    mine = sorted(permissions.my_city_ids(actor))
    require(bool(mine), _("Only officers of a member city can ask for contact."))
    if (practice is None) == (challenge is None):
        raise InvalidInput(_("Ask about one practice or one challenge."), field="practice")
    if practice is not None:
        if not practices_visible_to(actor).filter(pk=practice.pk, status=Practice.Status.PUBLISHED).exists():
            raise InvalidInput(_("Only a published practice can be asked about."), field="practice")
        to_city, key = practice.city, f"p{practice.pk}"
    else:
        assert challenge is not None
        open_statuses = (Challenge.Status.OPEN, Challenge.Status.IN_PROGRESS)
        if not challenges_visible_to(actor).filter(pk=challenge.pk, status__in=open_statuses).exists():
            raise InvalidInput(_("Only an open challenge can be answered."), field="challenge")
        to_city, key = challenge.city, f"c{challenge.pk}"
    if from_city is None and len(mine) > 1:
        others = [c for c in mine if c != to_city.pk]
        mine = others[:1] if len(others) == 1 else mine
        if len(mine) > 1:
            raise InvalidInput(_("Choose the city you are asking for."), field="from_city")
    city = _pick_city(actor, mine, from_city, _("You can only ask for contact on behalf of your own city."))
    if city.pk == to_city.pk:
        raise InvalidInput(_("A city cannot ask itself for contact; choose another city's practice."), field="practice")
    if not _is_active_member(to_city):
        raise InvalidInput(_("%(city)s is not an active member.") % {"city": to_city}, field="practice")
    message = _text(message, "message", required=True)
    written_in = _message_language(language)
    duplicate = ContactRequest.objects.filter(
        from_city=city, to_city=to_city, subject_key=key, status=ContactRequest.Status.PENDING
    )
    if duplicate.exists():
        raise Conflict(
            _("%(city)s already has an open request about this; wait for the answer.") % {"city": city},
            field="practice" if practice else "challenge",
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            req = ContactRequest.objects.create(
                from_city=city,
                to_city=to_city,
                practice=practice,
                challenge=challenge,
                subject_key=key,
                message=message,
                language=written_in,
                requested_by=actor,
                expires_at=now + dt.timedelta(days=selectors.request_expiry_days()),
            )
    except IntegrityError as exc:  # a concurrent duplicate
        raise Conflict(_("There is already an open request about this."), field="practice") from exc
    audit(actor, "contact_request.create", req, after=snapshot(req, ["from_city", "to_city", "subject_key"]))
    _notify(req.to_city_id, "contact_request", req.pk)
    return req


def _message_language(code: str) -> Language:
    """The language a message is written in: the one named, else the sender's interface language."""
    wanted = (code or "").strip().lower() or content_code(get_language())
    # Compared in Python: a client's string never reaches the database as a query value.
    known = {lang.code: lang for lang in Language.objects.all()}
    if wanted not in known:
        raise InvalidInput(_("Unknown language: %(v)s.") % {"v": wanted[:20]}, field="language")
    return known[wanted]


def _pending(req: ContactRequest) -> ContactRequest:
    req = ContactRequest.objects.select_for_update().get(pk=req.pk)
    if req.status != ContactRequest.Status.PENDING:
        raise InvalidTransition(
            _("This request has already been answered or closed (%(status)s).") % {"status": req.get_status_display()}
        )
    if req.expires_at <= timezone.now():
        raise InvalidTransition(_("This request has expired; the other city can ask again."))
    return req


@transaction.atomic
def contact_request_accept(*, actor: Any, request: ContactRequest, answer: str = "") -> Cooperation:
    """The asked city accepts: a cooperation opens at the contact stage with both cities."""
    require(permissions.can_answer(actor, request), _("Only officers of the city asked can answer this request."))
    req = _pending(request)
    answer = _text(answer, "answer")
    now = timezone.now()
    cooperation = _create_cooperation(
        actor=req.requested_by or actor,
        cities=[req.from_city, req.to_city],
        practice=req.practice,
        challenge=req.challenge,
        origin=Cooperation.Origin.CONTACT,
        first=(req.created_at.date(), req.message, req.from_city),
    )
    _record(
        cooperation,
        actor=actor,
        city=req.to_city,
        to_stage=Stage.CONTACT,
        occurred_on=timezone.localdate(now),
        note=answer or _("%(city)s accepted the request for contact.") % {"city": req.to_city},
    )
    req.status, req.answer, req.answered_by, req.answered_at = ContactRequest.Status.ACCEPTED, answer, actor, now
    req.cooperation = cooperation
    req.save(update_fields=["status", "answer", "answered_by", "answered_at", "cooperation", "updated_at"])
    audit(actor, "contact_request.accept", req, before={"status": "pending"}, after={"cooperation": cooperation.pk})
    _notify(req.from_city_id, "contact_accepted", req.pk)
    request.refresh_from_db()
    return cooperation


@transaction.atomic
def contact_request_decline(*, actor: Any, request: ContactRequest, answer: str) -> ContactRequest:
    require(permissions.can_answer(actor, request), _("Only officers of the city asked can answer this request."))
    answer = _text(answer, "answer", required=True)
    req = _pending(request)
    req.status, req.answer, req.answered_by, req.answered_at = (
        ContactRequest.Status.DECLINED,
        answer,
        actor,
        timezone.now(),
    )
    req.save(update_fields=["status", "answer", "answered_by", "answered_at", "updated_at"])
    audit(actor, "contact_request.decline", req, before={"status": "pending"}, after={"status": req.status})
    _notify(req.from_city_id, "contact_declined", req.pk)
    return req


@transaction.atomic
def contact_request_withdraw(*, actor: Any, request: ContactRequest) -> ContactRequest:
    require(permissions.can_withdraw(actor, request), _("Only officers of the asking city can withdraw it."))
    req = _pending(request)
    req.status = ContactRequest.Status.WITHDRAWN
    req.save(update_fields=["status", "updated_at"])
    audit(actor, "contact_request.withdraw", req, before={"status": "pending"}, after={"status": req.status})
    return req


@transaction.atomic
def contact_requests_expire(*, now: dt.datetime | None = None) -> list[int]:
    """Mark pending requests past their answer-by time as expired (periodic). Returns their ids."""
    now = now or timezone.now()
    due = list(
        ContactRequest.objects.select_for_update()
        .filter(status=ContactRequest.Status.PENDING, expires_at__lte=now)
        .order_by("pk")
    )
    for req in due:
        req.status = ContactRequest.Status.EXPIRED
        req.save(update_fields=["status", "updated_at"])
        audit(None, "contact_request.expire", req, before={"status": "pending"}, after={"status": "expired"})
    return [r.pk for r in due]


# --- Cooperations.


def _roles(cities: list[City], practice: Practice | None, challenge: Challenge | None) -> dict[int, str]:
    roles: dict[int, str] = {}
    for city in cities:
        if practice is not None:
            roles[city.pk] = Participant.Role.PROVIDER if city.pk == practice.city_id else Participant.Role.ADOPTER
        elif challenge is not None:
            roles[city.pk] = Participant.Role.ADOPTER if city.pk == challenge.city_id else Participant.Role.PROVIDER
        else:
            roles[city.pk] = Participant.Role.PARTNER
    return roles


def _clean_cities(cities: Iterable[City]) -> list[City]:
    unique: dict[int, City] = {}
    for city in cities:
        unique.setdefault(city.pk, city)
    if len(unique) < 2:
        raise InvalidInput(
            _("A cooperation needs at least two different cities; a city cannot cooperate with itself."), field="cities"
        )
    for city in unique.values():
        if not _is_active_member(city):
            raise InvalidInput(_("%(city)s is not an active member.") % {"city": city}, field="cities")
    return list(unique.values())


def _title(practice: Practice | None, challenge: Challenge | None, cities: list[City], title: str) -> str:
    title = _text(title, "title", max_len=300)
    if title:
        return title
    subject = practice.title if practice else challenge.title if challenge else ""
    names = " – ".join(c.name for c in cities)
    return f"{subject} ({names})"[:300] if subject else names[:300]


def _create_cooperation(
    *,
    actor: Any,
    cities: list[City],
    practice: Practice | None,
    challenge: Challenge | None,
    origin: str,
    first: tuple[dt.date, str, City],
    title: str = "",
) -> Cooperation:
    cities = _clean_cities(cities)
    if practice is not None and practice.city_id not in {c.pk for c in cities}:
        raise InvalidInput(_("The city that owns the practice must take part."), field="practice")
    if challenge is not None and challenge.city_id not in {c.pk for c in cities}:
        raise InvalidInput(_("The city that states the challenge must take part."), field="challenge")
    occurred_on, note, city = first
    if occurred_on > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), field="occurred_on")
    cooperation = Cooperation.objects.create(
        title=_title(practice, challenge, cities, title),
        practice=practice,
        challenge=challenge,
        origin=origin,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
        stage=Stage.INTEREST,
        last_activity_at=timezone.now(),
    )
    roles = _roles(cities, practice, challenge)
    Participant.objects.bulk_create(Participant(cooperation=cooperation, city=c, role=roles[c.pk]) for c in cities)
    StageEvent.objects.create(
        cooperation=cooperation,
        from_stage="",
        to_stage=Stage.INTEREST,
        occurred_on=occurred_on,
        note=note,
        city=city,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit(
        actor,
        "cooperation.open",
        cooperation,
        after={"cities": [c.pk for c in cities], "practice": getattr(practice, "pk", None), "origin": origin},
    )
    return cooperation


def _subjects_visible(actor: Any, practice: Practice | None, challenge: Challenge | None) -> None:
    if practice is not None and not practices_visible_to(actor).filter(pk=practice.pk).exists():
        raise InvalidInput(_("There is no such practice, or you may not see it."), field="practice")
    if challenge is not None and not challenges_visible_to(actor).filter(pk=challenge.pk).exists():
        raise InvalidInput(_("There is no such challenge, or you may not see it."), field="challenge")


@transaction.atomic
def cooperation_open(
    *,
    actor: Any,
    cities: Iterable[City],
    practice: Practice | None = None,
    challenge: Challenge | None = None,
    title: str = "",
    note: str = "",
    occurred_on: dt.date | None = None,
) -> Cooperation:
    """Open a cooperation directly (at the interest stage): the actor must work for one of the cities."""
    cities = list(cities)
    mine = permissions.my_city_ids(actor)
    require(any(c.pk in mine for c in cities), _("You can only open a cooperation your own city takes part in."))
    _subjects_visible(actor, practice, challenge)
    acting = next(c for c in cities if c.pk in mine)
    return _create_cooperation(
        actor=actor,
        cities=cities,
        practice=practice,
        challenge=challenge,
        origin=Cooperation.Origin.DIRECT,
        first=(occurred_on or timezone.localdate(), _text(note, "note"), acting),
        title=title,
    )


@transaction.atomic
def cooperation_open_from_meeting(
    *,
    actor: Any,
    meeting: Any = None,
    cities: Iterable[City] | None = None,
    practice: Practice | None = None,
    challenge: Challenge | None = None,
    note: str = "",
    next_steps: str = "",
) -> Cooperation:
    """The forum's hook: a held 1:1 meeting becomes a cooperation at the contact stage.

    Called with `meeting` (a `forum.Meeting`: its two registrations' cities, its topic and outcome) or with
    `cities` and the rest given explicitly. The forum checks who may record the meeting; here the actor must be
    the secretariat, an organiser of the event or an officer of one of the cities."""
    title = ""
    occurred_on = timezone.localdate()
    organiser = False
    if meeting is not None:
        request = meeting.request
        cities = [request.requester.city, request.target.city]
        title = request.topic
        note = note or request.topic
        next_steps = next_steps or meeting.outcome
        if meeting.held_at:
            occurred_on = timezone.localdate(meeting.held_at)
        # The forum sits above cooperation: it tells who organises the meeting's event through a hook.
        meeting_organiser = hooks.provider("cooperation.meeting_organiser")
        organiser = meeting_organiser is not None and meeting_organiser(actor, meeting)
    city_list = list(cities or [])
    mine = permissions.my_city_ids(actor)
    require(
        organiser or is_secretariat(actor) or any(c.pk in mine for c in city_list),
        _("Only the cities that met, the organisers and the secretariat can open this cooperation."),
    )
    acting = next((c for c in city_list if c.pk in mine), city_list[0] if city_list else None)
    if acting is None:
        raise InvalidInput(_("A cooperation needs at least two different cities."), field="cities")
    cooperation = _create_cooperation(
        actor=actor,
        cities=city_list,
        practice=practice,
        challenge=challenge,
        origin=Cooperation.Origin.MEETING,
        first=(occurred_on, _text(note, "note"), acting),
        title=title,
    )
    _record(
        cooperation,
        actor=actor,
        city=acting,
        to_stage=Stage.CONTACT,
        occurred_on=occurred_on,
        note=_text(next_steps, "next_steps") or _("The cities met at the forum."),
    )
    return cooperation


def _record(
    cooperation: Cooperation,
    *,
    actor: Any,
    city: City | None,
    to_stage: str,
    occurred_on: dt.date,
    note: str = "",
    private_note: str = "",
) -> StageEvent:
    event = StageEvent.objects.create(
        cooperation=cooperation,
        from_stage=cooperation.stage,
        to_stage=to_stage,
        occurred_on=occurred_on,
        note=note,
        private_note=private_note,
        city=city,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    cooperation.stage = to_stage
    _touch(cooperation)
    cooperation.save(update_fields=["stage", "last_activity_at", "updated_at"])
    return event


def _check_documents(documents: Sequence[UploadedFile]) -> list[Any]:
    from cityexchange.practices.attachments import check_upload

    if len(documents) > MAX_DOCUMENTS:
        raise InvalidInput(_("Attach %(n)d documents at most.") % {"n": MAX_DOCUMENTS}, field="documents")
    checked = []
    for upload in documents:
        try:
            checked.append(check_upload(upload))
        except InvalidInput as exc:
            raise InvalidInput(f"{upload.name}: {exc.message}", field="documents") from exc
    return checked


def _save_documents(event: StageEvent, documents: Sequence[UploadedFile], actor: Any) -> None:
    for upload, info in zip(documents, _check_documents(documents), strict=True):
        doc = EvidenceDocument(
            event=event, original_name=info.name, content_type=info.content_type, size=info.size, uploaded_by=actor
        )
        doc.file.save(info.name, upload, save=False)
        doc.save()


def _acting_city(actor: Any, cooperation: Cooperation, city: City | None) -> City:
    return _pick_city(
        actor,
        permissions.acting_city_ids(actor, cooperation),
        city,
        _("Only officers of the cities taking part can change this cooperation."),
    )


@transaction.atomic
def cooperation_move(
    *,
    actor: Any,
    cooperation: Cooperation,
    to_stage: str,
    evidence: Evidence,
    documents: Sequence[UploadedFile] = (),
    city: City | None = None,
) -> StageEvent:
    """Move a cooperation to another stage with the evidence that stage needs (see `stages.REQUIRES`)."""
    acting = _acting_city(actor, cooperation, city)
    coop = Cooperation.objects.select_for_update().get(pk=cooperation.pk)
    city_ids = sorted(permissions.participant_city_ids(coop))
    indicators = {i.pk: i for i in Indicator.objects.filter(practice_id=coop.practice_id)} if coop.practice_id else {}
    reached = (
        StageEvent.objects.filter(cooperation=coop, to_stage=coop.stage)
        .exclude(from_stage=F("to_stage"))
        .order_by("-occurred_on")
        .values_list("occurred_on", flat=True)
        .first()
    )
    ctx = Context(
        today=timezone.localdate(),
        city_ids=city_ids,
        indicator_ids=indicators,
        previous_stage=coop.stage,
        previous_on=reached,
    )
    problems = check_move(coop.stage, to_stage, evidence, ctx)
    if problems:
        first = problems[0]
        if first.field == "to_stage":
            raise InvalidTransition(first.message, field="to_stage")
        raise InvalidInput(first.message, field=first.field)
    _check_documents(documents)
    for name, value, limit in (("note", evidence.note, MAX_TEXT), ("private_note", evidence.private_note, MAX_TEXT)):
        _text(value, name, max_len=limit)
    before = snapshot(coop, ["stage"])
    event = _record(
        coop,
        actor=actor,
        city=acting,
        to_stage=to_stage,
        occurred_on=evidence.occurred_on or timezone.localdate(),
        note=evidence.note.strip(),
        private_note=evidence.private_note.strip(),
    )
    if to_stage == Stage.AGREEMENT:
        _save_agreement(coop, event, evidence)
    if to_stage == Stage.EVALUATED:
        _save_results(event, evidence, indicators)
    if to_stage == Stage.CLOSED:
        coop.closed_reason = _text(evidence.reason, "reason", required=True)
        coop.save(update_fields=["closed_reason", "updated_at"])
    _save_documents(event, documents, actor)
    audit(actor, "cooperation.move", coop, before=before, after={"stage": to_stage, "event": event.pk})
    for other in city_ids:
        if other != acting.pk:
            _notify(other, "cooperation_moved", event.pk)
    cooperation.refresh_from_db()
    return event


def _save_agreement(coop: Cooperation, event: StageEvent, ev: Evidence) -> None:
    names = dict(City.objects.filter(pk__in=[s.city_id for s in ev.signatories]).values_list("pk", "name"))
    kind = AgreementKind(ev.agreement_kind)
    title = _text(ev.agreement_title, "agreement_title", max_len=300) or f"{AGREEMENT_KIND_LABELS[kind]}: {coop.title}"
    assert ev.signed_on is not None
    Agreement.objects.create(
        cooperation=coop,
        event=event,
        kind=kind.value,
        title=title[:300],
        signed_on=ev.signed_on,
        signatories=[
            {
                "city_id": s.city_id,
                "city": names.get(s.city_id, ""),
                "name": s.name.strip()[:200],
                "role": s.role.strip()[:200],
            }
            for s in ev.signatories
        ],
    )


def _save_results(event: StageEvent, ev: Evidence, indicators: dict[int, Indicator]) -> None:
    rows = []
    for r in ev.results:
        ind = indicators.get(r.indicator_id) if r.indicator_id is not None else None
        rows.append(
            EvaluationResult(
                event=event,
                indicator=ind,
                name=(ind.name if ind else r.name.strip())[:200],
                unit=(ind.unit if ind else r.unit.strip())[:40],
                baseline=ind.baseline if ind else None,
                target=ind.achieved if ind else None,
                value=float(r.value or 0),
                note=r.note.strip()[:500],
            )
        )
    EvaluationResult.objects.bulk_create(rows)


@transaction.atomic
def cooperation_add_note(
    *,
    actor: Any,
    cooperation: Cooperation,
    note: str = "",
    private_note: str = "",
    occurred_on: dt.date | None = None,
    documents: Sequence[UploadedFile] = (),
    city: City | None = None,
) -> StageEvent:
    """Add a note (and documents) without moving: it counts as activity, so the cooperation is not stalled."""
    acting = _acting_city(actor, cooperation, city)
    coop = Cooperation.objects.select_for_update().get(pk=cooperation.pk)
    if coop.stage in FINAL:
        raise InvalidTransition(_("This cooperation is finished; it takes no more notes."))
    note, private_note = _text(note, "note"), _text(private_note, "private_note")
    if not note and not private_note and not documents:
        raise InvalidInput(_("Write a note or attach a document."), field="note")
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."), field="occurred_on")
    _check_documents(documents)
    event = _record(
        coop,
        actor=actor,
        city=acting,
        to_stage=coop.stage,
        occurred_on=occurred_on,
        note=note,
        private_note=private_note,
    )
    _save_documents(event, documents, actor)
    audit(actor, "cooperation.note", coop, after={"event": event.pk})
    cooperation.refresh_from_db()
    return event


@transaction.atomic
def cooperations_remind_stalled(*, now: dt.datetime | None = None) -> list[int]:
    """Remind both sides of every stalled cooperation (periodic). One reminder per stalled period: again only after
    another COOPERATION_STALLED_DAYS without activity. Returns the ids reminded."""
    now = now or timezone.now()
    period = dt.timedelta(days=selectors.stalled_days())
    due = []
    for coop in selectors.stalled_cooperations(now).select_for_update().order_by("pk"):
        if coop.last_reminder_at and coop.last_reminder_at > now - period:
            continue
        coop.last_reminder_at = now
        coop.save(update_fields=["last_reminder_at"])
        audit(None, "cooperation.remind", coop, after={"last_activity_at": coop.last_activity_at.isoformat()})
        due.append(coop.pk)
    return due


def _notify(city_id: int, kind: str, object_id: int) -> None:
    from .tasks import notify_city

    transaction.on_commit(lambda: notify_city.enqueue(city_id=city_id, kind=kind, object_id=object_id))
