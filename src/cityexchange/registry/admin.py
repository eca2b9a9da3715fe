from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cityexchange.core.errors import DomainError

from . import services
from .models import Association, BlocStatus, City, Country, Language, Membership, MembershipApplication, Sector


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name"]


@admin.register(BlocStatus)
class BlocStatusAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "rank", "colour"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["iso2", "name", "bloc_status", "population"]
    list_filter = ["bloc_status", "continent"]
    search_fields = ["iso2", "iso3", "name"]
    readonly_fields = ["iso2", "iso3", "name", "population", "continent", "bloc_status"]
    actions = ["set_member", "set_partner", "set_other"]

    def _set(self, request: HttpRequest, queryset: QuerySet[Country], code: str) -> None:
        status = BlocStatus.objects.get(code=code)
        for country in queryset:
            services.country_set_bloc_status(actor=request.user, country=country, status=status)
        self.message_user(request, _("Status changed."), messages.SUCCESS)

    @admin.action(description=_("Set bloc status: member"))
    def set_member(self, request: HttpRequest, queryset: QuerySet[Country]) -> None:
        self._set(request, queryset, "member")

    @admin.action(description=_("Set bloc status: partner"))
    def set_partner(self, request: HttpRequest, queryset: QuerySet[Country]) -> None:
        self._set(request, queryset, "partner")

    @admin.action(description=_("Set bloc status: other"))
    def set_other(self, request: HttpRequest, queryset: QuerySet[Country]) -> None:
        self._set(request, queryset, "other")


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "population", "timezone"]
    list_filter = ["country__bloc_status", "country"]
    search_fields = ["name", "=geonames_id"]
    readonly_fields = [
        "geonames_id",
        "name",
        "alternate_names",
        "country",
        "region_code",
        "population",
        "latitude",
        "longitude",
        "timezone",
    ]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "rank"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "native_name", "rtl"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["city", "status", "since", "ended_on"]
    list_filter = ["status"]
    search_fields = ["city__name"]
    readonly_fields = ["city", "status", "since", "ended_on", "status_reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    list_display = ["city", "contact_name", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["city__name", "contact_name"]
    readonly_fields = [
        "city",
        "applicant",
        "letter",
        "contact_name",
        "contact_email",
        "contact_phone",
        "status",
        "decided_by",
        "decided_at",
        "decision_reason",
    ]
    actions = ["approve"]

    @admin.action(description=_("Approve the selected applications"))
    def approve(self, request: HttpRequest, queryset: QuerySet[MembershipApplication]) -> None:
        for application in queryset:
            try:
                services.application_approve(actor=request.user, application=application)
            except DomainError as exc:
                self.message_user(request, f"{application}: {exc.message}", messages.ERROR)
