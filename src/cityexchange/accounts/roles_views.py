"""The secretariat's page for city roles: who is an officer or the coordinator of which member city.

Roles are granted with `city_role_grant` and removed with `city_role_remove` (both check the secretariat's right
and write the audit row); this page replaces the role rows of the back office. Coordinators keep inviting their
own officers on their team page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cityexchange.core import hooks
from cityexchange.core.errors import DomainError, NotFound, PermissionDenied
from cityexchange.core.views import actor, apply_error, posted_id

from . import services
from .models import CityRole, User
from .permissions import is_secretariat

MAX_ROWS = 500  # the page lists a city's team, or the newest roles of all cities


def _member_cities() -> Any:
    """Active member cities by name (cities are the registry's: it provides them as a hook)."""
    return hooks.required("accounts.member_cities")()


class GrantForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail of the account"))
    city: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=gettext_lazy("City"), queryset=None)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=CityRole.Role.choices, initial=CityRole.Role.OFFICER)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = _member_cities()  # type: ignore[attr-defined]

    def clean_email(self) -> User:
        user = User.objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if user is None:
            raise forms.ValidationError(_("There is no account with this e-mail address."))
        return user


@login_required
@require_http_methods(["GET", "POST"])
def city_roles(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    if not is_secretariat(user):
        raise PermissionDenied(_("Only the secretariat can grant and remove city roles."))
    city_id = request.GET.get("city", "")
    city = _member_cities().filter(pk=int(city_id)).first() if city_id.isdigit() else None
    back = reverse("accounts:city_roles") + (f"?city={city.pk}" if city else "")
    form = GrantForm(request.POST if request.POST.get("action") == "grant" else None, initial={"city": city})
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                role = CityRole.objects.select_related("user", "city").filter(pk=posted_id(request, "role")).first()
                if role is None:
                    raise NotFound(_("There is no such role."))
                services.city_role_remove(actor=user, city_role=role)
                messages.success(
                    request, _("%(who)s no longer works for %(city)s.") % {"who": role.user, "city": role.city}
                )
                return redirect(back)
            if form.is_valid():
                data = form.cleaned_data
                role = services.city_role_grant(actor=user, city=data["city"], user=data["email"], role=data["role"])
                messages.success(
                    request,
                    _("%(who)s is now %(role)s of %(city)s.")
                    % {"who": role.user, "role": role.get_role_display(), "city": role.city},
                )
                return redirect(back)
        except DomainError as exc:
            apply_error(request, form if request.POST.get("action") == "grant" else None, exc)
    roles = CityRole.objects.select_related("user", "city", "city__country").order_by("-created_at")
    if city is not None:
        roles = roles.filter(city=city)
    context = {
        "form": form,
        "city": city,
        "cities": _member_cities(),
        "roles": roles[:MAX_ROWS],
    }
    return render(request, "accounts/city_roles.html", context, status=422 if form.errors else 200)
