from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, CityRole, Invitation, User


class CityRoleInline(admin.TabularInline):
    model = CityRole
    extra = 0
    autocomplete_fields = ["city"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["email", "display_name", "is_secretariat", "is_active", "email_verified"]
    list_filter = ["is_secretariat", "is_active"]
    search_fields = ["email", "display_name"]
    ordering = ["email"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("cityexchange", {"fields": ["display_name", "is_secretariat", "preferred_language", "email_verified"]}),
    )  # type: ignore[operator]
    inlines = [CityRoleInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "city", "role", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]
