"""Read-only back office views of the translation desk: changes go through the desk's pages and API (the services)."""

from __future__ import annotations

from django.contrib import admin

from cityexchange.core.admin_support import ReadOnlyAdmin

from .models import LanguageSkill, TranslationRequest, TranslationVersion


@admin.register(TranslationVersion)
class TranslationVersionAdmin(ReadOnlyAdmin):
    list_display = ["title", "practice", "challenge", "language", "number", "status", "city", "created_at"]
    list_filter = ["status", "language"]
    search_fields = ["title", "practice__title", "challenge__title", "city__name"]
    list_select_related = ["practice", "challenge", "language", "city"]


@admin.register(TranslationRequest)
class TranslationRequestAdmin(ReadOnlyAdmin):
    list_display = ["practice", "challenge", "language", "requested_by", "created_at", "fulfilled_at"]
    list_filter = ["language"]
    list_select_related = ["practice", "challenge", "language", "requested_by"]


@admin.register(LanguageSkill)
class LanguageSkillAdmin(ReadOnlyAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    list_select_related = ["user", "language"]
