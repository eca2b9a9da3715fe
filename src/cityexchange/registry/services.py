"""The one write path of the registry: applications, memberships, country statuses and city profiles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityexchange.accounts.models import CityRole
from cityexchange.accounts.permissions import is_coordinator, is_secretariat
from cityexchange.core.audit import audit, snapshot
from cityexchange.core.errors import Conflict, InvalidInput, InvalidTransition, require
from cityexchange.core.validation import clean_text

from . import selectors
from .models import Association, BlocStatus, City, Country, Language, Membership, MembershipApplication, Sector


@transaction.atomic
def application_submit(
    *,
    actor: Any,
    city: City,
    letter: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    priority_sectors: Iterable[Sector] = (),
) -> MembershipApplication:
    require(getattr(actor, "is_authenticated", False), _("Sign in to apply for membership."))
    letter = clean_text(letter, "letter", _("The application letter"), 10_000)
    contact_name = clean_text(contact_name, "contact_name", _("The contact person"), 150)
    try:
        validate_email(contact_email)
    except ValidationError as exc:
        raise InvalidInput(_("Enter a valid e-mail address."), field="contact_email") from exc
    membership = Membership.objects.filter(city=city).first()
    if membership and membership.status in (Membership.Status.ACTIVE, Membership.Status.SUSPENDED):
        raise Conflict(_("%(city)s is already a member of the association.") % {"city": city}, field="city")
    if MembershipApplication.objects.filter(city=city, status=MembershipApplication.Status.SUBMITTED).exists():
        raise Conflict(_("%(city)s already has an application under review.") % {"city": city}, field="city")
    try:
        with transaction.atomic():
            application = MembershipApplication.objects.create(
                city=city,
                applicant=actor,
                letter=letter,
                contact_name=contact_name,
                contact_email=contact_email.strip(),
                contact_phone=(contact_phone or "").strip()[:40],
            )
    except IntegrityError as exc:  # a concurrent second application for the same city
        raise Conflict(_("%(city)s already has an application under review.") % {"city": city}, field="city") from exc
    application.priority_sectors.set(list(priority_sectors))
    audit(actor, "application.submit", application, after={"city": city.pk, "status": application.status})
    return application


def _decide(application: MembershipApplication) -> None:
    if application.status != MembershipApplication.Status.SUBMITTED:
        raise InvalidTransition(_("This application has already been decided."))
    vote = selectors.admission_vote_under_way(application.city)
    if vote is not None:
        # The members decide: approving by hand would make the city a member while they are still voting.
        raise Conflict(
            _(
                "The vote “%(vote)s” of %(body)s on admitting %(city)s is still under way, so the application "
                "cannot be decided by hand. Close and count the vote first: if it passes, %(city)s is admitted; "
                "if not, the application can be decided here afterwards."
            )
            % {"vote": vote.title, "body": vote.body.label, "city": application.city}
        )


@transaction.atomic
def application_approve(*, actor: Any, application: MembershipApplication) -> Membership:
    """Approve: the city becomes an active member and the applicant its coordinator."""
    require(is_secretariat(actor), _("Only the secretariat can approve applications."))
    _decide(application)
    before = snapshot(application, ["status"])
    application.status = MembershipApplication.Status.APPROVED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit(actor, "application.approve", application, before=before, after=snapshot(application, ["status"]))
    membership = membership_admit(actor=actor, city=application.city)
    CityRole.objects.update_or_create(
        user=application.applicant, city=application.city, defaults={"role": CityRole.Role.COORDINATOR}
    )
    return membership


@transaction.atomic
def membership_admit(*, actor: Any, city: City) -> Membership:
    """Make the city an active member (after an approved application or an assembly's admission vote)."""
    require(is_secretariat(actor), _("Only the secretariat can admit members."))
    membership = Membership.objects.select_for_update().filter(city=city).first()
    if membership and membership.status == Membership.Status.ACTIVE:
        raise InvalidTransition(_("%(city)s is already an active member.") % {"city": city})
    before = snapshot(membership, ["status"]) if membership else None
    if membership is None:
        membership = Membership(city=city)
    membership.status = Membership.Status.ACTIVE
    membership.since = timezone.localdate()
    membership.ended_on = None
    membership.status_reason = ""
    membership.save()
    audit(actor, "membership.admit", membership, before=before, after=snapshot(membership, ["status", "since"]))
    return membership


@transaction.atomic
def application_reject(*, actor: Any, application: MembershipApplication, reason: str) -> MembershipApplication:
    require(is_secretariat(actor), _("Only the secretariat can reject applications."))
    _decide(application)
    reason = clean_text(reason, "reason", _("The reason"), 5_000)
    before = snapshot(application, ["status"])
    application.status = MembershipApplication.Status.REJECTED
    application.decision_reason = reason
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decision_reason", "decided_by", "decided_at", "updated_at"])
    audit(
        actor,
        "application.reject",
        application,
        before=before,
        after=snapshot(application, ["status", "decision_reason"]),
    )
    return application


def _change_membership(
    actor: Any, membership: Membership, *, to: str, allowed_from: tuple[str, ...], reason: str, action: str
) -> Membership:
    require(is_secretariat(actor), _("Only the secretariat can change a membership."))
    if membership.status not in allowed_from:
        raise InvalidTransition(
            _("A membership that is %(status)s cannot be changed this way.")
            % {"status": membership.get_status_display()}
        )
    before = snapshot(membership, ["status", "status_reason", "ended_on"])
    membership.status = to
    membership.status_reason = reason
    membership.ended_on = timezone.localdate() if to == Membership.Status.ENDED else None
    membership.save(update_fields=["status", "status_reason", "ended_on", "updated_at"])
    audit(actor, action, membership, before=before, after=snapshot(membership, ["status", "status_reason", "ended_on"]))
    return membership


@transaction.atomic
def membership_suspend(*, actor: Any, membership: Membership, reason: str) -> Membership:
    reason = clean_text(reason, "reason", _("The reason"), 5_000)
    return _change_membership(
        actor,
        membership,
        to=Membership.Status.SUSPENDED,
        allowed_from=(Membership.Status.ACTIVE,),
        reason=reason,
        action="membership.suspend",
    )


@transaction.atomic
def membership_reinstate(*, actor: Any, membership: Membership) -> Membership:
    return _change_membership(
        actor,
        membership,
        to=Membership.Status.ACTIVE,
        allowed_from=(Membership.Status.SUSPENDED,),
        reason="",
        action="membership.reinstate",
    )


@transaction.atomic
def membership_end(*, actor: Any, membership: Membership, reason: str) -> Membership:
    reason = clean_text(reason, "reason", _("The reason"), 5_000)
    return _change_membership(
        actor,
        membership,
        to=Membership.Status.ENDED,
        allowed_from=(Membership.Status.ACTIVE, Membership.Status.SUSPENDED),
        reason=reason,
        action="membership.end",
    )


@transaction.atomic
def country_set_bloc_status(*, actor: Any, country: Country, status: BlocStatus) -> Country:
    require(is_secretariat(actor), _("Only the secretariat can change a country's status."))
    before = {"bloc_status": country.bloc_status.code}
    country.bloc_status = status
    country.save(update_fields=["bloc_status"])
    audit(actor, "country.set_bloc_status", country, before=before, after={"bloc_status": status.code})
    return country


@transaction.atomic
def city_update_profile(*, actor: Any, city: City, website: str = "", about: str = "") -> City:
    require(
        is_secretariat(actor) or is_coordinator(actor, city.pk),
        _("Only the coordinator of %(city)s can edit its profile.") % {"city": city},
    )
    website = (website or "").strip()
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError as exc:
            raise InvalidInput(_("Enter a valid web address (http or https)."), field="website") from exc
    if len(about) > 10_000:
        raise InvalidInput(_("The description is too long (10,000 characters at most)."), field="about")
    before = snapshot(city, ["website", "about"])
    city.website = website
    city.about = about.strip()
    city.save(update_fields=["website", "about", "updated_at"])
    audit(actor, "city.update_profile", city, before=before, after=snapshot(city, ["website", "about"]))
    return city


# --- Reference data the secretariat edits (the association's name, statuses, sectors, languages) ----------------


def _require_reference_editor(actor: Any) -> None:
    require(is_secretariat(actor), _("Only the secretariat can edit the association's reference data."))


@transaction.atomic
def association_update(
    *, actor: Any, association: Association, name: str, short_name: str, founded: str = "", description: str = ""
) -> Association:
    _require_reference_editor(actor)
    fields = ["name", "short_name", "founded", "description"]
    before = snapshot(association, fields)
    association.name = clean_text(name, "name", _("The name"), 200)
    association.short_name = clean_text(short_name, "short_name", _("The short name"), 60)
    association.founded = clean_text(founded, "founded", _("The founding"), 200, required=False)
    association.description = clean_text(description, "description", _("The description"), 20_000, required=False)
    association.save(update_fields=[*fields, "updated_at"])
    audit(actor, "association.update", association, before=before, after=snapshot(association, fields))
    return association


@transaction.atomic
def bloc_status_update(*, actor: Any, status: BlocStatus, name: str, rank: int, colour: str) -> BlocStatus:
    _require_reference_editor(actor)
    colour = (colour or "").strip().lower()
    if not re.fullmatch(r"#[0-9a-f]{6}", colour):
        raise InvalidInput(_("Give the colour as #rrggbb, for example #1f77b4."), field="colour")
    if rank < 0:
        raise InvalidInput(_("The order must not be negative."), field="rank")
    fields = ["name", "rank", "colour"]
    before = snapshot(status, fields)
    status.name = clean_text(name, "name", _("The name"), 100)
    status.rank, status.colour = rank, colour
    status.save(update_fields=fields)
    audit(actor, "bloc_status.update", status, before=before, after=snapshot(status, fields))
    return status


@transaction.atomic
def sector_update(*, actor: Any, sector: Sector, name: str, rank: int) -> Sector:
    _require_reference_editor(actor)
    if rank < 0:
        raise InvalidInput(_("The order must not be negative."), field="rank")
    before = snapshot(sector, ["name", "rank"])
    sector.name = clean_text(name, "name", _("The name"), 100)
    sector.rank = rank
    sector.save(update_fields=["name", "rank"])
    audit(actor, "sector.update", sector, before=before, after=snapshot(sector, ["name", "rank"]))
    return sector


@transaction.atomic
def language_update(*, actor: Any, language: Language, name: str, native_name: str, rtl: bool) -> Language:
    _require_reference_editor(actor)
    fields = ["name", "native_name", "rtl"]
    before = snapshot(language, fields)
    language.name = clean_text(name, "name", _("The name"), 60)
    language.native_name = clean_text(native_name, "native_name", _("The native name"), 60)
    language.rtl = bool(rtl)
    language.save(update_fields=fields)
    audit(actor, "language.update", language, before=before, after=snapshot(language, fields))
    return language
