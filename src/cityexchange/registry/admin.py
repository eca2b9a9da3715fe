"""Reference data, cities and memberships in the back office, read-only except through registry.services.

Countries change bloc status and applications are approved by actions that call the services; a city's profile
(website, about) is edited through `city_update_profile`; the association's name and the names and order of bloc
statuses, sectors and languages through their `*_update` services. Memberships change on the secretariat's pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cityexchange.core.admin_support import ReadOnlyAdmin, ServiceAdmin, service_action
from cityexchange.core.errors import DomainError

from . import services
from .models import Association, BlocStatus, City, Country, Language, Membership, MembershipApplication, Sector


@admin.register(Association)
class AssociationAdmin(ServiceAdmin):
    list_display = ["name", "short_name"]
    change_fields = ["name", "short_name", "founded", "description"]

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any], changed: list[str]) -> Association:
        return services.association_update(actor=request.user, association=obj, **data)


@admin.register(BlocStatus)
class BlocStatusAdmin(ServiceAdmin):
    list_display = ["code", "name", "rank", "colour"]
    change_fields = ["name", "rank", "colour"]

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any], changed: list[str]) -> BlocStatus:
        return services.bloc_status_update(actor=request.user, status=obj, **data)


@admin.register(Country)
class CountryAdmin(ReadOnlyAdmin):
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

    @service_action(description=_("Set bloc status: member"))
    def set_member(self, request: HttpRequest, queryset: QuerySet[Country]) -> None:
        self._set(request, queryset, "member")

    @service_action(description=_("Set bloc status: partner"))
    def set_partner(self, request: HttpRequest, queryset: QuerySet[Country]) -> None:
        self._set(request, queryset, "partner")

    @service_action(description=_("Set bloc status: other"))
    def set_other(self, request: HttpRequest, queryset: QuerySet[Country]) -> None:
        self._set(request, queryset, "other")


@admin.register(City)
class CityAdmin(ServiceAdmin):
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
    change_fields = ["website", "about"]

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any], changed: list[str]) -> City:
        return services.city_update_profile(
            actor=request.user, city=obj, website=data["website"] or "", about=data["about"] or ""
        )


@admin.register(Sector)
class SectorAdmin(ServiceAdmin):
    list_display = ["code", "name", "rank"]
    change_fields = ["name", "rank"]

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any], changed: list[str]) -> Sector:
        return services.sector_update(actor=request.user, sector=obj, **data)


@admin.register(Language)
class LanguageAdmin(ServiceAdmin):
    list_display = ["code", "name", "native_name", "rtl"]
    change_fields = ["name", "native_name", "rtl"]

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any], changed: list[str]) -> Language:
        return services.language_update(actor=request.user, language=obj, **data)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["city", "status", "since", "ended_on"]
    list_filter = ["status"]
    search_fields = ["city__name"]
    readonly_fields = ["city", "status", "since", "ended_on", "status_reason"]


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(ReadOnlyAdmin):
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

    @service_action(description=_("Approve the selected applications"))
    def approve(self, request: HttpRequest, queryset: QuerySet[MembershipApplication]) -> None:
        for application in queryset:
            try:
                services.application_approve(actor=request.user, application=application)
            except DomainError as exc:
                self.message_user(request, f"{application}: {exc.message}", messages.ERROR)
