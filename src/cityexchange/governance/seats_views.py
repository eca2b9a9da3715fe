"""The secretariat's pages for who sits on a body (seats) and which cities are in a working group (members).

Each change goes through one governance service (seat_add, seat_end, group_join, group_leave), which checks the
secretariat's right and writes the audit row; these pages replace the seat and member rows of the back office.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cityexchange.accounts.models import User
from cityexchange.accounts.permissions import is_secretariat
from cityexchange.core.errors import DomainError, NotFound, PermissionDenied
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor, apply_error, posted_id
from cityexchange.registry.models import City, Membership

from . import selectors, services
from .models import Body, GroupMember, Seat, WorkingGroup

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _member_cities() -> Any:
    return City.objects.filter(membership__status=Membership.Status.ACTIVE).order_by("name")


class SeatForm(forms.Form):
    city = forms.ModelChoiceField(label=gettext_lazy("City"), queryset=City.objects.none(), required=False)
    person = forms.EmailField(
        label=gettext_lazy("or a person (e-mail)"),
        required=False,
        help_text=gettext_lazy("Only for bodies whose seats are held by people."),
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Seat.Role.choices, initial=Seat.Role.MEMBER)
    start_on = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE)
    end_on = forms.DateField(label=gettext_lazy("To"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = _member_cities()  # type: ignore[attr-defined]

    def clean_person(self) -> User | None:
        email = self.cleaned_data.get("person") or ""
        if not email:
            return None
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("There is no account with this e-mail address."))
        return person


class EndForm(forms.Form):
    end_on = forms.DateField(label=gettext_lazy("Last day"), required=False, widget=DATE)


class MemberForm(forms.Form):
    city = forms.ModelChoiceField(label=gettext_lazy("City"), queryset=City.objects.none())

    def __init__(self, *args: Any, group: WorkingGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inside = GroupMember.objects.filter(group=group, left_on__isnull=True).values("city_id")
        self.fields["city"].queryset = _member_cities().exclude(pk__in=inside)  # type: ignore[attr-defined]


def _secretariat(request: HttpRequest) -> Any:
    user = actor(request)
    if not is_secretariat(user):
        raise PermissionDenied(_("Only the secretariat can change who sits on a body or works in a group."))
    return user


@login_required
@require_http_methods(["GET", "POST"])
def seats(request: HttpRequest, body_id: int) -> HttpResponse:
    user = _secretariat(request)
    body: Body = get_for(actor(request), selectors.bodies(), body_id)
    form = SeatForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "end":
                seat = Seat.objects.filter(body=body, pk=posted_id(request, "seat")).first()
                if seat is None:
                    raise NotFound(_("There is no such seat."))
                end = EndForm(request.POST)
                end_on = end.cleaned_data.get("end_on") if end.is_valid() else None
                services.seat_end(actor=user, seat=seat, end_on=end_on)
                messages.success(request, _("The term of %(who)s ends.") % {"who": seat.city or seat.person})
                return redirect("governance:seats", body.pk)
            if form.is_valid():
                data = form.cleaned_data
                seat = services.seat_add(
                    actor=user,
                    body=body,
                    city=data["city"],
                    person=data["person"],
                    role=data["role"],
                    start_on=data["start_on"],
                    end_on=data["end_on"],
                )
                messages.success(request, _("%(who)s has a seat.") % {"who": seat.city or seat.person})
                return redirect("governance:seats", body.pk)
        except DomainError as exc:
            apply_error(request, form if request.POST.get("action") == "add" else None, exc)
    context = {
        "body": body,
        "form": form,
        "end_form": EndForm(),
        "current": selectors.body_seats(body),
        "past": body.seats.exclude(pk__in=selectors.body_seats(body).values("pk")).select_related("city", "person"),
    }
    return render(request, "governance/seats.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def group_members(request: HttpRequest, group_id: int) -> HttpResponse:
    user = _secretariat(request)
    group: WorkingGroup = get_for(actor(request), selectors.groups_public(), group_id)
    form = MemberForm(request.POST if request.POST.get("action") == "add" else None, group=group)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                member = GroupMember.objects.filter(group=group, pk=posted_id(request, "member")).first()
                if member is None:
                    raise NotFound(_("There is no such member of the group."))
                services.group_leave(actor=user, group=group, city=member.city)
                messages.success(request, _("%(city)s has left the group.") % {"city": member.city})
                return redirect("governance:group_members", group.pk)
            if form.is_valid():
                member = services.group_join(actor=user, group=group, city=form.cleaned_data["city"])
                messages.success(request, _("%(city)s has joined the group.") % {"city": member.city})
                return redirect("governance:group_members", group.pk)
        except DomainError as exc:
            apply_error(request, form if request.POST.get("action") == "add" else None, exc)
    context = {
        "group": group,
        "form": form,
        "members": selectors.group_members(group),
        "former": group.members.filter(left_on__isnull=False).select_related("city").order_by("-left_on"),
    }
    return render(request, "governance/group_members.html", context, status=422 if form.errors else 200)
