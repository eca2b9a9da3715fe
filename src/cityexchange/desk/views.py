"""Pages of the translation desk: the list of wanted translations, the side-by-side translation form, the review
of a version, and the reader's one-click request on a practice's or challenge's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cityexchange.challenges.models import Challenge
from cityexchange.core.errors import DomainError, InvalidTransition, PermissionDenied
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor, apply_error, safe_next
from cityexchange.practices.models import Practice
from cityexchange.registry.models import Language

from . import selectors, services
from .forms import LanguagesForm, ReturnForm, TranslateForm
from .models import TranslationVersion
from .permissions import can_translate
from .subjects import Subject, message_model, subject_of


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    codes, chosen = selectors.desk_languages(user, request.GET.get("language", ""))
    columns = selectors.wanted(codes, user)
    if chosen == "all":  # every language: only those something is asked for in
        columns = [c for c in columns if c.items]
    return render(
        request,
        "desk/desk.html",
        {
            "columns": columns,
            "stale": selectors.out_of_date(codes),
            "chosen": chosen,
            "declared": selectors.declared_languages(user),
            "filter_languages": Language.objects.filter(code__in=selectors.enabled_codes()).order_by("code"),
            "languages_form": LanguagesForm(initial={"languages": selectors.declared_languages(user)}),
            "awaiting": selectors.awaiting_review(user),
            "mine": selectors.my_versions(user),
            "can_translate": can_translate(user),
        },
    )


@login_required
@require_POST
def languages(request: HttpRequest) -> HttpResponse:
    services.languages_set(actor=actor(request), languages=request.POST.getlist("languages"))
    messages.success(request, _("Your languages were saved."))
    return redirect(safe_next(request, reverse("desk:home")))


def _ask(request: HttpRequest, item: Any) -> HttpResponse:
    try:
        services.translation_request(actor=actor(request), item=item, language=request.POST.get("language", ""))
        messages.success(request, _("Your request is on the translation desk; you will get an e-mail when it is done."))
    except DomainError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        messages.error(request, exc.message)
    return redirect(subject_of(item).url())


@login_required
@require_POST
def ask(request: HttpRequest, practice_id: int) -> HttpResponse:
    return _ask(request, get_for(actor(request), Practice, practice_id))


@login_required
@require_POST
def ask_challenge(request: HttpRequest, challenge_id: int) -> HttpResponse:
    return _ask(request, get_for(actor(request), Challenge, challenge_id))


@login_required
@require_POST
def ask_message(request: HttpRequest, contact_request_id: int) -> HttpResponse:
    # 404 for anyone but the two cities' officers and the secretariat (cooperation's policy for contact requests).
    return _ask(request, get_for(actor(request), message_model(), contact_request_id))


def _initial(subject: Subject, language: str, cities: Any) -> dict[str, Any]:
    """The latest version (any status) when there is one, so a correction starts from it."""
    latest = selectors.history(subject.item, language).first()
    initial: dict[str, Any] = {"city": cities.first()}
    if latest is not None:
        initial.update({t.name: getattr(latest, t.name) for t in subject.texts})
        for i, name in enumerate(latest.indicator_names):
            initial[f"indicator_{i}"] = name
    return initial


def _translate(request: HttpRequest, item: Any, language: str) -> HttpResponse:
    user = actor(request)
    if not can_translate(user):
        raise PermissionDenied(_("Only officers of a member city can translate on the desk."))
    subject = subject_of(item)
    code = services.target_language(item, language)
    if not subject.is_open():  # e.g. the city's own draft: nothing to translate yet
        raise InvalidTransition(subject.closed_message())
    originals = subject.indicator_names()
    cities = selectors.translator_cities(user)
    allowed = subject.translating_city_ids()
    if allowed is not None:  # a private message: only the officers of its two cities translate it
        cities = cities.filter(pk__in=allowed)
        if not cities.exists():
            raise PermissionDenied(_("Only officers of the cities that exchanged this message can translate it."))
    data = request.POST if request.method == "POST" else None
    form = TranslateForm(
        data,
        initial=_initial(subject, code, cities),
        texts=subject.texts,
        indicators=originals,
        cities=cities,
        language=code,
    )
    if data is not None and form.is_valid():
        try:
            version = services.translation_submit(
                actor=user, item=item, language=code, data=form.document(), city=form.cleaned_data["city"]
            )
        except DomainError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            exc.field = TranslateForm.form_field(exc.field)
            apply_error(request, form, exc)
        else:
            messages.success(
                request,
                _("Thank you: the translation waits for the approval of %(city)s.") % {"city": item.city.name},
            )
            return redirect("desk:review", version_id=version.pk)
    rows = [(getattr(item, t.name), form[t.name], t.markdown) for t in subject.texts]
    rows += [(name, form[f"indicator_{n}"], False) for n, name in enumerate(originals)]
    return render(
        request,
        "desk/translate.html",
        {
            "item": item,
            "item_url": subject.url(),
            "language": Language.objects.get(code=code),
            "form": form,
            "rows": rows,
            "history": selectors.history(item, code),
        },
        status=422 if data is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def translate(request: HttpRequest, practice_id: int, language: str) -> HttpResponse:
    return _translate(request, get_for(actor(request), Practice, practice_id), language)


@login_required
@require_http_methods(["GET", "POST"])
def translate_challenge(request: HttpRequest, challenge_id: int, language: str) -> HttpResponse:
    return _translate(request, get_for(actor(request), Challenge, challenge_id), language)


@login_required
@require_http_methods(["GET", "POST"])
def translate_message(request: HttpRequest, contact_request_id: int, language: str) -> HttpResponse:
    return _translate(request, get_for(actor(request), message_model(), contact_request_id), language)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, version_id: int) -> HttpResponse:
    user = actor(request)
    version = get_for(user, selectors.versions(), version_id)
    form = ReturnForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                services.translation_approve(actor=user, version=version)
                messages.success(request, _("The translation is approved; readers see it now."))
            else:
                form.is_valid()
                services.translation_return(actor=user, version=version, note=request.POST.get("note", ""))
                messages.success(request, _("The translation was sent back to its translator."))
        except DomainError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            apply_error(request, form, exc)
        else:
            return redirect("desk:review", version_id=version.pk)
    version = get_for(user, selectors.versions(), version_id)
    item = version.item
    subject = subject_of(item)
    rows = [(getattr(item, t.name), getattr(version, t.name), t.markdown) for t in subject.texts]
    names = version.indicator_names
    rows += [(name, names[n] if n < len(names) else "", False) for n, name in enumerate(subject.indicator_names())]
    return render(
        request,
        "desk/review.html",
        {
            "version": version,
            "item": item,
            "item_url": subject.url(),
            "rows": rows,
            "can_review": subject.may_approve(user) and version.status == TranslationVersion.Status.SUBMITTED,
            "original_changed": version.source_digest != subject.digest(),
            "form": form,
            "history": selectors.history(item, version.language_id),
        },
        status=422 if request.method == "POST" else 200,
    )
