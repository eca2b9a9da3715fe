from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cityexchange.accounts.models import CityRole
from cityexchange.accounts.permissions import can_manage_team, is_secretariat
from cityexchange.core import locale_format
from cityexchange.core.confirm import confirmation, is_confirmed
from cityexchange.core.errors import DomainError, InvalidInput, PermissionDenied
from cityexchange.core.ids import safe_id
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor, apply_error, querydict_without

from . import selectors, services
from .city_page import city_sections
from .filters import DirectoryFilters
from .forms import ApplicationForm, CityProfileForm, ReasonForm
from .models import BlocStatus, Membership, MembershipApplication


def home(request: HttpRequest) -> HttpResponse:
    figures = selectors.association_figures()
    largest = selectors.directory(DirectoryFilters(membership="active")).select_related("country")[:12]
    return render(request, "registry/home.html", {"figures": figures, "largest": largest})


def directory(request: HttpRequest) -> HttpResponse:
    filters = DirectoryFilters(request.GET)
    error = None
    try:
        cities = selectors.directory(filters)
    except DomainError as exc:
        error = exc
        cities = selectors.directory(DirectoryFilters())
    page = Paginator(cities, 30).get_page(request.GET.get("page"))
    context = {
        "form": filters.form,
        "page": page,
        "error": error,
        "bloc_statuses": BlocStatus.objects.all(),
        "query": querydict_without(request, "page"),
    }
    template = "registry/_directory_results.html" if request.headers.get("HX-Request") else "registry/directory.html"
    return render(request, template, context, status=422 if error else 200)


def city_suggest(request: HttpRequest) -> JsonResponse:
    """Name suggestions for the application form's city picker (any script)."""
    q = request.GET.get("q", "")[:100]
    cities = selectors.cities_by_ids_in_order(selectors.search_city_ids(q, limit=10))
    return JsonResponse(
        {
            "results": [
                {"id": c.pk, "label": f"{c.label}, {c.country.label} ({locale_format.number(c.population)})"}
                for c in cities
            ]
        }
    )


def city_detail(request: HttpRequest, city_id: int) -> HttpResponse:
    city = get_for(actor(request), selectors.cities(), city_id)
    context = {
        "city": city,
        "membership": getattr(city, "membership", None) if hasattr(city, "membership") else None,
        "can_manage": can_manage_team(actor(request), city.pk),
        "is_secretariat": is_secretariat(actor(request)),
        "names_sample": city.alternate_names[:40],
        "sections": city_sections(request, city),
    }
    return render(request, "registry/city_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def city_edit(request: HttpRequest, city_id: int) -> HttpResponse:
    city = get_for(actor(request), selectors.cities(), city_id, action="edit")
    form = CityProfileForm(request.POST or None, initial={"website": city.website, "about": city.about})
    if request.method == "POST" and form.is_valid():
        try:
            services.city_update_profile(actor=actor(request), city=city, **form.cleaned_data)
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("registry:city", city_id=city.pk)
    return render(request, "registry/city_edit.html", {"city": city, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(
        request.POST or None,
        initial={"contact_email": actor(request).email, "contact_name": str(actor(request))},  # type: ignore[union-attr]
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.application_submit(
                actor=actor(request),
                city=data["city"],
                letter=data["letter"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                priority_sectors=data["priority_sectors"],
            )
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            messages.success(request, _("Your application was sent to the secretariat."))
            return redirect("registry:my_applications")
    chosen = form.data.get("city") if form.is_bound else None
    chosen_city = None
    if chosen and str(chosen).isdigit():
        chosen_city = selectors.cities_by_ids_in_order([int(chosen)])
    return render(
        request, "registry/apply.html", {"form": form, "chosen_city": chosen_city[0] if chosen_city else None}
    )


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    apps = selectors.applications_visible_to(actor(request)).filter(applicant=actor(request))
    return render(request, "registry/my_applications.html", {"applications": apps})


@login_required
def applications_queue(request: HttpRequest) -> HttpResponse:
    if not is_secretariat(actor(request)):
        raise PermissionDenied(_("Only the secretariat reviews applications."))
    status = request.GET.get("status", MembershipApplication.Status.SUBMITTED)
    if status not in MembershipApplication.Status.values:
        status = MembershipApplication.Status.SUBMITTED
    apps = selectors.applications_visible_to(actor(request)).filter(status=status).prefetch_related("priority_sectors")
    return render(
        request,
        "registry/applications_queue.html",
        {"applications": apps, "status": status, "statuses": MembershipApplication.Status.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_review(request: HttpRequest, application_id: int) -> HttpResponse:
    application = get_for(actor(request), selectors.applications(), application_id)
    admission_vote = (
        selectors.admission_vote_under_way(application.city)
        if application.status == MembershipApplication.Status.SUBMITTED
        else None
    )
    reject_form = ReasonForm(request.POST if request.POST.get("action") == "reject" else None)
    if request.method == "POST":
        if request.POST.get("action") == "approve" and not is_secretariat(actor(request)):
            raise PermissionDenied(_("Only the secretariat can approve applications."))
        try:
            if request.POST.get("action") == "approve":
                if admission_vote is None and not is_confirmed(request):
                    return _confirm_approval(request, application)
                services.application_approve(actor=actor(request), application=application)
                messages.success(request, _("%(city)s is now a member.") % {"city": application.city})
                return redirect("registry:applications_queue")
            if reject_form.is_valid():
                services.application_reject(
                    actor=actor(request), application=application, reason=reject_form.cleaned_data["reason"]
                )
                messages.success(request, _("The application was rejected."))
                return redirect("registry:applications_queue")
        except DomainError as exc:
            apply_error(request, reject_form if request.POST.get("action") == "reject" else None, exc)
    context = {
        "application": application,
        "reject_form": reject_form,
        "is_secretariat": is_secretariat(actor(request)),
        "admission_vote": admission_vote,
    }
    return render(request, "registry/application_review.html", context)


def _confirm_approval(request: HttpRequest, application: MembershipApplication) -> HttpResponse:
    city = application.city
    return confirmation(
        request,
        title=_("Approve the application of %(city)s?") % {"city": city},
        consequences=[
            _("%(city)s becomes an active member of the association today.") % {"city": city},
            _("%(person)s becomes the coordinator of %(city)s and can invite its team.")
            % {"person": application.applicant, "city": city},
            _("This cannot be undone here: only ending the membership, a separate decision, reverses it."),
        ],
        button=_("Approve and admit %(city)s") % {"city": city},
        cancel_url=request.path,
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_manage(request: HttpRequest, city_id: int) -> HttpResponse:
    memberships = Membership.objects.select_related("city", "city__country")
    membership = get_for(actor(request), memberships, city_id=safe_id(city_id), action="change")
    form = ReasonForm(request.POST or None)
    action = request.POST.get("action", "")
    if request.method == "POST":
        try:
            if action == "reinstate":
                services.membership_reinstate(actor=actor(request), membership=membership)
            elif action in {"suspend", "end"} and form.is_valid():
                if not is_confirmed(request):
                    return _confirm_membership_change(request, membership, action, form.cleaned_data["reason"])
                change = services.membership_suspend if action == "suspend" else services.membership_end
                change(actor=actor(request), membership=membership, reason=form.cleaned_data["reason"])
            else:
                raise InvalidInput(_("Give a reason and choose an action."), field="reason")
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            messages.success(request, _("The membership was updated."))
            return redirect("registry:city", city_id=city_id)
    return render(request, "registry/membership_manage.html", {"membership": membership, "form": form})


def _confirm_membership_change(request: HttpRequest, membership: Membership, action: str, reason: str) -> HttpResponse:
    city = membership.city
    reason_line = _("The reason recorded: %(reason)s") % {"reason": reason}
    if action == "end":
        return confirmation(
            request,
            title=_("End the membership of %(city)s?") % {"city": city},
            consequences=[
                _("%(city)s stops being a member of the association today.") % {"city": city},
                _("Its coordinator and officers can no longer act for it on the platform, votes included."),
                _("An ended membership cannot be reinstated; %(city)s would have to apply again.") % {"city": city},
                reason_line,
            ],
            button=_("End the membership"),
            cancel_url=request.path,
        )
    return confirmation(
        request,
        title=_("Suspend the membership of %(city)s?") % {"city": city},
        consequences=[
            _("%(city)s is suspended today: its coordinator and officers can no longer act for it, votes included.")
            % {"city": city},
            _("The secretariat can reinstate it later."),
            reason_line,
        ],
        button=_("Suspend the membership"),
        cancel_url=request.path,
    )


def team(request: HttpRequest, city_id: int) -> HttpResponse:
    """The city's team and its invitations; only its coordinator and the secretariat may see it."""
    from cityexchange.accounts.views import team_page

    return team_page(request, city_id)


def my_city_roles(request: HttpRequest) -> list[CityRole]:
    if not actor(request).is_authenticated:
        return []
    return list(CityRole.objects.filter(user=actor(request)).select_related("city"))
