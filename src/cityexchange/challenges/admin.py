"""Read-only back office view: changes go through the pages, the API or the import (the services)."""

from __future__ import annotations

from django.contrib import admin

from cityexchange.core.admin_support import ReadOnlyAdmin

from .models import Challenge


@admin.register(Challenge)
class ChallengeAdmin(ReadOnlyAdmin):
    list_display = ["title", "city", "language", "status", "is_public", "created_at"]
    list_filter = ["status", "is_public", "language", "sectors"]
    search_fields = ["title", "description", "external_id", "city__name"]
    list_select_related = ["city", "language"]
