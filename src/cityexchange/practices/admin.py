"""Read-only back office views: changes go through the pages, the API or the import (the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Practice, PracticeVersion


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Practice)
class PracticeAdmin(ReadOnly):
    list_display = ["title", "city", "language", "status", "maturity", "published_at", "updated_at"]
    list_filter = ["status", "maturity", "language", "sectors"]
    search_fields = ["title", "summary", "external_id", "city__name"]
    list_select_related = ["city", "language"]


@admin.register(PracticeVersion)
class PracticeVersionAdmin(ReadOnly):
    list_display = ["practice", "number", "action", "actor", "at"]
    list_filter = ["action"]
    list_select_related = ["practice", "actor"]
