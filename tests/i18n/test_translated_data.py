"""Data shown to every reader carries a name in every UI language: sectors, bloc statuses and the association
(reference data), and the bodies and working groups of the demo; the secretariat enters such names per language."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from cityexchange.core.errors import InvalidInput, PermissionDenied
from cityexchange.core.translated_names import name_languages
from cityexchange.governance import services
from cityexchange.governance.demo import BODY_NAMES, GROUPS
from cityexchange.governance.models import Body, WorkingGroup
from cityexchange.registry.models import Association, BlocStatus, Sector

pytestmark = pytest.mark.django_db


def test_reference_data_names_every_sector_status_and_the_association_in_every_language(reference: None) -> None:
    languages = set(name_languages())
    missing = [
        f"{type(obj).__name__} {obj}: {sorted(languages - set(obj.names))}"
        for obj in [*Sector.objects.all(), *BlocStatus.objects.all(), *Association.objects.all()]
        if not languages <= set(obj.names)
    ]
    assert not missing, "\n".join(missing)
    with translation.override("am"):
        assert Sector.objects.get(code="transportation").label == "ትራንስፖርት"


def test_demo_bodies_and_groups_are_named_in_every_language() -> None:
    languages = set(name_languages())
    for kind, names in BODY_NAMES.items():
        assert set(names) == languages, kind
    for slug, _name, names, *_rest in GROUPS:
        assert set(names) == languages, slug


@pytest.fixture
def board(reference: None) -> Body:
    return Body.objects.create(kind=Body.Kind.BOARD, name="Board")


def test_secretariat_names_a_body_per_language_and_readers_see_theirs(
    client: Any, secretariat: Any, board: Body
) -> None:
    client.force_login(secretariat)
    url = f"/en/governance/bodies/{board.pk}/names/"
    page = client.get(url).content.decode()
    assert 'name="name_am"' in page and 'lang="am"' in page and 'name="name_zh"' in page
    r = client.post(url, {"name_ru": "Правление", "name_am": "  የሥራ አመራር   ቦርድ ", "name_zh": ""})
    assert r.status_code == 302
    board.refresh_from_db()
    assert board.names == {"ru": "Правление", "am": "የሥራ አመራር ቦርድ"}
    assert "የሥራ አመራር ቦርድ" in client.get(f"/am/governance/bodies/{board.pk}/").content.decode()
    assert "Board" in client.get(f"/zh-hans/governance/bodies/{board.pk}/").content.decode()  # none given: English


def test_only_the_secretariat_names_bodies_and_groups(
    client: Any, kazan_coordinator: Any, secretariat: Any, board: Body
) -> None:
    with pytest.raises(PermissionDenied):
        services.names_set(actor=kazan_coordinator, target=board, names={"ru": "Совет"})
    client.force_login(kazan_coordinator)
    assert client.get(f"/en/governance/bodies/{board.pk}/names/").status_code == 403
    assert client.post(f"/en/governance/bodies/{board.pk}/names/", {"name_ru": "Совет"}).status_code == 403
    client.logout()
    assert client.get(f"/en/governance/bodies/{board.pk}/names/").status_code == 302  # sign in first
    board.refresh_from_db()
    assert board.names == {}


def test_a_name_in_an_unknown_language_or_too_long_is_a_clear_error(secretariat: Any, reference: None) -> None:
    group = services.group_create(
        actor=secretariat, slug="water", name="Water", sectors=Sector.objects.filter(code="water")
    )
    with pytest.raises(InvalidInput) as unknown:
        services.names_set(actor=secretariat, target=group, names={"xx": "?"})
    assert unknown.value.field == "name_xx"
    with pytest.raises(InvalidInput) as long:
        services.names_set(actor=secretariat, target=group, names={"ru": "В" * 201})
    assert long.value.field == "name_ru"
    services.names_set(actor=secretariat, target=group, names={"vi": "Cấp nước"})
    with translation.override("vi"):
        assert WorkingGroup.objects.get(pk=group.pk).label == "Cấp nước"


def test_demo_documents_are_written_in_every_language() -> None:
    from cityexchange.governance.demo import RULES_OF_PROCEDURE, STATUTES
    from cityexchange.governance.demo_texts import RULES_MORE, STATUTES_MORE

    languages = {"en", *name_languages()}
    assert set(STATUTES) | set(STATUTES_MORE) == languages
    assert set(RULES_OF_PROCEDURE) | set(RULES_MORE) == languages
    assert not set(STATUTES) & set(STATUTES_MORE)  # the demo's first texts are kept as written


def test_the_demo_documents_are_accepted_and_read_in_the_readers_language(client: Any, secretariat: Any) -> None:
    import datetime as dt

    from cityexchange.governance.demo import RULES_OF_PROCEDURE, STATUTES
    from cityexchange.governance.demo_texts import RULES_MORE, STATUTES_MORE
    from cityexchange.governance.models import Document

    for slug, texts in (("statutes", {**STATUTES, **STATUTES_MORE}), ("rules", {**RULES_OF_PROCEDURE, **RULES_MORE})):
        document = Document.objects.create(slug=slug, kind=slug if slug == "statutes" else "rules")
        services.document_version_add(
            actor=secretariat, document=document, adopted_on=dt.date(2024, 6, 3), decision="—", texts=texts
        )
    statutes = Document.objects.get(slug="statutes")
    assert "ጠቅላላ ጉባኤ" in client.get(f"/am/governance/documents/{statutes.pk}/").content.decode()
    assert "Đại hội đồng" in client.get(f"/vi/governance/documents/{statutes.pk}/").content.decode()
