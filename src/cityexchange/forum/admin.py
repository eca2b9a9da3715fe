"""The back office for the forum, each write through forum.services: the secretariat creates events and names
their organisers; an event's wording and settings change through event_update; rooms, slots, sessions and
interpreters are added through their services too. Registrations, requests and schedules are read-only here.
Organisers set up their event on the forum's own set-up page (forum:setup), which also creates meeting tables."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cityexchange.core.admin_support import ReadOnlyAdmin, ServiceAdmin, ServiceTabularInline

from . import services
from .models import (
    Delegation,
    Event,
    Interpreter,
    MeetingRequest,
    MeetingTable,
    Registration,
    Room,
    ScheduleRun,
    Session,
    Slot,
)


class SlotInline(ServiceTabularInline):
    model = Slot
    add_fields = ["starts_at", "ends_at"]

    def create(self, request: HttpRequest, parent: Any, data: dict[str, Any]) -> Slot:
        return services.slot_add(actor=request.user, event=parent, starts_at=data["starts_at"], ends_at=data["ends_at"])

    def remove(self, request: HttpRequest, obj: Any) -> None:
        services.slot_remove(actor=request.user, slot=obj)


class TableInline(ServiceTabularInline):
    model = MeetingTable

    def remove(self, request: HttpRequest, obj: Any) -> None:
        services.table_remove(actor=request.user, table=obj)


class RoomInline(ServiceTabularInline):
    model = Room
    add_fields = ["name", "capacity"]

    def create(self, request: HttpRequest, parent: Any, data: dict[str, Any]) -> Room:
        return services.room_add(actor=request.user, event=parent, name=data["name"], capacity=data["capacity"] or 0)

    def remove(self, request: HttpRequest, obj: Any) -> None:
        services.room_remove(actor=request.user, room=obj)


@admin.register(Event)
class EventAdmin(ServiceAdmin):
    list_display = ["name", "city", "starts_on", "ends_on", "is_published", "registration_open"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["organisers", "working_languages"]
    raw_id_fields = ["city"]
    readonly_fields = ["published_run", "schedule_published_at"]
    inlines = [RoomInline, SlotInline, TableInline]
    add_fields = [
        "name",
        "slug",
        "city",
        "timezone",
        "starts_on",
        "ends_on",
        "venue",
        "description",
        "working_languages",
        "is_published",
        "organisers",
    ]
    change_fields = ["organisers", *services.EVENT_SETTINGS]

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        return dict(self.prepopulated_fields) if obj is None else {}  # the slug is fixed once the event exists

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return super().get_readonly_fields(request, obj) if obj is not None else []

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        # Rooms and slots are added once the event exists (its dates bound the slots).
        return super().get_inline_instances(request, obj) if obj is not None else []

    def create(self, request: HttpRequest, data: dict[str, Any]) -> Event:
        return services.event_create(
            actor=request.user,
            name=data["name"],
            slug=data["slug"],
            city=data["city"],
            timezone_name=data["timezone"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            venue=data["venue"] or "",
            description=data["description"] or "",
            working_languages=data["working_languages"] or (),
            is_published=bool(data["is_published"]),
            organisers=data["organisers"] or (),
        )

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any], changed: list[str]) -> Event:
        if "organisers" in changed:
            obj = services.event_set_organisers(actor=request.user, event=obj, organisers=data["organisers"] or ())
        if set(changed) & set(services.EVENT_SETTINGS):
            settings = {name: data[name] for name in services.EVENT_SETTINGS}
            obj = services.event_update(actor=request.user, event=obj, **settings)
        return obj


@admin.register(Session)
class SessionAdmin(ServiceAdmin):
    list_display = ["title", "event", "kind", "sector", "room", "starts_at", "ends_at"]
    list_filter = ["event", "kind", "sector"]
    filter_horizontal = ["speakers"]
    add_fields = ["event", "title", "kind", "sector", "room", "starts_at", "ends_at", "speakers", "description"]

    def create(self, request: HttpRequest, data: dict[str, Any]) -> Session:
        return services.session_add(
            actor=request.user,
            event=data["event"],
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            kind=data["kind"],
            sector=data["sector"],
            room=data["room"],
            speakers=data["speakers"] or (),
            description=data["description"] or "",
        )


@admin.register(Interpreter)
class InterpreterAdmin(ServiceAdmin):
    list_display = ["name", "event", "language_pairs"]
    filter_horizontal = ["available_slots"]
    add_fields = ["event", "name", "language_pairs", "available_slots"]

    def create(self, request: HttpRequest, data: dict[str, Any]) -> Interpreter:
        return services.interpreter_add(
            actor=request.user,
            event=data["event"],
            name=data["name"],
            language_pairs=data["language_pairs"] or (),
            available_slots=data["available_slots"] or (),
        )

    def remove(self, request: HttpRequest, obj: Any) -> None:
        services.interpreter_remove(actor=request.user, interpreter=obj)


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["user", "city", "event", "role", "status", "delegation", "checked_in_at"]
    list_filter = ["event", "status"]
    search_fields = ["user__email", "user__display_name", "city__name"]


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdmin):
    list_display = ["name", "city", "event"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ReadOnlyAdmin):
    list_display = ["requester", "target", "priority", "topic", "status", "expires_at"]
    list_filter = ["event", "status", "priority"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(ReadOnlyAdmin):
    list_display = ["event", "number", "status", "solver_status", "objective", "bound", "gap_pct", "seconds"]
    list_filter = ["event", "status"]
