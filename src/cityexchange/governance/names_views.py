"""The secretariat's page for a body's or a working group's name in every UI language."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cityexchange.accounts.permissions import is_secretariat
from cityexchange.core.errors import DomainError, PermissionDenied
from cityexchange.core.restrict import get_for
from cityexchange.core.translated_names import NamesForm
from cityexchange.core.views import actor, apply_error

from . import selectors, services
from .models import Body, WorkingGroup


def _edit(request: HttpRequest, target: Body | WorkingGroup, back: str) -> HttpResponse:
    user = actor(request)
    if not is_secretariat(user):
        raise PermissionDenied(_("Only the secretariat can name the association's bodies and groups."))
    form = NamesForm(request.POST or None, names=target.names)
    if request.method == "POST" and form.is_valid():
        try:
            services.names_set(actor=user, target=target, names=form.names())
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            messages.success(request, _("The names are saved."))
            return redirect(back, target.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "governance/names.html", {"target": target, "form": form, "back": back}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def body_names(request: HttpRequest, body_id: int) -> HttpResponse:
    return _edit(request, get_for(actor(request), selectors.bodies(), body_id), "governance:body")


@login_required
@require_http_methods(["GET", "POST"])
def group_names(request: HttpRequest, group_id: int) -> HttpResponse:
    return _edit(request, get_for(actor(request), selectors.groups_public(), group_id), "governance:group")
