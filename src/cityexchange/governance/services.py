"""The one write path of governance: documents, seats, delegates, votes (opening, casting, counting, acting on
the result) and working groups. Every change is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cityexchange.accounts.permissions import is_officer, is_secretariat
from cityexchange.core.audit import audit, snapshot
from cityexchange.core.errors import Conflict, DomainError, InvalidInput, InvalidTransition, PermissionDenied, require
from cityexchange.core.translated_names import clean_names
from cityexchange.core.validation import clean_text
from cityexchange.registry import services as registry_services
from cityexchange.registry.models import City, Language, Membership, MembershipApplication, Sector

from . import tally
from .models import (
    Ballot,
    Body,
    Delegation,
    Document,
    DocumentText,
    DocumentVersion,
    Elector,
    GroupDocument,
    GroupMember,
    MajorityRule,
    Meeting,
    Seat,
    SecretBallot,
    StatutesSettings,
    Vote,
    VoteOption,
    VoteResult,
    WorkingGroup,
    WorkPlanItem,
)
from .permissions import (
    can_join_group,
    can_manage_group,
    can_name_delegate,
    can_run_votes,
    can_share_in_group,
    represents,
)

# Ballot codes: 16 characters from an alphabet without look-alikes (80 bits), shown as XXXX-XXXX-XXXX-XXXX.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16


def statutes_settings() -> StatutesSettings:
    settings, _created = StatutesSettings.objects.get_or_create(pk=1)
    return settings


@transaction.atomic
def statutes_settings_set(
    *, actor: Any, allowed_majority_rules: Sequence[str], default_majority_rule: str, default_quorum_percent: int
) -> StatutesSettings:
    """What the statutes say about voting: the rules a vote may use, the default one and the quorum."""
    require(is_secretariat(actor), _("Only the secretariat can record what the statutes say about voting."))
    rules = sorted(set(allowed_majority_rules))
    if not rules or not set(rules) <= set(MajorityRule.values):
        raise InvalidInput(_("Choose at least one known majority rule."), field="allowed_majority_rules")
    if default_majority_rule not in rules:
        raise InvalidInput(_("The default rule must be one of the allowed rules."), field="default_majority_rule")
    if not 1 <= default_quorum_percent <= 100:
        raise InvalidInput(_("The quorum is between 1 and 100 per cent."), field="default_quorum_percent")
    settings = statutes_settings()
    fields = ["allowed_majority_rules", "default_majority_rule", "default_quorum_percent"]
    before = snapshot(settings, fields)
    settings.allowed_majority_rules = rules
    settings.default_majority_rule = default_majority_rule
    settings.default_quorum_percent = default_quorum_percent
    settings.save(update_fields=[*fields, "updated_at"])
    audit(actor, "statutes.settings", settings, before=before, after=snapshot(settings, fields))
    return settings


# --- Documents -------------------------------------------------------------------------------------------------


@transaction.atomic
def document_create(*, actor: Any, slug: str, kind: str, rank: int = 0) -> Document:
    """A new document, without text yet: its first version comes with document_version_add."""
    require(is_secretariat(actor), _("Only the secretariat can record documents."))
    slug = clean_text(slug, "slug", _("The code"), 80).lower()
    if not slug.isascii() or not all(c.isalnum() or c in "-_" for c in slug):
        raise InvalidInput(_("Use only Latin letters, digits and hyphens in the code."), field="slug")
    if kind not in Document.Kind.values:
        raise InvalidInput(_("Unknown kind of document."), field="kind")
    if rank < 0:
        raise InvalidInput(_("The order must not be negative."), field="rank")
    if Document.objects.filter(slug=slug).exists():
        raise Conflict(_("A document with this code already exists."), field="slug")
    document = Document.objects.create(slug=slug, kind=kind, rank=rank)
    audit(actor, "document.create", document, after={"slug": slug, "kind": kind})
    return document


@transaction.atomic
def document_version_add(
    *,
    actor: Any,
    document: Document,
    adopted_on: dt.date,
    decision: str,
    texts: dict[str, tuple[str, str]],
    adopted_by_vote: Vote | None = None,
) -> DocumentVersion:
    """A new version of a document, with its text in each language given ({code: (title, body)})."""
    require(is_secretariat(actor), _("Only the secretariat can record documents."))
    decision = clean_text(decision, "decision", _("The adopting decision"), 300)
    if not texts:
        raise InvalidInput(_("Give the text in at least one language."), field="texts")
    known = set(Language.objects.filter(code__in=texts).values_list("code", flat=True))
    unknown = sorted(set(texts) - known)
    if unknown:
        raise InvalidInput(_("Unknown language: %(v)s.") % {"v": ", ".join(unknown)}, field="texts")
    last = document.versions.order_by("-number").first()
    version = DocumentVersion.objects.create(
        document=document,
        number=(last.number + 1) if last else 1,
        adopted_on=adopted_on,
        decision=decision,
        adopted_by_vote=adopted_by_vote,
    )
    for code, (title, body) in texts.items():
        DocumentText.objects.create(
            version=version,
            language_id=code,
            title=clean_text(title, "title", _("The title"), 300),
            body=clean_text(body, "body", _("The text"), 200_000),
        )
    audit(actor, "document.version_add", version, after={"number": version.number, "languages": sorted(texts)})
    return version


# --- Bodies, seats and delegates -------------------------------------------------------------------------------


def seats_in_force(body: Body, on: dt.date | None = None) -> Any:
    day = on or timezone.localdate()
    return body.seats.filter(Q(end_on__isnull=True) | Q(end_on__gte=day), start_on__lte=day)


def electorate(body: Body) -> list[int]:
    """Ids of the cities that vote in the body today: seated, and active members of the association."""
    return sorted(
        set(
            seats_in_force(body)
            .filter(city__isnull=False, city__membership__status=Membership.Status.ACTIVE)
            .values_list("city_id", flat=True)
        )
    )


@transaction.atomic
def seat_add(
    *,
    actor: Any,
    body: Body,
    city: City | None = None,
    person: Any = None,
    role: str = Seat.Role.MEMBER,
    start_on: dt.date | None = None,
    end_on: dt.date | None = None,
) -> Seat:
    require(is_secretariat(actor), _("Only the secretariat can change who sits on a body."))
    if (city is None) == (person is None):
        raise InvalidInput(_("A seat is held either by a city or by a person."), field="city")
    if body.votes_by_city and city is None:
        raise InvalidInput(_("Seats on this body are held by cities."), field="city")
    if role not in Seat.Role.values:
        raise InvalidInput(_("Unknown role."), field="role")
    start_on = start_on or timezone.localdate()
    if end_on is not None and end_on < start_on:
        raise InvalidInput(_("A term cannot end before it starts."), field="end_on")
    holder = Q(city=city) if city is not None else Q(person=person)
    overlapping = body.seats.filter(holder).filter(Q(end_on__isnull=True) | Q(end_on__gte=start_on))
    if end_on is not None:
        overlapping = overlapping.filter(start_on__lte=end_on)
    if overlapping.exists():
        raise Conflict(_("%(who)s already has a seat on this body for that time.") % {"who": city or person})
    seat = Seat.objects.create(body=body, city=city, person=person, role=role, start_on=start_on, end_on=end_on)
    audit(actor, "seat.add", seat, after=snapshot(seat, ["body", "city", "person", "role", "start_on", "end_on"]))
    return seat


@transaction.atomic
def seat_end(*, actor: Any, seat: Seat, end_on: dt.date | None = None) -> Seat:
    require(is_secretariat(actor), _("Only the secretariat can change who sits on a body."))
    end_on = end_on or timezone.localdate()
    if seat.end_on is not None and seat.end_on <= end_on:
        raise InvalidTransition(_("This term has already ended."))
    if end_on < seat.start_on:
        raise InvalidInput(_("A term cannot end before it starts."), field="end_on")
    before = snapshot(seat, ["end_on"])
    seat.end_on = end_on
    seat.save(update_fields=["end_on", "updated_at"])
    audit(actor, "seat.end", seat, before=before, after=snapshot(seat, ["end_on"]))
    return seat


@transaction.atomic
def delegate_name(*, actor: Any, city: City, user: Any) -> Delegation:
    """The coordinator names who else may cast the city's votes. A new delegate replaces the previous one."""
    require(
        can_name_delegate(actor, city.pk),
        _("Only the coordinator of %(city)s can name its delegate.") % {"city": city},
    )
    if user is None or not is_officer(user, city.pk):
        raise InvalidInput(_("The delegate must be on the team of %(city)s.") % {"city": city}, field="user")
    now = timezone.now()
    for old in Delegation.objects.select_for_update().filter(city=city, revoked_at__isnull=True):
        old.revoked_at = now
        old.save(update_fields=["revoked_at", "updated_at"])
        audit(actor, "delegate.revoke", old)
    delegation = Delegation.objects.create(city=city, user=user, named_by=actor)
    audit(actor, "delegate.name", delegation, after={"city": city.pk, "user": user.pk})
    return delegation


@transaction.atomic
def delegate_revoke(*, actor: Any, delegation: Delegation) -> Delegation:
    require(can_name_delegate(actor, delegation.city_id), _("Only the city's coordinator can withdraw its delegate."))
    if delegation.revoked_at:
        raise InvalidTransition(_("This delegation has already been withdrawn."))
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at", "updated_at"])
    audit(actor, "delegate.revoke", delegation)
    return delegation


# --- Votes -----------------------------------------------------------------------------------------------------


@transaction.atomic
def vote_open(
    *,
    actor: Any,
    body: Body,
    kind: str,
    title: str,
    closes_at: dt.datetime,
    motion: str = "",
    options: Sequence[str] = (),
    seats: int = 1,
    subject_city: City | None = None,
    secret: bool = False,
    majority_rule: str = "",
    quorum_percent: int | None = None,
    opens_at: dt.datetime | None = None,
) -> Vote:
    """Open a vote of a body on a motion. Without `options` the ballot is yes / no / abstain.

    The majority rule and quorum default to the statutes' settings; a rule the statutes do not allow is refused.
    The electorate is fixed now: the cities seated on the body that are active members.
    """
    require(can_run_votes(actor), _("Only the secretariat can open a vote."))
    rules = statutes_settings()
    if not body.votes_by_city:
        raise InvalidInput(_("%(body)s does not hold votes.") % {"body": body}, field="body")
    if kind not in Vote.Kind.values:
        raise InvalidInput(_("Unknown kind of motion."), field="kind")
    title = clean_text(title, "title", _("The title"), 300)
    motion = clean_text(motion, "motion", _("The text of the motion"), 20_000, required=False)
    majority_rule = majority_rule or rules.default_majority_rule
    if majority_rule not in rules.allowed_majority_rules:
        allowed = ", ".join(str(MajorityRule(r).label) for r in rules.allowed_majority_rules if r in MajorityRule)
        raise InvalidInput(
            _("The statutes do not allow this majority rule. Allowed: %(allowed)s.") % {"allowed": allowed},
            field="majority_rule",
        )
    quorum = rules.default_quorum_percent if quorum_percent is None else quorum_percent
    if not 1 <= quorum <= 100:
        raise InvalidInput(_("The quorum is a percentage from 1 to 100."), field="quorum_percent")
    if quorum < rules.default_quorum_percent:
        raise InvalidInput(
            _("The statutes require a quorum of at least %(n)d %%.") % {"n": rules.default_quorum_percent},
            field="quorum_percent",
        )
    now = timezone.now()
    opens_at = opens_at or now
    if closes_at <= opens_at:
        raise InvalidInput(_("The vote must close after it opens."), field="closes_at")
    if closes_at <= now:
        raise InvalidInput(_("The closing time has already passed."), field="closes_at")
    labels = [o.strip() for o in options if o and o.strip()]
    if kind == Vote.Kind.ADMISSION:
        if subject_city is None:
            raise InvalidInput(_("Choose the city to admit."), field="subject_city")
        if Membership.objects.filter(city=subject_city, status=Membership.Status.ACTIVE).exists():
            raise Conflict(_("%(city)s is already an active member.") % {"city": subject_city}, field="subject_city")
        if Vote.objects.filter(kind=Vote.Kind.ADMISSION, subject_city=subject_city, result__isnull=True).exists():
            raise Conflict(
                _("A vote on admitting %(city)s is already under way.") % {"city": subject_city}, field="subject_city"
            )
        labels = []
    elif subject_city is not None:
        raise InvalidInput(_("Only an admission names a city to admit."), field="subject_city")
    if kind == Vote.Kind.ELECTION and len(labels) < 2:
        raise InvalidInput(_("An election needs at least two candidates."), field="options")
    if labels:
        if len(labels) > 50 or any(len(label) > 200 for label in labels):
            raise InvalidInput(_("At most 50 options of 200 characters each."), field="options")
        if len({label.casefold() for label in labels}) != len(labels):
            raise InvalidInput(_("Each option must be different."), field="options")
        if not 1 <= seats < len(labels):
            raise InvalidInput(_("The seats to fill must be at least 1 and fewer than the options."), field="seats")
    else:
        seats = 1
    city_ids = electorate(body)
    if not city_ids:
        raise InvalidInput(_("Nobody could vote: %(body)s has no active member seated.") % {"body": body}, field="body")
    vote = Vote.objects.create(
        body=body,
        kind=kind,
        title=title,
        motion=motion,
        subject_city=subject_city,
        ballot_type=Vote.BallotType.CHOICE if labels else Vote.BallotType.YES_NO,
        seats=seats,
        secret=secret,
        majority_rule=majority_rule,
        quorum_percent=quorum,
        opens_at=opens_at,
        closes_at=closes_at,
        opened_by=actor,
    )
    if labels:
        rows = [
            VoteOption(vote=vote, kind=VoteOption.Kind.CHOICE, label=label, rank=i) for i, label in enumerate(labels)
        ]
        rows.append(VoteOption(vote=vote, kind=VoteOption.Kind.ABSTAIN, label="abstain", rank=len(labels)))
    else:
        rows = [
            VoteOption(vote=vote, kind=k, label=k, rank=i)
            for i, k in enumerate((VoteOption.Kind.YES, VoteOption.Kind.NO, VoteOption.Kind.ABSTAIN))
        ]
    VoteOption.objects.bulk_create(rows)
    Elector.objects.bulk_create(Elector(vote=vote, city_id=c) for c in city_ids)
    audit(
        actor,
        "vote.open",
        vote,
        after={
            **snapshot(
                vote,
                [
                    "body",
                    "kind",
                    "subject_city",
                    "secret",
                    "majority_rule",
                    "quorum_percent",
                    "opens_at",
                    "closes_at",
                    "seats",
                ],
            ),
            "options": labels,
            "electorate": len(city_ids),
        },
    )
    return vote


def vote_phase(vote: Vote, now: dt.datetime | None = None) -> str:
    """scheduled, open, closing (time is up, not counted yet) or counted."""
    if VoteResult.objects.filter(vote=vote).exists():
        return "counted"
    now = now or timezone.now()
    if now < vote.opens_at:
        return "scheduled"
    return "open" if now < vote.closes_at else "closing"


def normalise_code(code: str) -> str:
    return "".join(c for c in (code or "").upper() if c.isalnum())


def _code_hash(vote: Vote, city: City, code: str) -> str:
    """The code is bound to the vote *and* the city it was issued to: another city's code finds nothing."""
    return hashlib.sha256(f"ballot:2:{vote.pk}:{city.pk}:{normalise_code(code)}".encode()).hexdigest()


_shuffle = secrets.SystemRandom().shuffle


def _rewrite_secret_ballots(vote: Vote) -> None:
    """Write the vote's anonymous ballots again, in a random order and under new random keys.

    Called after every cast or change: the row just written would otherwise be the newest one (SQLite's rowid,
    PostgreSQL's physical order), and the audit log says which city cast or changed its ballot at that moment.
    After the rewrite the physical order is a fresh random permutation and the ids are new, so neither says which
    row was written last. The cost grows with the electorate (a few hundred rows at most), not with the data."""
    # Read in hash order (meaningless, and the same on every database) so that only the shuffle decides the order.
    ballots = SecretBallot.objects.select_for_update().filter(vote=vote).order_by("token_hash")
    rows = list(ballots.values_list("option_id", "token_hash"))
    _shuffle(rows)
    SecretBallot.objects.filter(vote=vote).delete()
    SecretBallot.objects.bulk_create(
        [SecretBallot(id=uuid.uuid4(), vote=vote, option_id=option_id, token_hash=h) for option_id, h in rows]
    )


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@dataclass(frozen=True)
class CastReceipt:
    ballot: Ballot
    changed: bool
    code: str = ""  # a secret ballot's code, given once, when the city first votes


@transaction.atomic
def vote_cast(*, actor: Any, vote: Vote, city: City, option: VoteOption, code: str = "") -> CastReceipt:
    """Cast (or change, until closing) the city's ballot. One ballot per city: casting again replaces it.

    In a secret vote the first ballot returns a code; changing it later needs that code, because nothing else
    links the city to its choice.
    """
    require(getattr(actor, "is_authenticated", False), _("Sign in to vote."))
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    now = timezone.now()
    if now < vote.opens_at:
        raise InvalidTransition(_("Voting has not opened yet."))
    if now >= vote.closes_at or VoteResult.objects.filter(vote=vote).exists():
        raise InvalidTransition(_("Voting is closed."))
    if not Elector.objects.filter(vote=vote, city=city).exists():
        raise PermissionDenied(_("%(city)s is not among the electors of this vote.") % {"city": city})
    if not Membership.objects.filter(city=city, status=Membership.Status.ACTIVE).exists():
        raise PermissionDenied(_("%(city)s is not an active member and cannot vote.") % {"city": city})
    require(represents(actor, city.pk), _("You do not represent %(city)s in this vote.") % {"city": city})
    if option.vote_id != vote.pk:
        raise InvalidInput(_("This option does not belong to this vote."), field="option")
    ballot = Ballot.objects.select_for_update().filter(vote=vote, city=city).first()
    if ballot is not None:
        return _change(actor, vote, ballot, option, code)
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                vote=vote, city=city, option=None if vote.secret else option, cast_by=actor, cast_at=now
            )
    except IntegrityError as exc:  # the same city voting twice at the same instant
        raise Conflict(_("%(city)s has just voted; reload the page.") % {"city": city}) from exc
    new_code = ""
    if vote.secret:
        new_code = _new_code()
        SecretBallot.objects.create(vote=vote, option=option, token_hash=_code_hash(vote, city, new_code))
        _rewrite_secret_ballots(vote)
        audit(actor, "vote.cast", ballot, after={"city": city.pk, "secret": True})
    else:
        audit(actor, "vote.cast", ballot, after={"city": city.pk, "option": option.pk})
    return CastReceipt(ballot=ballot, changed=False, code=new_code)


def _change(actor: Any, vote: Vote, ballot: Ballot, option: VoteOption, code: str) -> CastReceipt:
    if vote.secret:
        if not normalise_code(code):
            raise Conflict(
                _("%(city)s has already voted. To change the vote, give the ballot code it received.")
                % {"city": ballot.city},
                field="code",
            )
        secret = (
            SecretBallot.objects.select_for_update()
            .filter(vote=vote, token_hash=_code_hash(vote, ballot.city, code))
            .first()
        )
        if secret is None:
            # One answer for a mistyped code, another city's code and a code from before codes were bound to
            # their city: the refusal must not tell them apart.
            raise InvalidInput(_("This ballot code is not valid for this vote."), field="code")
        # Whether the option really changes is not told (answer, counter and audit row are the same either way):
        # otherwise sending an option would reveal whether it is the one already chosen.
        secret.option = option
        secret.save(update_fields=["option"])
        _rewrite_secret_ballots(vote)
        ballot.changes += 1
        ballot.save(update_fields=["changes"])
        audit(actor, "vote.change", ballot, after={"city": ballot.city_id, "secret": True})
        return CastReceipt(ballot=ballot, changed=True)
    if ballot.option_id == option.pk:
        return CastReceipt(ballot=ballot, changed=False)
    before = {"option": ballot.option_id}
    ballot.option = option
    ballot.cast_by = actor
    ballot.changes += 1
    ballot.save(update_fields=["option", "cast_by", "changes"])
    audit(actor, "vote.change", ballot, before=before, after={"city": ballot.city_id, "option": option.pk})
    return CastReceipt(ballot=ballot, changed=True)


def vote_counts(vote: Vote) -> dict[int, int]:
    """Votes per option id, from the open ballots or, for a secret vote, from the anonymous ones."""
    source = SecretBallot.objects if vote.secret else Ballot.objects
    rows = source.filter(vote=vote).values("option_id").annotate(n=Count("pk"))  # type: ignore[attr-defined]
    found = {r["option_id"]: r["n"] for r in rows}
    return {o.pk: found.get(o.pk, 0) for o in vote.options.all()}


@transaction.atomic
def vote_count(*, actor: Any, vote: Vote, close_now: bool = False) -> VoteResult:
    """Count a closed vote, once; later calls return the recorded result.

    `actor=None` is the platform itself (a reader after closing time, the `close-votes` command). With
    `close_now` the secretariat closes a vote before its set time (e.g. in session, once all have voted).
    """
    if actor is not None:
        require(can_run_votes(actor), _("Only the secretariat can close a vote."))
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    existing = VoteResult.objects.filter(vote=vote).first()
    if existing is not None:
        return existing
    now = timezone.now()
    closed_early = False
    if now < vote.closes_at:
        if not close_now or actor is None:
            raise InvalidTransition(_("Voting is still open."))
        if now < vote.opens_at:
            raise InvalidTransition(_("Voting has not opened yet."))
        audit(actor, "vote.close_early", vote, before={"closes_at": vote.closes_at.isoformat()})
        vote.closes_at = now
        vote.save(update_fields=["closes_at", "updated_at"])
        closed_early = True
    options = list(vote.options.all())
    counts = vote_counts(vote)
    outcome = tally.decide(
        counts=counts,
        kinds={o.pk: o.kind for o in options},
        electorate=vote.electors.count(),
        quorum_percent=vote.quorum_percent,
        rule=vote.majority_rule,
        seats=vote.seats,
    )
    result = VoteResult.objects.create(
        vote=vote,
        outcome=outcome.outcome,
        electorate=outcome.electorate,
        turnout=outcome.turnout,
        quorum_reached=outcome.quorum_reached,
        counts={str(k): n for k, n in counts.items()},
        winners=list(outcome.winners) if vote.ballot_type == Vote.BallotType.CHOICE else [],
        counted_at=now,
        counted_by=actor if getattr(actor, "is_authenticated", False) else None,
        closed_early=closed_early,
    )
    audit(
        actor,
        "vote.result",
        vote,
        after={
            "outcome": result.outcome,
            "electorate": result.electorate,
            "turnout": result.turnout,
            "quorum_reached": result.quorum_reached,
            "counts": result.counts,
            "winners": result.winners,
        },
    )
    _act(actor, vote, result)
    return result


def vote_count_if_due(vote: Vote) -> VoteResult | None:
    """Record the result of a vote whose time is up (called when anyone reads it); None while it is open."""
    if timezone.now() < vote.closes_at:
        return VoteResult.objects.filter(vote=vote).first()
    return vote_count(actor=None, vote=vote)


def count_due_votes() -> list[VoteResult]:
    due = Vote.objects.filter(closes_at__lte=timezone.now(), result__isnull=True).order_by("closes_at")
    return [vote_count(actor=None, vote=v) for v in due]


def _acting_secretariat(actor: Any, vote: Vote) -> Any:
    """Who carries out the result: the secretariat member at hand, else the one who opened the vote."""
    if is_secretariat(actor):
        return actor
    if vote.opened_by is not None and is_secretariat(vote.opened_by):
        return vote.opened_by
    return None


def _act(actor: Any, vote: Vote, result: VoteResult) -> None:
    """Carry out what the motion says: a passed admission makes the city a member (through the registry)."""
    if vote.kind != Vote.Kind.ADMISSION or result.outcome != VoteResult.Outcome.PASSED or vote.subject_city is None:
        return
    city = vote.subject_city
    doer = _acting_secretariat(actor, vote)
    if doer is None:
        result.action = VoteResult.Action.PENDING
        result.action_note = _("The secretariat must confirm the admission of %(city)s.") % {"city": city}
        result.save(update_fields=["action", "action_note"])
        audit(actor, "vote.act", vote, after={"action": result.action})
        return
    try:
        with transaction.atomic():  # all of it or nothing: a failure leaves the registry as it was
            application = MembershipApplication.objects.filter(
                city=city, status=MembershipApplication.Status.SUBMITTED
            ).first()
            if application is not None:
                registry_services.application_approve(actor=doer, application=application)
            else:
                registry_services.membership_admit(actor=doer, city=city)
            assembly = Body.objects.filter(kind=Body.Kind.ASSEMBLY).first()
            if assembly is not None and not seats_in_force(assembly).filter(city=city).exists():
                seat_add(actor=doer, body=assembly, city=city)
    except DomainError as exc:
        result.action = VoteResult.Action.FAILED
        result.action_note = exc.message
    else:
        result.action = VoteResult.Action.DONE
        result.action_note = _("%(city)s is now a member of the association.") % {"city": city}
    result.save(update_fields=["action", "action_note"])
    audit(doer or actor, "vote.act", vote, after={"action": result.action, "note": result.action_note})


@transaction.atomic
def vote_carry_out(*, actor: Any, vote: Vote) -> VoteResult:
    """The secretariat carries out a result left waiting (or retries one that failed)."""
    require(can_run_votes(actor), _("Only the secretariat can carry out a result."))
    result = VoteResult.objects.select_for_update().filter(vote=vote).first()
    if result is None or result.action not in (VoteResult.Action.PENDING, VoteResult.Action.FAILED):
        raise InvalidTransition(_("There is nothing to carry out for this vote."))
    _act(actor, vote, result)
    return result


# --- Working groups --------------------------------------------------------------------------------------------


@transaction.atomic
def group_create(
    *,
    actor: Any,
    slug: str,
    name: str,
    sectors: Iterable[Sector],
    description: str = "",
    names: dict[str, str] | None = None,
) -> WorkingGroup:
    require(is_secretariat(actor), _("Only the secretariat can set up working groups."))
    name = clean_text(name, "name", _("The name"), 200)
    slug = clean_text(slug, "slug", _("The code"), 60)
    if WorkingGroup.objects.filter(slug=slug).exists():
        raise Conflict(_("A working group with this code already exists."), field="slug")
    sectors = list(sectors)
    if not sectors:
        raise InvalidInput(_("Choose at least one sector."), field="sectors")
    group = WorkingGroup.objects.create(slug=slug, name=name, names=names or {}, description=description.strip())
    group.sectors.set(sectors)
    audit(actor, "group.create", group, after={"slug": slug, "sectors": [s.code for s in sectors]})
    return group


def _active_member(group: WorkingGroup, city: City) -> GroupMember | None:
    return GroupMember.objects.filter(group=group, city=city, left_on__isnull=True).first()


@transaction.atomic
def group_join(*, actor: Any, group: WorkingGroup, city: City) -> GroupMember:
    require(
        can_join_group(actor, city.pk), _("Only the coordinator of %(city)s can join a group for it.") % {"city": city}
    )
    if not Membership.objects.filter(city=city, status=Membership.Status.ACTIVE).exists():
        raise InvalidTransition(_("Only active member cities can join a working group."))
    if _active_member(group, city):
        raise Conflict(_("%(city)s is already in this group.") % {"city": city}, field="city")
    try:
        with transaction.atomic():
            member = GroupMember.objects.create(group=group, city=city, joined_on=timezone.localdate())
    except IntegrityError as exc:
        raise Conflict(_("%(city)s is already in this group.") % {"city": city}, field="city") from exc
    audit(actor, "group.join", member, after={"group": group.pk, "city": city.pk})
    return member


@transaction.atomic
def group_leave(*, actor: Any, group: WorkingGroup, city: City) -> GroupMember:
    require(
        can_join_group(actor, city.pk), _("Only the coordinator of %(city)s can leave a group for it.") % {"city": city}
    )
    member = _active_member(group, city)
    if member is None:
        raise InvalidTransition(_("%(city)s is not in this group.") % {"city": city})
    if group.chair_city_id == city.pk:
        raise InvalidTransition(_("The chair city cannot leave; the secretariat must name another chair first."))
    member.left_on = timezone.localdate()
    member.save(update_fields=["left_on", "updated_at"])
    audit(actor, "group.leave", member, after={"group": group.pk, "city": city.pk})
    return member


@transaction.atomic
def group_set_chair(*, actor: Any, group: WorkingGroup, city: City) -> WorkingGroup:
    require(is_secretariat(actor), _("Only the secretariat can name a group's chair."))
    if _active_member(group, city) is None:
        raise InvalidInput(_("The chair must be a city of the group."), field="chair_city")
    before = snapshot(group, ["chair_city"])
    group.chair_city = city
    group.save(update_fields=["chair_city", "updated_at"])
    audit(actor, "group.set_chair", group, before=before, after=snapshot(group, ["chair_city"]))
    return group


@transaction.atomic
def plan_item_add(
    *,
    actor: Any,
    group: WorkingGroup,
    title: str,
    description: str = "",
    due_on: dt.date | None = None,
    lead_city: City | None = None,
    status: str = WorkPlanItem.Status.PLANNED,
) -> WorkPlanItem:
    require(can_manage_group(actor, group), _("Only the chair city can change the work plan."))
    if status not in WorkPlanItem.Status.values:
        raise InvalidInput(_("Unknown status."), field="status")
    if lead_city is not None and _active_member(group, lead_city) is None:
        raise InvalidInput(_("The lead must be a city of the group."), field="lead_city")
    item = WorkPlanItem.objects.create(
        group=group,
        title=clean_text(title, "title", _("The task"), 300),
        description=clean_text(description, "description", _("The description"), 10_000, required=False),
        due_on=due_on,
        lead_city=lead_city,
        status=status,
    )
    audit(actor, "group.plan_add", item, after=snapshot(item, ["group", "title", "due_on", "status", "lead_city"]))
    return item


@transaction.atomic
def plan_item_set_status(*, actor: Any, item: WorkPlanItem, status: str) -> WorkPlanItem:
    require(can_manage_group(actor, item.group), _("Only the chair city can change the work plan."))
    if status not in WorkPlanItem.Status.values:
        raise InvalidInput(_("Unknown status."), field="status")
    before = snapshot(item, ["status"])
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    audit(actor, "group.plan_status", item, before=before, after=snapshot(item, ["status"]))
    return item


@transaction.atomic
def meeting_add(
    *, actor: Any, group: WorkingGroup, title: str, starts_at: dt.datetime, place: str = "", agenda: str = ""
) -> Meeting:
    require(can_manage_group(actor, group), _("Only the chair city can call a meeting."))
    meeting = Meeting.objects.create(
        group=group,
        title=clean_text(title, "title", _("The title"), 300),
        starts_at=starts_at,
        place=clean_text(place, "place", _("The place"), 200, required=False),
        agenda=clean_text(agenda, "agenda", _("The agenda"), 20_000, required=False),
    )
    audit(actor, "group.meeting_add", meeting, after=snapshot(meeting, ["group", "title", "starts_at", "place"]))
    return meeting


@transaction.atomic
def meeting_record_minutes(*, actor: Any, meeting: Meeting, minutes: str) -> Meeting:
    require(can_manage_group(actor, meeting.group), _("Only the chair city can record the minutes."))
    minutes = clean_text(minutes, "minutes", _("The minutes"), 100_000)
    if meeting.starts_at > timezone.now():
        raise InvalidTransition(_("Minutes can only be recorded once the meeting has taken place."))
    before = {"minutes": meeting.minutes}
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes", "updated_at"])
    audit(actor, "group.minutes", meeting, before=before, after={"minutes": minutes[:500]})
    return meeting


@transaction.atomic
def group_document_add(
    *, actor: Any, group: WorkingGroup, title: str, language: str, url: str = "", body: str = ""
) -> GroupDocument:
    require(can_share_in_group(actor, group), _("Only cities of the group can share documents with it."))
    title = clean_text(title, "title", _("The title"), 300)
    if not Language.objects.filter(code=language).exists():
        raise InvalidInput(_("Unknown language: %(v)s.") % {"v": language}, field="language")
    url = (url or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise InvalidInput(_("Enter a valid web address (http or https)."), field="url") from exc
    body = clean_text(body, "body", _("The text"), 200_000, required=False)
    if not url and not body:
        raise InvalidInput(_("Give a link or a text."), field="url")
    document = GroupDocument.objects.create(
        group=group, title=title, language_id=language, url=url, body=body, added_by=actor
    )
    audit(actor, "group.document_add", document, after={"group": group.pk, "title": title, "url": url})
    return document


@transaction.atomic
def names_set(*, actor: Any, target: Body | WorkingGroup, names: dict[str, str]) -> Body | WorkingGroup:
    """The secretariat enters a body's or a working group's name in the UI languages; readers see the one in
    their language (English is the object's own name)."""
    require(is_secretariat(actor), _("Only the secretariat can name the association's bodies and groups."))
    before = dict(target.names)
    target.names = clean_names(names)
    target.save(update_fields=["names", "updated_at"])
    kind = "body" if isinstance(target, Body) else "group"
    audit(actor, f"{kind}.names", target, before={"names": before}, after={"names": target.names})
    return target
