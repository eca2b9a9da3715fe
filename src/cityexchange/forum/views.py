"""Forum pages: public event page and programme; registration; delegates, suggestions and meeting requests;
personal agenda (page, print, iCalendar, badge); the organisers' desk (registrations, check-in, schedule)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityexchange.accounts.models import User
from cityexchange.accounts.permissions import user_city_ids
from cityexchange.core.confirm import confirmation, is_confirmed
from cityexchange.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from cityexchange.core.ratelimit import enforce
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor, apply_error, posted_id
from cityexchange.registry.models import City, Membership

from . import selectors, services
from .forms import BuildForm, MeetingRequestForm, OutcomeForm, RegistrationForm
from .ical import agenda_ics
from .models import Event, Meeting, MeetingRequest, Registration, ScheduleRun
from .permissions import is_organiser, party_ids
from .suggestions import suggestions_for


def _event(request: HttpRequest, slug: str, action: str = "view") -> Event:
    return get_for(actor(request), selectors.events(), slug=slug, action=action)


def _base(request: HttpRequest, event: Event, **extra: Any) -> dict[str, Any]:
    return {
        "event": event,
        "is_organiser": is_organiser(actor(request), event),
        "my_registration": selectors.registration_of(actor(request), event),
        **extra,
    }


# --- public ----------------------------------------------------------------------------------------------------
def events(request: HttpRequest) -> HttpResponse:
    return render(request, "forum/events.html", {"events": selectors.events_visible_to(actor(request))})


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    sessions = list(selectors.sessions_of(event))
    days: dict[Any, list[Any]] = defaultdict(list)
    for s in sessions:
        days[s.starts_at.astimezone(event.tz).date()].append(s)
    tracks = sorted({s.sector for s in sessions if s.sector}, key=lambda x: (x.rank, x.code))
    context = _base(
        request,
        event,
        days=sorted(days.items()),
        tracks=tracks,
        figures=selectors.event_figures(event),
        # Not "languages": base.html's language switcher sets that name for the whole page.
        working_languages=event.working_languages.all(),
    )
    return render(request, "forum/event_detail.html", context)


# --- registration ----------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    with timezone.override(event.tz):  # arrival and departure are typed in the event's local time
        return _register(request, event)


def _register(request: HttpRequest, event: Event) -> HttpResponse:
    user = actor(request)
    organiser = is_organiser(user, event)
    members = City.objects.filter(membership__status=Membership.Status.ACTIVE).select_related("country")
    cities = members if organiser else members.filter(pk__in=user_city_ids(user))
    existing = selectors.registration_of(user, event)
    if existing and not organiser:
        messages.info(request, _("You are already registered."))
        return redirect("forum:agenda", slug=event.slug)
    form = RegistrationForm(
        request.POST or None,
        cities=cities.order_by("name"),
        organiser=organiser,
        initial={"arrival": event.starts_at.replace(hour=8), "departure": event.ends_at.replace(hour=0)},
    )
    if not organiser and not cities.exists():
        messages.error(request, _("Only officers of member cities can register; ask your city's coordinator."))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = user
        try:
            if data.get("email"):
                person = User.objects.filter(email__iexact=data["email"]).first()
                if person is None:
                    raise InvalidInput(_("There is no account with this e-mail address."), field="email")
            reg = services.registration_create(
                actor=user,
                event=event,
                user=person,
                city=data["city"],
                role=data["role"],
                languages=data["languages"],
                arrival=data["arrival"],
                departure=data["departure"],
                needs_interpreter=data["needs_interpreter"],
                interpreter_note=data["interpreter_note"],
                join_delegation=data["join_delegation"],
            )
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            if reg.status == Registration.Status.APPROVED:
                messages.success(request, _("%(who)s is registered.") % {"who": person})
                return (
                    redirect("forum:manage", slug=event.slug)
                    if person != user
                    else redirect("forum:agenda", slug=event.slug)
                )
            messages.success(request, _("Thank you: the organisers will confirm your registration."))
            return redirect("forum:event", slug=event.slug)
    return render(request, "forum/register.html", _base(request, event, form=form))


# --- delegates, suggestions and requests -----------------------------------------------------------------------
def _acting(request: HttpRequest, event: Event) -> Registration:
    """The registration the user acts for (?as=<id> for coordinators of several delegates)."""
    regs = selectors.acting_registrations(actor(request), event)
    wanted = request.GET.get("as") or request.POST.get("as") or ""
    for r in regs:
        if str(r.pk) == wanted:
            return r
    if not regs:
        raise PermissionDenied(_("Only approved delegates of %(event)s can do this.") % {"event": event})
    return regs[0]


@login_required
def delegates(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    me = (
        _acting(request, event)
        if not is_organiser(actor(request), event)
        else selectors.registration_of(actor(request), event)
    )
    q = request.GET.get("q", "").strip()[:100]
    regs = selectors.registrations_visible_to(actor(request), event).filter(status=Registration.Status.APPROVED)
    if q:
        regs = regs.filter(Q(user__display_name__icontains=q) | Q(city__name__icontains=q) | Q(role__icontains=q))
    suggestions = (
        suggestions_for(me, user=actor(request))
        if me is not None and me.status == Registration.Status.APPROVED
        else []
    )
    context = _base(request, event, delegates=regs, me=me, q=q, suggestions=suggestions)
    return render(request, "forum/delegates.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    me = _acting(request, event)
    party = party_ids(me)
    targets = (
        Registration.objects.filter(event=event, status=Registration.Status.APPROVED)
        .exclude(pk__in=party)
        .select_related("user", "city")
        .order_by("city__name", "user__display_name")
    )
    cities = City.objects.filter(pk__in=targets.values("city_id")).exclude(pk=me.city_id).order_by("name")
    initial: dict[str, Any] = {"topic": request.GET.get("topic", "")[:300]}
    if request.GET.get("target", "").isdigit():
        initial["target"] = int(request.GET["target"])
    form = MeetingRequestForm(request.POST or None, targets=targets, cities=cities, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_request_create(
                actor=actor(request),
                requester=me,
                target=data["target"],
                target_city=data["target_city"],
                priority=data["priority"],
                topic=data["topic"],
                suggested=request.POST.get("suggested") == "1",
            )
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            messages.success(request, _("Your request was sent."))
            return redirect(reverse("forum:requests", kwargs={"slug": event.slug}) + f"?as={me.pk}")
    return render(request, "forum/request_form.html", _base(request, event, form=form, me=me))


@login_required
@require_http_methods(["GET", "POST"])
def requests_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    organiser = is_organiser(actor(request), event)
    me = _acting(request, event) if not organiser or selectors.acting_registrations(actor(request), event) else None
    if request.method == "POST":
        req = get_for(actor(request), selectors.meeting_requests(), posted_id(request, "request"))
        action = request.POST.get("action", "")
        try:
            if action == "accept":
                services.meeting_request_accept(actor=actor(request), request=req)
                messages.success(request, _("You accepted the meeting."))
            elif action == "decline":
                services.meeting_request_decline(actor=actor(request), request=req)
                messages.success(request, _("You declined the meeting."))
            elif action == "cancel":
                services.meeting_request_cancel(actor=actor(request), request=req)
                messages.success(request, _("The request was cancelled."))
            else:
                raise InvalidInput(_("Unknown action."), field="action")
        except DomainError as exc:
            apply_error(request, None, exc)
        suffix = f"?as={me.pk}" if me else ""
        return redirect(reverse("forum:requests", kwargs={"slug": event.slug}) + suffix)
    if me is not None:
        party = party_ids(me)
        qs = selectors.requests_visible_to(actor(request), event)
        incoming = qs.filter(target_id__in=party)
        outgoing = qs.filter(requester_id__in=party)
    else:
        incoming = outgoing = MeetingRequest.objects.none()
    all_requests = selectors.requests_visible_to(actor(request), event) if organiser else None
    context = _base(request, event, me=me, incoming=incoming, outgoing=outgoing, all_requests=all_requests)
    return render(request, "forum/requests.html", context)


# --- personal agenda -------------------------------------------------------------------------------------------
def _agenda_registration(request: HttpRequest, event: Event) -> Registration:
    wanted = request.GET.get("registration", "")
    if wanted.isdigit():
        return get_for(actor(request), selectors.registrations(), int(wanted), action="act")
    reg = selectors.registration_of(actor(request), event)
    if reg is None:
        raise NotFound(_("You are not registered for %(event)s.") % {"event": event})
    return reg


@login_required
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    reg = _agenda_registration(request, event)
    items = selectors.agenda_for(reg) if reg.status == Registration.Status.APPROVED else []
    held = Meeting.objects.filter(pk__in=[i.meeting_id for i in items if i.meeting_id]).in_bulk()
    for item in items:
        if item.meeting_id in held:
            m = held[item.meeting_id]
            item.extra = {"held_at": m.held_at, "outcome": m.outcome, "cooperation_id": m.cooperation_id}
    context = _base(
        request,
        event,
        reg=reg,
        days=selectors.by_day(items, event.tz),
        outcome_form=OutcomeForm(),
        now_=timezone.now(),
        query=f"?registration={reg.pk}",
    )
    return render(request, "forum/agenda.html", context)


@login_required
def agenda_print(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    reg = _agenda_registration(request, event)
    items = selectors.agenda_for(reg) if reg.status == Registration.Status.APPROVED else []
    return render(
        request, "forum/agenda_print.html", _base(request, event, reg=reg, days=selectors.by_day(items, event.tz))
    )


@login_required
def agenda_ical(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    reg = _agenda_registration(request, event)
    items = selectors.agenda_for(reg) if reg.status == Registration.Status.APPROVED else []
    body = agenda_ics(reg, items, host=request.get_host().split(":")[0] or "cityexchange")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    name = slugify(f"{event.slug}-{reg.user}") or "agenda"
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@login_required
def badge(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    reg = _agenda_registration(request, event)
    if reg.status != Registration.Status.APPROVED:
        raise NotFound(_("A badge is issued once the registration is approved."))
    url = request.build_absolute_uri(
        reverse("forum:check_in_badge", kwargs={"slug": event.slug, "token": reg.badge_token})
    )
    qr = segno.make(url, error="m").svg_inline(scale=5, title=str(reg.user))
    return render(request, "forum/badge.html", _base(request, event, reg=reg, qr=qr))


@login_required
@require_POST
def meeting_held(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    event = _event(request, slug)
    meeting = get_for(actor(request), selectors.meetings(), meeting_id)
    if meeting.run.event_id != event.pk:
        raise NotFound(_("There is no such meeting."))
    form = OutcomeForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("The outcome is too long."), field="outcome")
        services.meeting_mark_held(
            actor=actor(request),
            meeting=meeting,
            outcome=form.cleaned_data["outcome"],
            open_cooperation=request.POST.get("cooperation") == "1",
        )
    except DomainError as exc:
        apply_error(request, None, exc)
    else:
        messages.success(request, _("The meeting was recorded."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("forum:agenda", kwargs={"slug": event.slug})
    return redirect(target)


# --- organisers ------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug, action="manage")
    if request.method == "POST":
        reg = get_for(actor(request), selectors.registrations(), posted_id(request, "registration"), action="manage")
        try:
            if request.POST.get("action") == "approve":
                services.registration_approve(actor=actor(request), registration=reg)
                messages.success(request, _("%(who)s is approved.") % {"who": reg})
            elif request.POST.get("action") == "reject":
                services.registration_reject(actor=actor(request), registration=reg)
                messages.success(request, _("%(who)s is rejected.") % {"who": reg})
            else:
                raise InvalidInput(_("Unknown action."), field="action")
        except DomainError as exc:
            apply_error(request, None, exc)
        return redirect("forum:manage", slug=event.slug)
    status = request.GET.get("status", "pending")
    if status not in Registration.Status.values:
        status = "pending"
    regs = selectors.registrations_visible_to(actor(request), event).filter(status=status).prefetch_related("languages")
    context = _base(
        request,
        event,
        registrations=regs,
        status=status,
        statuses=Registration.Status.choices,
        figures=selectors.event_figures(event),
        run=selectors.latest_run(event),
    )
    return render(request, "forum/manage.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug, action="manage")
    if request.method == "POST":
        reg = get_for(actor(request), selectors.registrations(), posted_id(request, "registration"), action="manage")
        try:
            services.registration_check_in(actor=actor(request), registration=reg)
        except DomainError as exc:
            apply_error(request, None, exc)
        else:
            messages.success(request, _("%(who)s is checked in.") % {"who": reg})
        return redirect(
            reverse("forum:check_in", kwargs={"slug": event.slug}) + "?q=" + request.POST.get("q", "")[:100]
        )
    q = request.GET.get("q", "").strip()[:100]
    regs = selectors.registrations_visible_to(actor(request), event).filter(status=Registration.Status.APPROVED)
    if q:
        regs = regs.filter(
            Q(user__display_name__icontains=q) | Q(user__email__icontains=q) | Q(city__name__icontains=q)
        )
    return render(request, "forum/check_in.html", _base(request, event, registrations=regs, q=q))


@login_required
@require_http_methods(["GET", "POST"])
def check_in_badge(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Where the QR code on a badge leads: the organiser at the desk confirms the check-in."""
    event = _event(request, slug, action="manage")
    reg = Registration.objects.select_related("user", "city").filter(event=event, badge_token=token[:40]).first()
    if reg is None:
        raise NotFound(_("This badge is not valid for %(event)s.") % {"event": event})
    if request.method == "POST":
        try:
            services.registration_check_in(actor=actor(request), registration=reg)
        except DomainError as exc:
            apply_error(request, None, exc)
        else:
            messages.success(request, _("%(who)s is checked in.") % {"who": reg})
        return redirect("forum:check_in_badge", slug=event.slug, token=reg.badge_token)
    return render(request, "forum/check_in_badge.html", _base(request, event, reg=reg))


def _run_status(run: ScheduleRun | None, *, stale: bool = False) -> dict[str, Any]:
    """What the status row of a build shows: the run, whether it is still to be polled, how long it has run, and
    (when polled) whether the page below it shows an older schedule than the one just built."""
    active = run is not None and run.status in (ScheduleRun.Status.QUEUED, ScheduleRun.Status.RUNNING)
    elapsed = 0
    if run is not None and run.status == ScheduleRun.Status.RUNNING and run.started_at is not None:
        elapsed = max(0, int((timezone.now() - run.started_at).total_seconds()))
    return {"run": run, "active": active, "elapsed": elapsed, "stale": stale}


@require_GET
def schedule_status(request: HttpRequest, slug: str) -> HttpResponse:
    """The status row of the latest build alone, polled by the schedule page (htmx) while a build is queued or
    running; once it is done the row offers to show the new schedule."""
    if not request.user.is_authenticated:
        # The session ended while the page polled: htmx would follow a redirect and put the sign-in page inside the
        # row, so it is told to take the whole page there instead (HX-Redirect), back to the schedule afterwards.
        schedule_page = reverse("forum:schedule", kwargs={"slug": slug})
        login = redirect_to_login(schedule_page)
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204, headers={"HX-Redirect": login["Location"]})
        return login
    event = _event(request, slug, action="manage")
    run = selectors.latest_run(event)
    done = run is not None and run.status == ScheduleRun.Status.DONE
    response = render(request, "forum/_run_status.html", {"event": event, **_run_status(run, stale=done)})
    response["Cache-Control"] = "no-store"
    return response


def _grid(event: Event, run: ScheduleRun | None) -> list[dict[str, Any]]:
    """Days → slots → one cell per table, for the review page."""
    tables = list(event.tables.all())
    placed: dict[tuple[int, int], Meeting] = {}
    if run is not None:
        placed = {(m.slot_id, m.table_id): m for m in selectors.meetings_of(run)}
    days: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for slot in event.slots.all():
        days[slot.starts_at.astimezone(event.tz).date()].append(
            {"slot": slot, "cells": [placed.get((slot.pk, t.pk)) for t in tables]}
        )
    return [{"day": d, "rows": rows} for d, rows in sorted(days.items())]


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug, action="manage")
    form = BuildForm(
        request.POST if request.POST.get("action") == "build" else None, initial={"time_limit": event.solver_time_limit}
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "build":
                enforce(request, "schedule")
                if not form.is_valid():
                    raise InvalidInput(_("The time limit must be between 1 and 600 seconds."), field="time_limit")
                run = services.schedule_build(
                    actor=actor(request), event=event, time_limit=form.cleaned_data["time_limit"]
                )
                if run.status == ScheduleRun.Status.FAILED:
                    messages.error(request, _("The schedule could not be built: %(error)s") % {"error": run.error})
                elif run.status == ScheduleRun.Status.DONE:
                    messages.success(request, _("Schedule #%(n)d is ready for review.") % {"n": run.number})
                else:
                    messages.info(
                        request,
                        _("Schedule #%(n)d is queued for building; its progress shows below.") % {"n": run.number},
                    )
            elif action in ("pin", "unpin"):
                meeting = get_for(actor(request), selectors.meetings(), posted_id(request, "meeting"), action="manage")
                if meeting.run.event_id != event.pk:
                    raise NotFound(_("There is no such meeting."))
                services.meeting_pin(actor=actor(request), meeting=meeting, pinned=action == "pin")
            elif action == "publish":
                draft = selectors.draft_run(event)
                publishable = draft is not None and draft.is_valid and event.published_run_id != draft.pk
                if draft is not None and publishable and not is_confirmed(request):
                    return _confirm_publish(request, event, draft)
                run = services.schedule_publish(actor=actor(request), event=event)
                messages.success(
                    request, _("Schedule #%(n)d is published; delegates are notified.") % {"n": run.number}
                )
            else:
                raise InvalidInput(_("Unknown action."), field="action")
        except DomainError as exc:
            apply_error(request, form if action == "build" else None, exc)
            if action != "build" or not form.errors:
                return redirect("forum:schedule", slug=event.slug)
        else:
            return redirect("forum:schedule", slug=event.slug)
    draft = selectors.draft_run(event)
    latest = selectors.latest_run(event)
    context = _base(
        request,
        event,
        form=form,
        draft=draft,
        latest=latest,
        runs=event.runs.all()[:10],
        tables=list(event.tables.all()),
        grid=_grid(event, draft),
        figures=selectors.event_figures(event),
        is_published=draft is not None and event.published_run_id == draft.pk,
        **_run_status(latest),
    )
    return render(request, "forum/schedule.html", context)


def _confirm_publish(request: HttpRequest, event: Event, draft: ScheduleRun) -> HttpResponse:
    told = len(services.changed_registrations(event.published_run, draft))
    if event.published_run_id is None:
        notice = ngettext(
            "%(n)d approved delegate sees it in their agenda and gets it by e-mail.",
            "All %(n)d approved delegates see it in their agendas and get it by e-mail.",
            told,
        ) % {"n": told}
    else:
        notice = ngettext(
            "It replaces the published schedule; %(n)d delegate whose meetings change is told by e-mail.",
            "It replaces the published schedule; %(n)d delegates whose meetings change are told by e-mail.",
            told,
        ) % {"n": told}
    return confirmation(
        request,
        title=_("Publish schedule #%(n)d of %(event)s?") % {"n": draft.number, "event": event},
        consequences=[
            notice,
            _("E-mails cannot be called back: to change the schedule later, build it again and publish the new one."),
        ],
        button=_("Publish this schedule"),
        cancel_url=request.path,
    )
