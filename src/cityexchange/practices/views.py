from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cityexchange.accounts.permissions import is_secretariat, user_city_ids
from cityexchange.core import hooks
from cityexchange.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from cityexchange.core.ids import safe_id
from cityexchange.core.locale_names import content_code
from cityexchange.core.ratelimit import enforce, rate_limit
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor, apply_error, querydict_without
from cityexchange.registry.models import City

from . import selectors, services
from .document import practice_document
from .filters import FACETS, PracticeFilters
from .forms import (
    AttachmentForm,
    IndicatorFormSet,
    PracticeForm,
    ReturnForm,
    TranslationForm,
    indicator_rows,
    show_errors,
)
from .importer import export_practices
from .models import Practice
from .permissions import can_edit, can_moderate, can_see_contacts
from .reading import InvalidDocument
from .translated import ORIGINAL_PARAM, reading_for


def _library_search(request: HttpRequest) -> HttpResponse:
    """The library's box with words in it: the one search (matching.search.find) the search page and the API
    use, with the same filters; strong matches first, possible ones folded."""
    user = actor(request)
    engine = hooks.required("practices.search")()  # the matching engine (matching.library)
    try:
        filters = engine.filters(request.GET)
    except DomainError as exc:
        return _browse(request, error=exc)
    enforce(request, "search")
    city_id = user_city_ids(user).values_list("city_id", flat=True).first()
    viewer = City.objects.filter(pk=city_id).first() if city_id else None
    results = engine.find(user, filters, viewer_city=viewer)
    strong, possible = engine.strong_and_possible(results)
    found = Practice.objects.restrict(user).filter(pk__in=[r.practice.pk for r in results])
    context = {
        "searching": True,
        "results": results,
        "strong": strong,
        "possible": possible,
        "filters": filters,
        "facets": selectors.practice_facets(found),
        "form": PracticeFilters(request.GET).form,
        "query": querydict_without(request, "page"),
        "facet_links": {f: querydict_without(request, f, "page") for f in FACETS},
        "export_query": querydict_without(request, "page", "sort", "status", "q"),
    }
    if engine.is_filtered(filters):
        context["clear_filters_url"] = "?" + urlencode({"q": filters.q})
    template = "practices/_results.html" if request.headers.get("HX-Request") else "practices/list.html"
    return render(request, template, context)


def practice_list(request: HttpRequest) -> HttpResponse:
    if request.GET.get("q", "").strip():
        return _library_search(request)
    return _browse(request)


def _browse(request: HttpRequest, error: DomainError | None = None) -> HttpResponse:
    """No words in the box: the library as a list, newest first, with the same filters in SQL."""
    form = PracticeFilters(request.GET).form  # as the reader set it, errors included
    filters = PracticeFilters(request.GET, q="")
    try:
        qs = selectors.practice_list(actor(request), filters)
    except DomainError as exc:
        error = exc
        filters = PracticeFilters()
        qs = selectors.practice_list(actor(request), filters)
    page = Paginator(qs.prefetch_related("sectors", "indicators", "translations"), 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "error": error,
        "filters": filters,
        "facets": selectors.practice_facets(qs),
        "form": form,
        "query": querydict_without(request, "page"),
        "facet_links": {f: querydict_without(request, f, "page") for f in FACETS},
        "export_query": querydict_without(request, "page", "sort", "status"),
    }
    template = "practices/_results.html" if request.headers.get("HX-Request") else "practices/list.html"
    return render(request, template, context, status=422 if error else 200)


@rate_limit("export")
def export(request: HttpRequest) -> HttpResponse:
    """Published practices (the list's filters apply) as CSV or JSON in the import format."""
    fmt = request.GET.get("format", "json")
    if fmt not in ("csv", "json"):
        raise InvalidInput(_("Unknown format: %(v)s; use csv or json.") % {"v": fmt[:10]}, field="format")
    filters = PracticeFilters(request.GET, status=Practice.Status.PUBLISHED, sort="newest")
    user = actor(request)
    body = export_practices(selectors.practice_list(user, filters), fmt, with_contacts=can_see_contacts(user))
    stamp = timezone.now().strftime("%Y%m%d")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/json")
    response["Content-Disposition"] = f'attachment; filename="practices-{stamp}.{fmt}"'
    return response


def detail(request: HttpRequest, practice_id: int) -> HttpResponse:
    user = actor(request)
    details = selectors.with_details(Practice.objects.select_related("city", "city__country", "language"))
    practice = get_for(user, details, practice_id)
    editable = can_edit(user, practice) and practice.status != Practice.Status.ARCHIVED
    code = content_code(request.LANGUAGE_CODE)
    ask = hooks.provider("content.translation_ask")  # the translation desk offers to translate it
    text = reading_for(practice, code, want_original=ORIGINAL_PARAM in request.GET)
    return render(
        request,
        "practices/detail.html",
        {
            "practice": practice,
            "text": text,
            "ask": ask(user, practice, code, text.available) if ask is not None else None,
            "can_edit": editable,
            "can_moderate": can_moderate(user),
            "show_contact": can_see_contacts(user),
            "translation_form": TranslationForm() if editable else None,
            "attachment_form": AttachmentForm() if editable else None,
            "return_form": ReturnForm() if can_moderate(user) else None,
        },
    )


def _save_form(request: HttpRequest, practice: Practice | None, cities: Any) -> HttpResponse:
    user = actor(request)
    if practice is not None:
        initial: dict[str, Any] = PracticeForm.initial_from(practice_document(practice))
        initial_rows = [
            {k: i.get(k) for k in ("name", "baseline", "achieved", "unit", "year")}
            for i in practice_document(practice)["indicators"]
        ]
    else:
        initial = {"language": (request.LANGUAGE_CODE or "en").split("-")[0], "currency": "USD"}
        if cities is not None and cities.count() == 1:
            initial["city"] = cities.first()
        initial_rows = []
    data = request.POST if request.method == "POST" else None
    form = PracticeForm(data, initial=initial, cities=cities)
    formset = IndicatorFormSet(data, initial=initial_rows, prefix="ind")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        doc = form.to_document(indicator_rows(formset))
        try:
            if practice is None:
                saved = services.practice_create(actor=user, city=form.cleaned_data["city"], data=doc)
                messages.success(request, _("The draft was saved. Submit it for review when it is ready."))
            else:
                saved = services.practice_update(actor=user, practice=practice, data=doc)
                messages.success(request, _("The practice was saved."))
        except InvalidDocument as exc:
            show_errors(form, formset, exc.errors)
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            return redirect("practices:detail", practice_id=saved.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "practices/form.html", {"form": form, "formset": formset, "practice": practice}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    cities: QuerySet[City]
    if is_secretariat(user):
        cities = City.objects.filter(membership__status="active").order_by("name")
    else:
        cities = selectors.officer_cities(user)
    if not cities.exists():
        raise PermissionDenied(_("Only officers of a member city can add practices."))
    return _save_form(request, None, cities)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, practice_id: int) -> HttpResponse:
    practice = get_for(actor(request), Practice, practice_id, action="edit")
    return _save_form(request, practice, None)


@login_required
@require_POST
def transition(request: HttpRequest, practice_id: int) -> HttpResponse:
    user = actor(request)
    practice = get_for(user, Practice, practice_id)
    action = request.POST.get("action", "")
    try:
        if action == "submit":
            services.practice_submit(actor=user, practice=practice)
            messages.success(request, _("Submitted to the secretariat for review."))
        elif action == "publish":
            services.practice_publish(actor=user, practice=practice)
            messages.success(request, _("The practice is published."))
        elif action == "return":
            services.practice_return(actor=user, practice=practice, comment=request.POST.get("comment", ""))
            messages.success(request, _("The practice was returned to the city."))
        elif action == "archive":
            services.practice_archive(actor=user, practice=practice)
            messages.success(request, _("The practice is archived."))
        else:
            raise InvalidInput(_("Unknown action."), field="action")
    except DomainError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        messages.error(request, exc.message)
    return redirect("practices:detail", practice_id=practice.pk)


@login_required
def versions(request: HttpRequest, practice_id: int) -> HttpResponse:
    user = actor(request)
    practice = get_for(user, Practice, practice_id)
    if not (can_edit(user, practice) or can_moderate(user)):
        raise PermissionDenied(_("Only the city's officers and the secretariat see a practice's history."))
    history = practice.versions.select_related("actor").order_by("-number")
    return render(request, "practices/versions.html", {"practice": practice, "versions": history})


@login_required
@require_POST
def translation(request: HttpRequest, practice_id: int) -> HttpResponse:
    user = actor(request)
    practice = get_for(user, Practice, practice_id, action="edit")
    try:
        if request.POST.get("action") == "delete":
            services.practice_delete_translation(
                actor=user, practice=practice, language=request.POST.get("language", "")
            )
            messages.success(request, _("The translation was removed."))
        else:
            services.practice_set_translation(
                actor=user,
                practice=practice,
                language=request.POST.get("language", ""),
                title=request.POST.get("title", ""),
                summary=request.POST.get("summary", ""),
            )
            messages.success(request, _("The translation was saved."))
    except DomainError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        messages.error(request, exc.message)
    return redirect("practices:detail", practice_id=practice.pk)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, practice_id: int) -> HttpResponse:
    user = actor(request)
    practice = get_for(user, Practice, practice_id, action="edit")
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidInput(_("Choose a file."), field="file")
        services.practice_add_attachment(actor=user, practice=practice, upload=upload)
        messages.success(request, _("The file was attached."))
    except DomainError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        messages.error(request, exc.message)
    return redirect("practices:detail", practice_id=practice.pk)


def _attachment(request: HttpRequest, practice_id: int, attachment_id: int, action: str) -> Any:
    practice = get_for(actor(request), Practice, practice_id, action=action)
    attachment = practice.attachments.filter(pk=safe_id(attachment_id)).first()
    if attachment is None:
        raise NotFound(_("There is no such attachment."))
    return attachment


def attachment_download(request: HttpRequest, practice_id: int, attachment_id: int) -> FileResponse:
    attachment = _attachment(request, practice_id, attachment_id, "view")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise NotFound(_("The file is missing from storage.")) from exc
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=attachment.kind == "pdf",
        filename=attachment.original_name,
    )
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@login_required
@require_POST
def attachment_delete(request: HttpRequest, practice_id: int, attachment_id: int) -> HttpResponse:
    attachment = _attachment(request, practice_id, attachment_id, "edit")
    services.practice_delete_attachment(actor=actor(request), attachment=attachment)
    messages.success(request, _("The attachment was removed."))
    return redirect("practices:detail", practice_id=practice_id)


@login_required
def my_city(request: HttpRequest) -> HttpResponse:
    """The dashboard of a city the user works for: its practices by status and its challenges."""
    user = actor(request)
    cities = list(selectors.officer_cities(user))
    if not cities:
        raise PermissionDenied(_("Your account does not work for a member city yet."))
    wanted = request.GET.get("city", "")
    city = next((c for c in cities if str(c.pk) == wanted), cities[0])
    if wanted and str(city.pk) != wanted:
        raise NotFound(_("You do not work for this city."))
    grouped = selectors.city_practices(user, city)
    S = Practice.Status
    groups = [
        (S.RETURNED, S.RETURNED.label, grouped[S.RETURNED]),
        (S.DRAFT, S.DRAFT.label, grouped[S.DRAFT]),
        (S.SUBMITTED, S.SUBMITTED.label, grouped[S.SUBMITTED]),
        (S.PUBLISHED, S.PUBLISHED.label, grouped[S.PUBLISHED]),
        (S.ARCHIVED, S.ARCHIVED.label, grouped[S.ARCHIVED]),
    ]
    return render(
        request,
        "practices/dashboard.html",
        {"city": city, "cities": cities, "groups": groups, "challenges": selectors.city_challenges(user, city)},
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    items = selectors.moderation_queue(actor(request)).prefetch_related("sectors")
    return render(request, "practices/queue.html", {"practices": items})
