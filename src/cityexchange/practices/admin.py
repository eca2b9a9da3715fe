"""Read-only back office views: changes go through the pages, the API or the import (the services)."""

from __future__ import annotations

from django.contrib import admin

from cityexchange.core.admin_support import ReadOnlyAdmin

from .models import Practice, PracticeVersion


@admin.register(Practice)
class PracticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "city", "language", "status", "maturity", "published_at", "updated_at"]
    list_filter = ["status", "maturity", "language", "sectors"]
    search_fields = ["title", "summary", "external_id", "city__name"]
    list_select_related = ["city", "language"]


@admin.register(PracticeVersion)
class PracticeVersionAdmin(ReadOnlyAdmin):
    list_display = ["practice", "number", "action", "actor", "at"]
    list_filter = ["action"]
    list_select_related = ["practice", "actor"]
