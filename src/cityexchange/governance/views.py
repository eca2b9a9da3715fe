from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cityexchange.accounts.models import User
from cityexchange.core import locale_format
from cityexchange.core.confirm import confirmation, is_confirmed
from cityexchange.core.errors import DomainError, NotFound, PermissionDenied
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor, apply_error, posted_id
from cityexchange.registry.models import City
from cityexchange.registry.selectors import get_city

from . import selectors, services
from .forms import DelegateForm, GroupDocumentForm, MinutesForm, VoteForm
from .models import Meeting, Vote, WorkPlanItem
from .permissions import can_manage_group, can_name_delegate, can_run_votes, can_share_in_group


def home(request: HttpRequest) -> HttpResponse:
    services.count_due_votes()
    context = {
        "bodies": selectors.bodies(),
        "open_votes": selectors.open_votes(),
        "recent": selectors.votes_public().filter(result__isnull=False)[:5],
        "groups": selectors.groups_public(),
        "documents": selectors.documents_public(),
        "can_run_votes": can_run_votes(actor(request)),
    }
    return render(request, "governance/home.html", context)


def documents(request: HttpRequest) -> HttpResponse:
    return render(request, "governance/documents.html", {"documents": selectors.documents_public()})


def document(request: HttpRequest, document_id: int) -> HttpResponse:
    doc = get_for(actor(request), selectors.documents_public(), document_id)
    versions = list(doc.versions.all())
    number = request.GET.get("version", "")
    version = next((v for v in versions if str(v.number) == number), versions[0] if versions else None)
    lang = request.GET.get("lang", "")[:10]
    text = version.text_in(lang or None) if version else None
    return render(
        request,
        "governance/document.html",
        {"document": doc, "versions": versions, "version": version, "text": text},
    )


def body(request: HttpRequest, body_id: int) -> HttpResponse:
    b = get_for(actor(request), selectors.bodies(), body_id)
    today = timezone.localdate()
    seats = list(selectors.body_seats(b, current=False))
    current = [s for s in seats if s.start_on <= today and (s.end_on is None or s.end_on >= today)]
    past = [s for s in seats if s not in current]
    votes = selectors.votes_public().filter(body=b)[:20]
    return render(request, "governance/body.html", {"body": b, "current": current, "past": past, "votes": votes})


def votes(request: HttpRequest) -> HttpResponse:
    services.count_due_votes()
    page = Paginator(selectors.votes_public(), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/votes.html",
        {"page": page, "now": timezone.now(), "can_run_votes": can_run_votes(actor(request))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def vote_new(request: HttpRequest) -> HttpResponse:
    if not can_run_votes(actor(request)):
        raise PermissionDenied(_("Only the secretariat can open a vote."))
    initial = {}
    city_id = request.GET.get("city", "")
    if city_id.isdigit():
        city = City.objects.filter(pk=int(city_id)).first()
        if city is not None:
            initial = {
                "kind": "admission",
                "subject_city": city.pk,
                "title": _("Admission of %(city)s") % {"city": city},
            }
    form = VoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            vote = services.vote_open(
                actor=actor(request),
                body=data["body"],
                kind=data["kind"],
                title=data["title"],
                motion=data["motion"],
                subject_city=data["subject_city"],
                options=data["options"].splitlines(),
                seats=data["seats"],
                secret=data["secret"],
                majority_rule=data["majority_rule"],
                quorum_percent=data["quorum_percent"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
            )
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            messages.success(request, _("The vote is open."))
            return redirect("governance:vote", vote_id=vote.pk)
    return render(request, "governance/vote_form.html", {"form": form}, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, vote_id: int) -> HttpResponse:
    v = selectors.get_vote_for(actor(request), vote_id)
    error = None
    code = ""
    if request.method == "POST":
        if not actor(request).is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        action = request.POST.get("action", "")
        try:
            if action == "cast":
                city = City.objects.filter(pk=posted_id(request, "city")).first()
                if city is None:
                    raise NotFound(_("Choose the city you vote for."))
                option = selectors.get_option(v, posted_id(request, "option"))
                receipt = services.vote_cast(
                    actor=actor(request), vote=v, city=city, option=option, code=request.POST.get("code", "")[:64]
                )
                code = receipt.code
                messages.success(
                    request,
                    _("The vote of %(city)s was changed.") % {"city": city}
                    if receipt.changed
                    else _("The vote of %(city)s is recorded.") % {"city": city},
                )
            elif action == "close":
                if not can_run_votes(actor(request)):
                    raise PermissionDenied(_("Only the secretariat can close a vote."))
                if not is_confirmed(request) and not hasattr(v, "result"):
                    return _confirm_close(request, v)
                services.vote_count(actor=actor(request), vote=v, close_now=True)
                messages.success(request, _("Voting is closed and the result is published."))
            elif action == "carry_out":
                services.vote_carry_out(actor=actor(request), vote=v)
            else:
                raise NotFound(_("Unknown action."))
        except DomainError as exc:
            error = exc
        else:
            if not code:  # a secret ballot's code is shown once, on this very answer
                return redirect("governance:vote", vote_id=v.pk)
        v = selectors.get_vote_for(actor(request), vote_id)
    context = {
        "vote": v,
        "view": selectors.vote_view(v),
        "my_cities": selectors.cities_user_votes_for(actor(request), v),
        "can_run_votes": can_run_votes(actor(request)),
        "error": error,
        "code": code,
    }
    status = error.status if error else 200
    return render(request, "governance/vote.html", context, status=status)


def _confirm_close(request: HttpRequest, vote: Vote) -> HttpResponse:
    view = selectors.vote_view(vote)
    lines = []
    if view.phase == "open":
        lines.append(
            _("Voting ends now for every city, before the set closing time (%(closes)s UTC).")
            % {"closes": locale_format.datetime(vote.closes_at, "UTC")}
        )
        lines.append(
            _("%(n)d of %(m)d electors have voted; the others can no longer vote.")
            % {"n": view.voted, "m": view.electorate}
        )
    lines.append(_("The votes are counted once and the result is published; it cannot be changed afterwards."))
    if vote.kind == Vote.Kind.ADMISSION and vote.subject_city is not None:
        lines.append(
            _("If the motion passes, %(city)s becomes a member of the association at once.")
            % {"city": vote.subject_city}
        )
    return confirmation(
        request,
        title=_("Close and count “%(vote)s”?") % {"vote": vote.title},
        consequences=lines,
        button=_("Close and count"),
        cancel_url=request.path,
    )


def _login_url() -> str:
    from django.urls import reverse

    return reverse("accounts:login")


def groups(request: HttpRequest) -> HttpResponse:
    return render(request, "governance/groups.html", {"groups": selectors.groups_public()})


@require_http_methods(["GET", "POST"])
def group(request: HttpRequest, group_id: int) -> HttpResponse:
    g = get_for(actor(request), selectors.groups_public(), group_id)
    user = actor(request)
    doc_form = GroupDocumentForm(request.POST if request.POST.get("action") == "document" else None)
    error = None
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        action = request.POST.get("action", "")
        try:
            if action in ("join", "leave"):
                city = City.objects.filter(pk=posted_id(request, "city")).first()
                if city is None:
                    raise NotFound(_("Choose a city."))
                change = services.group_join if action == "join" else services.group_leave
                change(actor=user, group=g, city=city)
                messages.success(request, _("Done."))
                return redirect("governance:group", group_id=g.pk)
            if action == "plan_status":
                item = WorkPlanItem.objects.filter(group=g, pk=posted_id(request, "item")).first()
                if item is None:
                    raise NotFound(_("There is no such task."))
                services.plan_item_set_status(actor=user, item=item, status=request.POST.get("status", ""))
                return redirect("governance:group", group_id=g.pk)
            if action == "document":
                if not can_share_in_group(user, g):
                    raise PermissionDenied(_("Only cities of the group can share documents with it."))
                if doc_form.is_valid():
                    data = doc_form.cleaned_data
                    services.group_document_add(
                        actor=user,
                        group=g,
                        title=data["title"],
                        language=data["language"].code,
                        url=data["url"],
                        body=data["body"],
                    )
                    messages.success(request, _("The document is shared with the group."))
                    return redirect("governance:group", group_id=g.pk)
            else:
                raise NotFound(_("Unknown action."))
        except DomainError as exc:
            if action == "document":
                apply_error(request, doc_form, exc)
            error = exc
    members = list(selectors.group_members(g))
    member_ids = {m.city_id for m in members}
    my_cities = list(selectors.cities_user_coordinates(user))
    context = {
        "group": g,
        "members": members,
        "plan": g.plan.select_related("lead_city"),
        "meetings": g.meetings.all(),
        "documents": g.documents.select_related("language"),
        "practices": selectors.group_practices(g, user),
        "challenges": selectors.group_challenges(g, user),
        "joinable": [c for c in my_cities if c.pk not in member_ids],
        "leavable": [c for c in my_cities if c.pk in member_ids and c.pk != g.chair_city_id],
        "can_manage": can_manage_group(user, g),
        "can_share": can_share_in_group(user, g),
        "doc_form": doc_form,
        "statuses": WorkPlanItem.Status.choices,
        "error": error,
        "now": timezone.now(),
    }
    status = error.status if error else (422 if doc_form.errors else 200)
    return render(request, "governance/group.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_for(actor(request), Meeting.objects.select_related("group"), meeting_id, action="manage")
    form = MinutesForm(request.POST or None, initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record_minutes(actor=actor(request), meeting=meeting, minutes=form.cleaned_data["minutes"])
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            messages.success(request, _("The minutes are recorded."))
            return redirect("governance:group", group_id=meeting.group_id)
    return render(
        request, "governance/minutes.html", {"meeting": meeting, "form": form}, status=422 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegate(request: HttpRequest, city_id: int) -> HttpResponse:
    city = get_city(city_id)
    if not can_name_delegate(actor(request), city.pk):
        raise PermissionDenied(_("Only the coordinator of %(city)s can name its delegate.") % {"city": city})
    form = DelegateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        try:
            services.delegate_name(actor=actor(request), city=city, user=user)
        except DomainError as exc:
            exc.field = "email" if exc.field == "user" else exc.field
            apply_error(request, form, exc)
        else:
            messages.success(request, _("The delegate is named."))
            return redirect("governance:delegate", city_id=city.pk)
    context = {
        "city": city,
        "form": form,
        "current": selectors.delegate_of(city),
    }
    return render(request, "governance/delegate.html", context, status=422 if form.errors else 200)
