"""Users, city roles, invitations and API tokens in the back office, each write through accounts.services.

Roles are granted and removed with `city_role_grant` / `city_role_remove`, secretariat rights with
`user_set_secretariat`; everything else about an account is changed by its owner (profile, password reset).
The secretariat's own page for roles is accounts:city_roles.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from cityexchange.core.admin_support import ReadOnlyAdmin, ServiceAdmin, ServiceTabularInline, service_action
from cityexchange.core.errors import DomainError

from . import services
from .models import ApiToken, CityRole, Invitation, User


class CityRoleInline(ServiceTabularInline):
    model = CityRole
    add_fields = ["city", "role"]
    autocomplete_fields = ["city"]

    def create(self, request: HttpRequest, parent: Any, data: dict[str, Any]) -> CityRole:
        return services.city_role_grant(actor=request.user, city=data["city"], user=parent, role=data["role"])

    def remove(self, request: HttpRequest, obj: Any) -> None:
        services.city_role_remove(actor=request.user, city_role=obj)


@admin.register(User)
class UserAdmin(ServiceAdmin, BaseUserAdmin):  # type: ignore[misc]
    list_display = ["email", "display_name", "is_secretariat", "is_active", "email_verified"]
    list_filter = ["is_secretariat", "is_active"]
    search_fields = ["email", "display_name"]
    ordering = ["email"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("cityexchange", {"fields": ["display_name", "is_secretariat", "preferred_language", "email_verified"]}),
    )  # type: ignore[operator]
    inlines = [CityRoleInline]
    change_fields = ["is_secretariat"]

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any], changed: list[str]) -> User:
        return services.user_set_secretariat(actor=request.user, user=obj, value=bool(data["is_secretariat"]))

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # Passwords are changed by their owner or through the reset link, never set by someone else.
        raise PermissionDenied


@admin.register(CityRole)
class CityRoleAdmin(ServiceAdmin):
    list_display = ["user", "city", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__display_name", "city__name"]
    autocomplete_fields = ["user", "city"]
    list_select_related = ["user", "city"]
    add_fields = ["user", "city", "role"]
    change_fields = ["role"]

    def create(self, request: HttpRequest, data: dict[str, Any]) -> CityRole:
        return services.city_role_grant(actor=request.user, city=data["city"], user=data["user"], role=data["role"])

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any], changed: list[str]) -> CityRole:
        return services.city_role_grant(actor=request.user, city=obj.city, user=obj.user, role=data["role"])

    def remove(self, request: HttpRequest, obj: Any) -> None:
        services.city_role_remove(actor=request.user, city_role=obj)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "city", "role", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]
    actions = ["withdraw"]

    @service_action(description=_("Withdraw the selected invitations"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        for invitation in queryset:
            try:
                services.invitation_revoke(actor=request.user, invitation=invitation)
            except DomainError as exc:
                self.message_user(request, f"{invitation}: {exc.message}", messages.ERROR)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]
    actions = ["revoke"]

    @service_action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            services.api_token_revoke(actor=request.user, token=token)
