"""Documents are recorded by the secretariat only, with a clean unique code and a known kind; audited."""

from __future__ import annotations

from typing import Any

import pytest

from cityexchange.core.errors import Conflict, InvalidInput, PermissionDenied
from cityexchange.core.models import AuditEntry
from cityexchange.governance import services
from cityexchange.governance.models import Document

pytestmark = pytest.mark.django_db


def test_secretariat_records_a_document(secretariat: Any) -> None:
    document = services.document_create(actor=secretariat, slug=" Statutes-2026 ", kind=Document.Kind.STATUTES)
    assert document.slug == "statutes-2026"
    assert AuditEntry.objects.filter(action="document.create", target_id=str(document.pk), actor=secretariat).exists()


def test_others_cannot_record_documents(kazan_coordinator: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.document_create(actor=kazan_coordinator, slug="statutes", kind=Document.Kind.STATUTES)
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("slug", "kind", "field"),
    [("", "statutes", "slug"), ("устав", "statutes", "slug"), ("a b", "statutes", "slug"), ("rules", "law", "kind")],
)
def test_bad_documents_are_refused(secretariat: Any, slug: str, kind: str, field: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.document_create(actor=secretariat, slug=slug, kind=kind)
    assert exc.value.field == field
    assert not Document.objects.exists()


def test_a_code_is_used_once(secretariat: Any) -> None:
    services.document_create(actor=secretariat, slug="rules", kind=Document.Kind.RULES)
    with pytest.raises(Conflict):
        services.document_create(actor=secretariat, slug="RULES", kind=Document.Kind.RULES)
    assert Document.objects.count() == 1


def test_a_document_added_in_the_admin_goes_through_document_create(client: Any, reference: None) -> None:
    from tests.registry.factories import UserFactory

    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)
    response = client.post("/admin/governance/document/add/", {"slug": "statutes", "kind": "statutes", "rank": 0})
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(slug="statutes")
    assert AuditEntry.objects.filter(action="document.create", target_id=str(document.pk), actor=root).exists()
