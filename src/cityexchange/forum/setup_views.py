"""The organisers' set-up page for an event: rooms, meeting slots, meeting tables and interpreters.

Each form calls one forum service (room_add, slot_add, tables_create, interpreter_add, and their *_remove), which
checks that the user organises the event and writes the audit row; this page replaces the programme set-up in the
back office.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cityexchange.core.errors import DomainError, NotFound
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor, apply_error, posted_id

from . import selectors, services
from .models import Event, Slot
from .permissions import is_organiser

LOCAL_TIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RoomForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Room"), max_length=100)
    capacity = forms.IntegerField(label=gettext_lazy("Seats"), min_value=0, initial=0, required=False)


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts"), widget=LOCAL_TIME)
    ends_at = forms.DateTimeField(label=gettext_lazy("Ends"), widget=LOCAL_TIME)


class TablesForm(forms.Form):
    count = forms.IntegerField(label=gettext_lazy("Number of tables"), min_value=1, max_value=1000)
    seats = forms.IntegerField(label=gettext_lazy("Seats at each table"), min_value=2, max_value=50, initial=4)
    name_prefix = forms.CharField(
        label=gettext_lazy("Name prefix"), max_length=20, required=False, help_text=gettext_lazy("For example T-.")
    )


class InterpreterForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    language_pairs = forms.CharField(
        label=gettext_lazy("Language pairs"), max_length=500, help_text=gettext_lazy("For example: en-ru, en-zh")
    )
    available_slots = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Available in"),
        queryset=Slot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["available_slots"].queryset = event.slots.order_by("starts_at")  # type: ignore[attr-defined]


FORMS: dict[str, type[forms.Form]] = {
    "room": RoomForm,
    "slot": SlotForm,
    "tables": TablesForm,
    "interpreter": InterpreterForm,
}


def _build(name: str, event: Event, data: Any = None) -> forms.Form:
    kwargs: dict[str, Any] = {"prefix": name}
    if name == "interpreter":
        kwargs["event"] = event
    return FORMS[name](data, **kwargs)


def _apply(user: Any, event: Event, name: str, data: dict[str, Any]) -> str:
    """Call the form's service; returns the message for the organiser."""
    if name == "room":
        room = services.room_add(actor=user, event=event, name=data["name"], capacity=data["capacity"] or 0)
        return _("Room %(name)s added.") % {"name": room.name}
    if name == "slot":
        services.slot_add(actor=user, event=event, starts_at=data["starts_at"], ends_at=data["ends_at"])
        return _("Meeting slot added.")
    if name == "tables":
        tables = services.tables_create(
            actor=user, event=event, count=data["count"], seats=data["seats"], prefix=data["name_prefix"] or ""
        )
        return _("%(n)s tables added.") % {"n": len(tables)}
    pairs = [p for p in re.split(r"[\s,;]+", data["language_pairs"]) if p]
    interpreter = services.interpreter_add(
        actor=user, event=event, name=data["name"], language_pairs=pairs, available_slots=data["available_slots"]
    )
    return _("Interpreter %(name)s added.") % {"name": interpreter.name}


def _remove(user: Any, event: Event, kind: str, pk: int) -> str:
    """Remove one of the event's own rows through its service; returns the message for the organiser."""
    found: Any = {
        "room": event.rooms,
        "slot": event.slots,
        "table": event.tables,
        "interpreter": event.interpreters,
    }.get(kind)
    row = found.filter(pk=pk).first() if found is not None else None
    if row is None:
        raise NotFound(_("There is no such row in this event."))
    if kind == "room":
        services.room_remove(actor=user, room=row)
    elif kind == "slot":
        services.slot_remove(actor=user, slot=row)
    elif kind == "table":
        services.table_remove(actor=user, table=row)
    else:
        services.interpreter_remove(actor=user, interpreter=row)
    return _("Removed.")


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest, slug: str) -> HttpResponse:
    user = actor(request)
    event = get_for(user, selectors.events(), slug=slug, action="manage")
    forms_by_name = {name: _build(name, event) for name in FORMS}
    with timezone.override(event.tz):  # slot times are typed, and shown back, in the event's local time
        response = _post(request, user, event, forms_by_name) if request.method == "POST" else None
        if response is not None:
            return response
        status = 422 if request.method == "POST" else 200
        context = {
            "event": event,
            "is_organiser": is_organiser(user, event),
            "my_registration": selectors.registration_of(user, event),
            "rooms": event.rooms.order_by("name"),
            "slots": event.slots.order_by("starts_at"),
            "tables": event.tables.order_by("pk"),
            "interpreters": event.interpreters.prefetch_related("available_slots").order_by("name"),
            "forms": forms_by_name,
        }
        return render(request, "forum/setup.html", context, status=status)


def _post(request: HttpRequest, user: Any, event: Event, forms_by_name: dict[str, forms.Form]) -> HttpResponse | None:
    """Run the posted form's service; a redirect when it worked, None (the page with the errors) when not."""
    name = request.POST.get("form", "")
    if name == "remove":
        try:
            messages.success(request, _remove(user, event, request.POST.get("kind", ""), posted_id(request, "id")))
        except DomainError as exc:
            apply_error(request, None, exc)
            return None
        return redirect("forum:setup", slug=event.slug)
    if name not in FORMS:
        messages.error(request, _("Unknown action."))
        return None
    form = forms_by_name[name] = _build(name, event, request.POST)
    if form.is_valid():
        try:
            messages.success(request, _apply(user, event, name, form.cleaned_data))
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            return redirect("forum:setup", slug=event.slug)
    return None
