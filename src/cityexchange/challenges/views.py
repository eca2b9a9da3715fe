from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cityexchange.accounts.permissions import is_secretariat
from cityexchange.core import hooks
from cityexchange.core.errors import DomainError, PermissionDenied
from cityexchange.core.locale_names import content_code
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor, apply_error, querydict_without
from cityexchange.practices.forms import show_errors
from cityexchange.practices.reading import InvalidDocument
from cityexchange.practices.selectors import officer_cities
from cityexchange.registry.models import City, Country, Sector

from . import selectors, services
from .document import challenge_document
from .filters import ChallengeFilters
from .forms import ChallengeForm
from .models import Challenge
from .permissions import can_edit
from .services import TRANSITIONS
from .translated import ORIGINAL_PARAM, reading_for


def challenge_list(request: HttpRequest) -> HttpResponse:
    filters = ChallengeFilters(request.GET)
    error = None
    try:
        qs = selectors.challenge_list(actor(request), filters)
    except DomainError as exc:
        error, filters = exc, ChallengeFilters()
        qs = selectors.challenge_list(actor(request), filters)
    page = Paginator(qs.prefetch_related("sectors"), 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "error": error,
        "filters": filters,
        "sectors": Sector.objects.all(),
        "countries": Country.objects.filter(cities__challenges__isnull=False).distinct(),
        "statuses": filters.form.fields["status"].choices,
        "sorts": filters.form.fields["sort"].choices,
        "query": querydict_without(request, "page"),
    }
    template = "challenges/_results.html" if request.headers.get("HX-Request") else "challenges/list.html"
    return render(request, template, context, status=422 if error else 200)


def detail(request: HttpRequest, challenge_id: int) -> HttpResponse:
    user = actor(request)
    challenge = get_for(user, Challenge, challenge_id)
    editable = can_edit(user, challenge)
    next_statuses = [
        (s, Challenge.Status(s).label) for s in Challenge.Status.values if s in TRANSITIONS[challenge.status]
    ]
    code = content_code(request.LANGUAGE_CODE)
    ask = hooks.provider("content.translation_ask")  # the translation desk offers to translate it
    text = reading_for(challenge, code, want_original=ORIGINAL_PARAM in request.GET)
    return render(
        request,
        "challenges/detail.html",
        {
            "challenge": challenge,
            "can_edit": editable,
            "next_statuses": next_statuses if editable else [],
            "text": text,
            "ask": ask(user, challenge, code, text.available) if ask is not None else None,
        },
    )


def _save(request: HttpRequest, challenge: Challenge | None, cities: Any) -> HttpResponse:
    user = actor(request)
    if challenge is not None:
        initial = ChallengeForm.initial_from(challenge_document(challenge))
    else:
        initial = {"language": (request.LANGUAGE_CODE or "en").split("-")[0]}
        if cities is not None and cities.count() == 1:
            initial["city"] = cities.first()
    form = ChallengeForm(request.POST if request.method == "POST" else None, initial=initial, cities=cities)
    if request.method == "POST" and form.is_valid():
        try:
            if challenge is None:
                saved = services.challenge_create(actor=user, city=form.cleaned_data["city"], data=form.to_document())
            else:
                saved = services.challenge_update(actor=user, challenge=challenge, data=form.to_document())
        except InvalidDocument as exc:
            show_errors(form, None, exc.errors)
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            messages.success(request, _("The challenge was saved."))
            return redirect("challenges:detail", challenge_id=saved.pk)
    return render(
        request,
        "challenges/form.html",
        {"form": form, "challenge": challenge},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    cities: QuerySet[City]
    if is_secretariat(user):
        cities = City.objects.filter(membership__status="active").order_by("name")
    else:
        cities = officer_cities(user)
    if not cities.exists():
        raise PermissionDenied(_("Only officers of a member city can state challenges."))
    return _save(request, None, cities)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, challenge_id: int) -> HttpResponse:
    return _save(request, get_for(actor(request), Challenge, challenge_id, action="edit"), None)


@login_required
@require_POST
def set_status(request: HttpRequest, challenge_id: int) -> HttpResponse:
    user = actor(request)
    challenge = get_for(user, Challenge, challenge_id, action="edit")
    try:
        services.challenge_set_status(actor=user, challenge=challenge, status=request.POST.get("status", ""))
        messages.success(request, _("The status was changed."))
    except DomainError as exc:
        apply_error(request, None, exc)
    return redirect("challenges:detail", challenge_id=challenge.pk)
