"""The secretariat's back office for the forum: events and their programme set-up (rooms, sessions, slots, tables,
interpreters). Registrations, requests and schedules are read-only here: they change through the forum's pages,
the API and the services, which check and audit every change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0


class TableInline(admin.TabularInline):
    model = MeetingTable
    extra = 0


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "starts_on", "ends_on", "is_published", "registration_open"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["organisers", "working_languages"]
    raw_id_fields = ["city"]
    readonly_fields = ["published_run", "schedule_published_at"]
    inlines = [RoomInline, SlotInline, TableInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "kind", "sector", "room", "starts_at", "ends_at"]
    list_filter = ["event", "kind", "sector"]
    filter_horizontal = ["speakers"]


@admin.register(Interpreter)
class InterpreterAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "language_pairs"]
    filter_horizontal = ["available_slots"]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Registration)
class RegistrationAdmin(ReadOnly):
    list_display = ["user", "city", "event", "role", "status", "delegation", "checked_in_at"]
    list_filter = ["event", "status"]
    search_fields = ["user__email", "user__display_name", "city__name"]


@admin.register(Delegation)
class DelegationAdmin(ReadOnly):
    list_display = ["name", "city", "event"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ReadOnly):
    list_display = ["requester", "target", "priority", "topic", "status", "expires_at"]
    list_filter = ["event", "status", "priority"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(ReadOnly):
    list_display = ["event", "number", "status", "solver_status", "objective", "bound", "gap_pct", "seconds"]
    list_filter = ["event", "status"]
