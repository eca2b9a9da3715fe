"""The secretariat's back office for governance.

Statutes settings, documents, bodies and working groups are edited here (Django's admin log records who changed
what). Votes are opened, cast and counted only through the services (pages, API), so they are read-only here; the
ballots are not shown at all, and secret ballots have no admin page by design.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    Body,
    Delegation,
    Document,
    DocumentText,
    DocumentVersion,
    GroupDocument,
    GroupMember,
    MajorityRule,
    Meeting,
    Seat,
    StatutesSettings,
    Vote,
    VoteResult,
    WorkingGroup,
    WorkPlanItem,
)


class StatutesSettingsForm(forms.ModelForm):
    allowed_majority_rules = forms.MultipleChoiceField(
        label=_("allowed majority rules"), choices=MajorityRule.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = StatutesSettings
        fields = ["allowed_majority_rules", "default_majority_rule", "default_quorum_percent"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("default_majority_rule") not in (data.get("allowed_majority_rules") or []):
            self.add_error("default_majority_rule", _("The default rule must be one of the allowed rules."))
        return data


@admin.register(StatutesSettings)
class StatutesSettingsAdmin(admin.ModelAdmin):
    form = StatutesSettingsForm
    list_display = ["__str__", "default_majority_rule", "default_quorum_percent"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not StatutesSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DocumentTextInline(admin.StackedInline):
    model = DocumentText
    extra = 1


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):
    list_display = ["document", "number", "adopted_on", "decision"]
    list_filter = ["document__kind"]
    inlines = [DocumentTextInline]
    raw_id_fields = ["adopted_by_vote"]


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    show_change_link = True
    raw_id_fields = ["adopted_by_vote"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["slug", "kind", "rank"]
    inlines = [DocumentVersionInline]


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    raw_id_fields = ["city", "person"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    inlines = [SeatInline]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["city", "user", "named_by", "created_at", "revoked_at"]
    readonly_fields = ["city", "user", "named_by", "revoked_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class VoteResultInline(admin.StackedInline):
    model = VoteResult
    can_delete = False
    readonly_fields = [f.name for f in VoteResult._meta.fields]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "kind", "secret", "opens_at", "closes_at"]
    list_filter = ["body", "kind", "secret"]
    search_fields = ["title"]
    inlines = [VoteResultInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Vote._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    raw_id_fields = ["city"]


class WorkPlanItemInline(admin.TabularInline):
    model = WorkPlanItem
    extra = 0
    raw_id_fields = ["lead_city"]


class MeetingInline(admin.StackedInline):
    model = Meeting
    extra = 0


class GroupDocumentInline(admin.StackedInline):
    model = GroupDocument
    extra = 0
    readonly_fields = ["added_by"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "chair_city"]
    filter_horizontal = ["sectors"]
    raw_id_fields = ["chair_city"]
    inlines = [GroupMemberInline, WorkPlanItemInline, MeetingInline, GroupDocumentInline]
