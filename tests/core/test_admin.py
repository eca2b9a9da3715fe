"""The admin cannot write a domain model around its services.

The walk over `admin.site` fails on any ModelAdmin of a domain app that a superuser could use to add, change or
delete rows unless every write goes through core.admin_support (and through it, a service); the behavioural tests
post to the admin's own views and look for the audit row the service writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.test import RequestFactory

from cityexchange.accounts.models import CityRole
from cityexchange.core.admin_support import ROUTED_METHODS, ServiceAdmin, ServiceInline
from cityexchange.core.models import AuditEntry
from cityexchange.forum.models import Registration
from cityexchange.governance.models import Body, Seat
from cityexchange.registry.models import Membership
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db

# Every app of the project but core (which holds the audit log itself): a new app is covered without being listed.
DOMAIN_APPS = {c.label for c in apps.get_app_configs() if c.name.startswith("cityexchange.") and c.label != "core"}


def write_paths_around_services(site: AdminSite, request: Any) -> list[str]:
    """Every way `site` lets a superuser write a domain model without a service, as readable lines."""
    problems: list[str] = []
    for model, model_admin in site._registry.items():
        if model._meta.app_label not in DOMAIN_APPS:
            continue
        name = f"{model._meta.label} ({type(model_admin).__name__})"
        writable = (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
        if writable:
            if not isinstance(model_admin, ServiceAdmin):
                problems.append(f"{name}: writable but not a ServiceAdmin")
            else:
                for method in ROUTED_METHODS:
                    if getattr(type(model_admin), method) is not getattr(ServiceAdmin, method):
                        problems.append(f"{name}: overrides {method}, which would write around the services")
            for inline in model_admin.get_inline_instances(request):
                if not isinstance(inline, ServiceInline):
                    problems.append(f"{name}: inline {type(inline).__name__} is not a ServiceInline")
        for action_name, (func, *_rest) in model_admin.get_actions(request).items():
            if action_name != "delete_selected" and not getattr(func, "calls_service", False):
                problems.append(f"{name}: action {action_name} is not marked as calling a service")
    return problems


@pytest.fixture
def superuser(reference: None) -> Any:
    return UserFactory(is_superuser=True, is_staff=True, email="root@example.org")


@pytest.fixture
def superuser_request(superuser: Any) -> Any:
    request = RequestFactory().get("/admin/")
    request.user = superuser
    return request


def test_no_admin_writes_a_domain_model_without_a_service(superuser_request: Any) -> None:
    brief = {"accounts", "registry", "practices", "challenges", "matching", "cooperation", "forum", "governance"}
    assert brief | {"insights", "desk"} <= DOMAIN_APPS  # the app labels the walk covers
    registered = {m._meta.app_label for m in admin.site._registry}
    assert {"accounts", "registry", "forum", "governance", "practices"} <= registered
    assert write_paths_around_services(admin.site, superuser_request) == []


def test_the_walk_finds_a_plain_model_admin(superuser_request: Any) -> None:
    """The check above can fail: a plain ModelAdmin, a bypassing override and an unmarked action are all found."""

    class Bypass(ServiceAdmin):
        def create(self, request: Any, data: dict[str, Any]) -> Any:
            return Seat.objects.create(**data)

        def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
            obj.save()

    class Plain(admin.ModelAdmin):
        actions = ["touch"]

        @admin.action(description="touch")
        def touch(self, request: Any, queryset: Any) -> None:
            queryset.update(name="x")

    site = AdminSite(name="probe")
    site.register(Seat, Bypass)
    site.register(Body, Plain)
    problems = write_paths_around_services(site, superuser_request)
    assert any("governance.Seat" in p and "save_model" in p for p in problems)
    assert any("governance.Body" in p and "not a ServiceAdmin" in p for p in problems)
    assert any("governance.Body" in p and "action touch" in p for p in problems)


def test_adding_a_seat_in_the_admin_goes_through_seat_add(client: Any, superuser: Any, kazan: Any) -> None:
    body = Body.objects.create(kind=Body.Kind.ASSEMBLY, name="General Assembly")
    client.force_login(superuser)
    response = client.post(
        "/admin/governance/seat/add/",
        {"body": body.pk, "city": kazan.pk, "role": Seat.Role.MEMBER, "start_on": "2026-01-01"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    seat = Seat.objects.get(body=body, city=kazan)
    entry = AuditEntry.objects.get(action="seat.add", target_id=str(seat.pk))
    assert entry.actor == superuser


def test_a_seat_the_service_refuses_is_not_written(client: Any, superuser: Any, kazan: Any) -> None:
    body = Body.objects.create(kind=Body.Kind.ASSEMBLY, name="General Assembly")
    Seat.objects.create(body=body, city=kazan, start_on=dt.date(2025, 1, 1))
    client.force_login(superuser)
    response = client.post(
        "/admin/governance/seat/add/",
        {"body": body.pk, "city": kazan.pk, "role": Seat.Role.MEMBER, "start_on": "2026-01-01"},
        follow=True,
    )
    assert "already has a seat" in response.content.decode()
    assert Seat.objects.filter(body=body, city=kazan).count() == 1
    assert not AuditEntry.objects.filter(action="seat.add").exists()


def test_ending_a_seat_in_the_admin_goes_through_seat_end(client: Any, superuser: Any, kazan: Any) -> None:
    body = Body.objects.create(kind=Body.Kind.ASSEMBLY, name="General Assembly")
    seat = Seat.objects.create(body=body, city=kazan, start_on=dt.date(2025, 1, 1))
    client.force_login(superuser)
    response = client.post(f"/admin/governance/seat/{seat.pk}/change/", {"end_on": "2026-06-30"})
    assert response.status_code == 302, response.content.decode()[:2000]
    seat.refresh_from_db()
    assert seat.end_on == dt.date(2026, 6, 30)
    assert AuditEntry.objects.filter(action="seat.end", target_id=str(seat.pk), actor=superuser).exists()


def test_granting_a_city_role_in_the_admin_goes_through_city_role_grant(
    client: Any, superuser: Any, kazan: Any
) -> None:
    person = UserFactory(email="olga@kzn.example")
    client.force_login(superuser)
    response = client.post(
        "/admin/accounts/cityrole/add/", {"user": person.pk, "city": kazan.pk, "role": CityRole.Role.OFFICER}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    role = CityRole.objects.get(user=person, city=kazan)
    assert AuditEntry.objects.filter(action="city_role.grant", target_id=str(role.pk), actor=superuser).exists()


def test_removing_a_city_role_in_the_admin_goes_through_city_role_remove(
    client: Any, superuser: Any, kazan_officer: Any
) -> None:
    role = CityRole.objects.get(user=kazan_officer)
    client.force_login(superuser)
    response = client.post(f"/admin/accounts/cityrole/{role.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CityRole.objects.filter(pk=role.pk).exists()
    assert AuditEntry.objects.filter(action="city_role.remove", target_id=str(role.pk), actor=superuser).exists()


def test_the_user_page_grants_a_role_and_secretariat_rights_through_services(
    client: Any, superuser: Any, kazan: Any
) -> None:
    person = UserFactory(email="ivan@kzn.example")
    client.force_login(superuser)
    response = client.post(
        f"/admin/accounts/user/{person.pk}/change/",
        {
            "is_secretariat": "on",
            "city_roles-TOTAL_FORMS": "1",
            "city_roles-INITIAL_FORMS": "0",
            "city_roles-MIN_NUM_FORMS": "0",
            "city_roles-MAX_NUM_FORMS": "1000",
            "city_roles-0-city": kazan.pk,
            "city_roles-0-role": CityRole.Role.COORDINATOR,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert person.is_secretariat
    assert CityRole.objects.get(user=person, city=kazan).role == CityRole.Role.COORDINATOR
    actions = set(AuditEntry.objects.filter(actor=superuser).values_list("action", flat=True))
    assert {"user.secretariat", "city_role.grant"} <= actions


def test_setting_a_password_for_someone_else_in_the_admin_is_refused(client: Any, superuser: Any) -> None:
    person = UserFactory(email="ivan@kzn.example")
    client.force_login(superuser)
    response = client.post(
        f"/admin/accounts/user/{person.pk}/password/", {"password1": "a-New-pass-123", "password2": "a-New-pass-123"}
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert not person.check_password("a-New-pass-123")


def test_read_only_models_refuse_edits_and_deletes(client: Any, superuser: Any, kazan: Any) -> None:
    membership = Membership.objects.get(city=kazan)
    client.force_login(superuser)
    response = client.post(f"/admin/registry/membership/{membership.pk}/change/", {"status": "ended"})
    assert response.status_code == 403
    response = client.post(f"/admin/registry/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    response = client.post("/admin/registry/membership/add/", {"city": kazan.pk, "status": "active"})
    assert response.status_code == 403
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.ACTIVE
    assert Registration.objects.count() == 0
    response = client.post("/admin/forum/registration/add/", {})
    assert response.status_code == 403


def test_every_admin_page_of_a_domain_model_renders(
    client: Any, superuser: Any, kazan_officer: Any, secretariat: Any
) -> None:
    """The list, the add form where there is one, and the page of an existing row, for every domain ModelAdmin."""
    from django.urls import reverse

    from cityexchange.forum.services import event_create
    from cityexchange.governance.services import group_create, seat_add, statutes_settings
    from cityexchange.registry.models import City, Sector

    kazan = City.objects.get(name="Kazan")
    event_create(
        actor=secretariat,
        name="Forum",
        slug="forum",
        city=kazan,
        timezone_name="Europe/Moscow",
        starts_on=dt.date(2027, 6, 1),
        ends_on=dt.date(2027, 6, 2),
    )
    seat_add(actor=secretariat, body=Body.objects.create(kind=Body.Kind.BOARD, name="Board"), city=kazan)
    group_create(actor=secretariat, slug="water", name="Water", sectors=[Sector.objects.order_by("pk").first()])
    statutes_settings()
    client.force_login(superuser)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    seen = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in DOMAIN_APPS:
            continue
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert client.get(reverse(f"{info}_changelist")).status_code == 200, model
        if model_admin.has_add_permission(request):
            assert client.get(reverse(f"{info}_add")).status_code == 200, model
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            page = client.get(reverse(f"{info}_change", args=[obj.pk]))
            assert page.status_code == 200, model
            seen += 1
    assert seen >= 8  # users, roles, cities, memberships, events, bodies, seats, groups, settings at least


def test_adding_an_event_in_the_admin_goes_through_event_create(client: Any, superuser: Any, kazan: Any) -> None:
    from cityexchange.forum.models import Event

    client.force_login(superuser)
    response = client.post(
        "/admin/forum/event/add/",
        {
            "name": "Kazan Forum",
            "slug": "kazan-forum",
            "city": kazan.pk,
            "timezone": "Europe/Moscow",
            "starts_on": "2027-06-01",
            "ends_on": "2027-06-02",
            "organisers": [superuser.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(slug="kazan-forum")
    assert list(event.organisers.all()) == [superuser]
    assert AuditEntry.objects.filter(action="forum.event.create", target_id=str(event.pk), actor=superuser).exists()


def test_a_working_group_member_added_inline_joins_through_group_join(
    client: Any, superuser: Any, secretariat: Any, kazan: Any
) -> None:
    from cityexchange.governance.models import GroupMember
    from cityexchange.governance.services import group_create
    from cityexchange.registry.models import Sector

    group = group_create(actor=secretariat, slug="water", name="Water", sectors=[Sector.objects.order_by("pk").first()])
    client.force_login(superuser)
    management = {}
    for prefix in ("members", "plan", "meetings", "documents"):
        management.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    management.update({"members-TOTAL_FORMS": "1", "members-0-city": kazan.pk})
    response = client.post(f"/admin/governance/workinggroup/{group.pk}/change/", management)
    assert response.status_code == 302, response.content.decode()[:3000]
    member = GroupMember.objects.get(group=group, city=kazan)
    assert AuditEntry.objects.filter(action="group.join", target_id=str(member.pk), actor=superuser).exists()


def test_an_admin_action_goes_through_its_service(
    client: Any, superuser: Any, kazan: Any, kazan_coordinator: Any
) -> None:
    from cityexchange.accounts.models import Invitation
    from cityexchange.accounts.services import invitation_create

    invitation, _token = invitation_create(actor=kazan_coordinator, city=kazan, email="new@kzn.example")
    client.force_login(superuser)
    response = client.post(
        "/admin/accounts/invitation/", {"action": "withdraw", "_selected_action": [invitation.pk], "index": "0"}
    )
    assert response.status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None
    assert AuditEntry.objects.filter(action="invitation.revoke", target_id=str(invitation.pk), actor=superuser).exists()


def test_a_document_version_added_in_the_admin_goes_through_document_version_add(client: Any, superuser: Any) -> None:
    from cityexchange.governance.models import Document, DocumentVersion

    document = Document.objects.create(slug="statutes", kind=Document.Kind.choices[0][0])
    client.force_login(superuser)
    data = {
        "document": document.pk,
        "adopted_on": "2026-05-01",
        "decision": "Founding assembly",
        "language": "en",
        "title": "Statutes",
        "body": "Article 1.",
    }
    for _round in range(2):
        response = client.post("/admin/governance/documentversion/add/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
    versions = DocumentVersion.objects.filter(document=document).order_by("number")
    assert [v.number for v in versions] == [1, 2]  # numbered by the service, not typed in
    assert versions[0].texts.get().title == "Statutes"
    assert AuditEntry.objects.filter(action="document.version_add", actor=superuser).count() == 2


def test_statutes_settings_changed_in_the_admin_go_through_the_service(client: Any, superuser: Any) -> None:
    from cityexchange.governance.services import statutes_settings

    settings = statutes_settings()
    client.force_login(superuser)
    response = client.post(
        f"/admin/governance/statutessettings/{settings.pk}/change/",
        {
            "allowed_majority_rules": ["simple", "two_thirds"],
            "default_majority_rule": "simple",
            "default_quorum_percent": 40,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    settings.refresh_from_db()
    assert settings.default_quorum_percent == 40
    assert AuditEntry.objects.filter(action="statutes.settings", actor=superuser).exists()


def test_admin_lists_join_only_the_keys_they_show(superuser: Any) -> None:
    """Django's default for a list showing a foreign key follows every non-null key however deep (the meeting
    requests' list joined 24 tables); past 12 joins PostgreSQL plans at random, and such a plan ran for minutes."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in DOMAIN_APPS:
            continue
        queryset = model_admin.get_changelist_instance(request).get_queryset(request)
        shown = [n for n in model_admin.list_display if isinstance(n, str)]
        assert str(queryset.query).count(" JOIN ") <= len(shown), model
        checked += 1
    assert checked >= 20
