from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cityexchange.accounts.permissions import is_secretariat, user_city_ids
from cityexchange.challenges.models import Challenge
from cityexchange.core.errors import DomainError, InvalidInput, PermissionDenied
from cityexchange.core.locale_names import content_code
from cityexchange.core.ratelimit import rate_limit
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor, apply_error, querydict_without
from cityexchange.desk.selectors import ask_state
from cityexchange.practices.models import Practice
from cityexchange.registry.models import City
from cityexchange.registry.selectors import get_city

from . import opendata, permissions, selectors, services
from .filters import RegisterFilters
from .forms import AnswerForm, ContactRequestForm, MoveForm, NoteForm
from .models import ContactRequest, EvidenceDocument
from .stages import FINAL, PATH, Stage, allowed_moves, label
from .translated import ORIGINAL_PARAM, reading_for


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The cooperations and contact requests of the user's cities."""
    user = actor(request)
    mine_ids = user_city_ids(user)
    requests = selectors.contact_requests_visible_to(user).filter(
        Q(from_city_id__in=mine_ids) | Q(to_city_id__in=mine_ids)
    )
    return render(
        request,
        "cooperation/mine.html",
        {
            "incoming": requests.filter(to_city_id__in=mine_ids, status=ContactRequest.Status.PENDING),
            "outgoing": requests.filter(from_city_id__in=mine_ids)[:50],
            "cooperations": selectors.my_cooperations(user),
            "cities": City.objects.filter(pk__in=mine_ids),
            "is_secretariat": is_secretariat(user),
        },
    )


def city(request: HttpRequest, city_id: int) -> HttpResponse:
    place = get_city(city_id)
    cooperations = selectors.city_cooperations(actor(request), place)
    return render(request, "cooperation/city.html", {"city": place, "cooperations": cooperations})


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    data = selectors.overview(actor(request))
    return render(request, "cooperation/overview.html", {"overview": data, "stalled_days": selectors.stalled_days()})


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    params = request.POST if request.method == "POST" else request.GET
    practice = challenge = None
    if params.get("practice"):
        practice = get_for(user, Practice, params.get("practice"))
    elif params.get("challenge"):
        challenge = get_for(user, Challenge, params.get("challenge"))
    else:
        raise InvalidInput(_("Choose a practice or a challenge to ask about."), field="practice")
    cities = list(City.objects.filter(pk__in=user_city_ids(user)).exclude(pk=(practice or challenge).city_id))  # type: ignore[union-attr]
    initial = {"from_city": cities[0].pk if cities else None, "language": content_code(request.LANGUAGE_CODE)}
    form = ContactRequestForm(request.POST or None, cities=cities, initial=initial)
    if request.method == "POST" and form.is_valid():
        from_city = next((c for c in cities if c.pk == form.cleaned_data.get("from_city")), None)
        try:
            req = services.contact_request_create(
                actor=user,
                practice=practice,
                challenge=challenge,
                message=form.cleaned_data["message"],
                from_city=from_city,
                # Not chosen: the service takes the interface's language.
                language=form.cleaned_data["language"].code if form.cleaned_data.get("language") else "",
            )
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            messages.success(request, _("Your request was sent to %(city)s.") % {"city": req.to_city.name})
            return redirect("cooperation:contact", pk=req.pk)
    return render(
        request,
        "cooperation/contact_new.html",
        {"form": form, "practice": practice, "challenge": challenge, "cities": cities},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    user = actor(request)
    req = get_for(user, selectors.contact_requests(), pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "")
        try:
            if action == "accept":
                coop = services.contact_request_accept(actor=user, request=req, answer=form.cleaned_data["answer"])
                messages.success(request, _("Accepted: the cooperation is open."))
                return redirect("cooperation:detail", pk=coop.pk)
            if action == "decline":
                services.contact_request_decline(actor=user, request=req, answer=form.cleaned_data["answer"])
                messages.success(request, _("The request was declined."))
            elif action == "withdraw":
                services.contact_request_withdraw(actor=user, request=req)
                messages.success(request, _("The request was withdrawn."))
            else:
                raise InvalidInput(_("Choose an action."), field=None)
        except PermissionDenied:
            raise
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            return redirect("cooperation:contact", pk=req.pk)
    # The message in the reader's language where the desk has an approved translation, and the offer to ask for one.
    code = content_code(request.LANGUAGE_CODE)
    text = reading_for(req, code, want_original=ORIGINAL_PARAM in request.GET)
    return render(
        request,
        "cooperation/contact.html",
        {
            "req": req,
            "text": text,
            "ask": ask_state(user, req, code, text.available),
            "form": form,
            "can_answer": permissions.can_answer(user, req) and req.status == ContactRequest.Status.PENDING,
            "can_withdraw": permissions.can_withdraw(user, req) and req.status == ContactRequest.Status.PENDING,
        },
        status=422 if form.errors else 200,
    )


def _detail_context(request: HttpRequest, coop: Any) -> dict[str, Any]:
    user = actor(request)
    participant = permissions.is_participant(user, coop)
    reached = {e for e in coop.events.values_list("to_stage", flat=True)}
    return {
        "coop": coop,
        "timeline": selectors.timeline(user, coop),
        "participants": list(coop.participants.all()),
        "is_participant": participant,
        "can_see_private": permissions.can_see_private(user, coop),
        "moves": [(s.value, label(s)) for s in allowed_moves(coop.stage)] if participant else [],
        "path": [(s.value, label(s), s.value in reached, s.value == coop.stage) for s in PATH],
        "finished": Stage(coop.stage) in FINAL,
        "agreement": getattr(coop, "agreement", None) if hasattr(coop, "agreement") else None,
    }


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    coop = get_for(actor(request), selectors.cooperations(), pk)
    form = NoteForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        coop = get_for(actor(request), selectors.cooperations(), pk, action="move")
        if form.is_valid():
            try:
                services.cooperation_add_note(
                    actor=actor(request),
                    cooperation=coop,
                    note=form.cleaned_data["note"],
                    private_note=form.cleaned_data["private_note"],
                    documents=form.cleaned_data["documents"],
                )
            except DomainError as exc:
                apply_error(request, form, exc)
            else:
                messages.success(request, _("The note was added."))
                return redirect("cooperation:detail", pk=coop.pk)
    context = _detail_context(request, coop) | {"note_form": form}
    return render(request, "cooperation/detail.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    coop = get_for(actor(request), selectors.cooperations(), pk, action="move")
    if stage not in {s.value for s in Stage}:
        raise Http404
    form = MoveForm(request.POST or None, request.FILES or None, stage=stage, cooperation=coop)
    if request.method == "POST" and form.is_valid():
        try:
            services.cooperation_move(
                actor=actor(request),
                cooperation=coop,
                to_stage=stage,
                evidence=form.evidence(),
                documents=form.cleaned_data["documents"],
            )
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            messages.success(request, _("Recorded: %(stage)s.") % {"stage": label(stage)})
            return redirect("cooperation:detail", pk=coop.pk)
    return render(
        request,
        "cooperation/move.html",
        {
            "coop": coop,
            "form": form,
            "stage": stage,
            "stage_label": label(stage),
            "allowed": stage in allowed_moves(coop.stage),
        },
        status=422 if form.errors else 200,
    )


@login_required
def document(request: HttpRequest, pk: int) -> FileResponse:
    doc = get_for(actor(request), EvidenceDocument, pk)
    return FileResponse(
        doc.file.open("rb"), as_attachment=True, filename=doc.original_name, content_type=doc.content_type
    )


def register(request: HttpRequest) -> HttpResponse:
    """The public register of agreements: who signed what with whom, when, about which practice."""
    filters = RegisterFilters(request.GET)
    error = None
    try:
        agreements = selectors.agreements_public(filters)
    except DomainError as exc:
        error = exc
        agreements = selectors.agreements_public()
    page = Paginator(agreements, 50).get_page(request.GET.get("page"))
    query = querydict_without(request, "page")
    return render(
        request,
        "cooperation/register.html",
        {"form": filters.form, "page": page, "error": error, "query": query},
        status=422 if error else 200,
    )


def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/open_data.html", {"datasets": opendata.DATASETS, "formats": opendata.FORMATS})


@rate_limit("export")
def open_data_file(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    if dataset not in opendata.DATASETS or fmt not in opendata.FORMATS:
        raise Http404
    agreements = None
    if dataset == "agreements":
        agreements = selectors.agreements_public(RegisterFilters(request.GET))
    body = opendata.render(dataset, fmt, opendata.items_for(dataset, agreements))
    response = HttpResponse(body, content_type=opendata.FORMATS[fmt])
    response["Content-Disposition"] = f'inline; filename="{dataset}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def feed(request: HttpRequest) -> HttpResponse:
    return HttpResponse(opendata.atom_feed(), content_type="application/atom+xml; charset=utf-8")
