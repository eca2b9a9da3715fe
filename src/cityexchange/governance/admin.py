"""The secretariat's back office for governance, each write through governance.services.

Statutes settings (`statutes_settings_set`), documents (`document_create`, `document_version_add`), seats (`seat_add`,
`seat_end`), working groups (`group_create`, `group_set_chair`, `group_join`, `group_leave`) and delegations
(`delegate_revoke`) change here; votes are opened, cast and counted only on the pages and the API, so they are
read-only here; the ballots are not shown at all, and secret ballots have no admin page by design. The
secretariat's own pages for seats and group members are governance:seats and governance:group_members.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cityexchange.core.admin_support import (
    ReadOnlyAdmin,
    ServiceAdmin,
    ServiceStackedInline,
    ServiceTabularInline,
    service_action,
)
from cityexchange.core.errors import DomainError
from cityexchange.registry.models import Language

from . import services
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
class StatutesSettingsAdmin(ServiceAdmin):
    form = StatutesSettingsForm
    list_display = ["__str__", "default_majority_rule", "default_quorum_percent"]
    add_fields = change_fields = ["allowed_majority_rules", "default_majority_rule", "default_quorum_percent"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not StatutesSettings.objects.exists()

    def create(self, request: HttpRequest, data: dict[str, Any]) -> StatutesSettings:
        return services.statutes_settings_set(actor=request.user, **data)

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any], changed: list[str]) -> StatutesSettings:
        return services.statutes_settings_set(actor=request.user, **data)


class DocumentTextInline(ServiceStackedInline):
    model = DocumentText


class DocumentVersionAddForm(forms.ModelForm):
    """A new version with its text in one language; the service numbers it."""

    language = forms.ModelChoiceField(label=_("language"), queryset=Language.objects.all())
    title = forms.CharField(label=_("title"), max_length=300)
    body = forms.CharField(label=_("text"), widget=forms.Textarea)

    class Meta:
        model = DocumentVersion
        fields = ["document", "adopted_on", "decision", "adopted_by_vote"]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ServiceAdmin):
    list_display = ["document", "number", "adopted_on", "decision"]
    list_filter = ["document__kind"]
    inlines = [DocumentTextInline]
    raw_id_fields = ["adopted_by_vote"]
    add_fields = ["document", "adopted_on", "decision", "adopted_by_vote", "language", "title", "body"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = DocumentVersionAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return super().get_inline_instances(request, obj) if obj is not None else []

    def create(self, request: HttpRequest, data: dict[str, Any]) -> DocumentVersion:
        return services.document_version_add(
            actor=request.user,
            document=data["document"],
            adopted_on=data["adopted_on"],
            decision=data["decision"],
            adopted_by_vote=data["adopted_by_vote"],
            texts={data["language"].code: (data["title"], data["body"])},
        )


class DocumentVersionInline(ServiceTabularInline):
    model = DocumentVersion
    show_change_link = True
    raw_id_fields = ["adopted_by_vote"]


@admin.register(Document)
class DocumentAdmin(ServiceAdmin):
    list_display = ["slug", "kind", "rank"]
    inlines = [DocumentVersionInline]
    add_fields = ["slug", "kind", "rank"]

    def create(self, request: HttpRequest, data: dict[str, Any]) -> Document:
        return services.document_create(actor=request.user, **data)

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return super().get_inline_instances(request, obj) if obj is not None else []


class SeatInline(ServiceTabularInline):
    model = Seat
    raw_id_fields = ["city", "person"]
    show_change_link = True


@admin.register(Body)
class BodyAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind"]
    inlines = [SeatInline]


@admin.register(Seat)
class SeatAdmin(ServiceAdmin):
    list_display = ["body", "city", "person", "role", "start_on", "end_on"]
    list_filter = ["body", "role"]
    search_fields = ["city__name", "person__email"]
    raw_id_fields = ["city", "person"]
    add_fields = ["body", "city", "person", "role", "start_on", "end_on"]
    change_fields = ["end_on"]

    def create(self, request: HttpRequest, data: dict[str, Any]) -> Seat:
        return services.seat_add(actor=request.user, **data)

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any], changed: list[str]) -> Seat:
        return services.seat_end(actor=request.user, seat=obj, end_on=data["end_on"])


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdmin):
    list_display = ["city", "user", "named_by", "created_at", "revoked_at"]
    actions = ["withdraw"]

    @service_action(description=_("Withdraw the selected delegations"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Delegation]) -> None:
        for delegation in queryset:
            try:
                services.delegate_revoke(actor=request.user, delegation=delegation)
            except DomainError as exc:
                self.message_user(request, f"{delegation}: {exc.message}", messages.ERROR)


class VoteResultInline(ServiceStackedInline):
    model = VoteResult


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["title", "body", "kind", "secret", "opens_at", "closes_at"]
    list_filter = ["body", "kind", "secret"]
    search_fields = ["title"]
    inlines = [VoteResultInline]


class GroupMemberInline(ServiceTabularInline):
    model = GroupMember
    raw_id_fields = ["city"]
    add_fields = ["city"]

    def create(self, request: HttpRequest, parent: Any, data: dict[str, Any]) -> GroupMember:
        return services.group_join(actor=request.user, group=parent, city=data["city"])

    def remove(self, request: HttpRequest, obj: Any) -> None:
        services.group_leave(actor=request.user, group=obj.group, city=obj.city)


class WorkPlanItemInline(ServiceTabularInline):
    model = WorkPlanItem


class MeetingInline(ServiceStackedInline):
    model = Meeting


class GroupDocumentInline(ServiceStackedInline):
    model = GroupDocument


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ServiceAdmin):
    list_display = ["name", "slug", "chair_city"]
    filter_horizontal = ["sectors"]
    raw_id_fields = ["chair_city"]
    inlines = [GroupMemberInline, WorkPlanItemInline, MeetingInline, GroupDocumentInline]
    add_fields = ["slug", "name", "sectors", "description"]
    change_fields = ["chair_city"]

    def create(self, request: HttpRequest, data: dict[str, Any]) -> WorkingGroup:
        return services.group_create(
            actor=request.user,
            slug=data["slug"],
            name=data["name"],
            sectors=data["sectors"] or (),
            description=data["description"] or "",
        )

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any], changed: list[str]) -> WorkingGroup:
        return services.group_set_chair(actor=request.user, group=obj, city=data["chair_city"])
