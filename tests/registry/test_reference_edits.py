"""The secretariat edits the association's name and the reference data through services: checked and audited."""

from __future__ import annotations

from typing import Any

import pytest

from cityexchange.core.errors import InvalidInput, PermissionDenied
from cityexchange.core.models import AuditEntry
from cityexchange.registry import services
from cityexchange.registry.models import Association, BlocStatus, Language, Sector
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_secretariat_edits_reference_data(secretariat: Any) -> None:
    association = Association.objects.first()
    assert association is not None
    services.association_update(actor=secretariat, association=association, name=" Cities of BRICS+ ", short_name="CB")
    status = services.bloc_status_update(
        actor=secretariat, status=BlocStatus.objects.get(code="member"), name="Member", rank=1, colour="#1F77B4"
    )
    sector = services.sector_update(
        actor=secretariat, sector=Sector.objects.order_by("pk").first(), name="Water", rank=9
    )
    language = services.language_update(
        actor=secretariat, language=Language.objects.get(code="fa"), name="Persian", native_name="فارسی", rtl=True
    )
    association.refresh_from_db()
    assert association.name == "Cities of BRICS+" and status.colour == "#1f77b4" and sector.rank == 9 and language.rtl
    actions = set(AuditEntry.objects.filter(actor=secretariat).values_list("action", flat=True))
    assert {"association.update", "bloc_status.update", "sector.update", "language.update"} <= actions


def test_others_cannot_edit_reference_data(kazan_coordinator: Any) -> None:
    sector = Sector.objects.order_by("pk").first()
    assert sector is not None
    for actor in (kazan_coordinator, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.sector_update(actor=actor, sector=sector, name="Mine", rank=0)
        with pytest.raises(PermissionDenied):
            services.association_update(actor=actor, association=Association.objects.get(), name="X", short_name="X")
    sector.refresh_from_db()
    assert sector.name != "Mine" and not AuditEntry.objects.exists()


def test_bad_reference_values_are_refused(secretariat: Any) -> None:
    status = BlocStatus.objects.get(code="member")
    with pytest.raises(InvalidInput) as exc:
        services.bloc_status_update(actor=secretariat, status=status, name="Member", rank=1, colour="blue")
    assert exc.value.field == "colour"
    with pytest.raises(InvalidInput) as exc:
        services.association_update(actor=secretariat, association=Association.objects.get(), name="", short_name="X")
    assert exc.value.field == "name"
    assert not AuditEntry.objects.exists()


def test_a_sector_edited_in_the_admin_goes_through_sector_update(client: Any, reference: None) -> None:
    root = UserFactory(is_superuser=True, is_staff=True)
    sector = Sector.objects.order_by("pk").first()
    assert sector is not None
    client.force_login(root)
    response = client.post(f"/admin/registry/sector/{sector.pk}/change/", {"name": "Water and sanitation", "rank": 3})
    assert response.status_code == 302, response.content.decode()[:2000]
    sector.refresh_from_db()
    assert sector.name == "Water and sanitation"
    assert AuditEntry.objects.filter(action="sector.update", target_id=str(sector.pk), actor=root).exists()
