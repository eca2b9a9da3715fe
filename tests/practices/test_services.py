from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from cityexchange.core.errors import InvalidInput, InvalidTransition, PermissionDenied
from cityexchange.core.models import AuditEntry
from cityexchange.practices import services
from cityexchange.practices.models import Practice, PracticeVersion
from cityexchange.practices.reading import InvalidDocument
from cityexchange.practices.signals import practice_changed
from tests.practices.factories import PracticeFactory, practice_doc
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def changed():
    seen: list[int] = []

    def receiver(sender, practice_id, **kwargs):
        seen.append(practice_id)

    practice_changed.connect(receiver, weak=False)
    yield seen
    practice_changed.disconnect(receiver)


def test_officer_creates_a_draft_with_all_its_parts(kazan, kazan_officer):
    p = services.practice_create(actor=kazan_officer, city=kazan, data=practice_doc())
    assert p.status == "draft" and p.city == kazan and p.language_id == "ru"
    assert p.external_id.startswith("cx-") and p.created_by == kazan_officer
    assert sorted(p.sectors.values_list("code", flat=True)) == ["digital-government", "transportation"]
    assert p.sdg_list == [9, 11]
    ind = p.indicators.get()
    assert (ind.name, ind.baseline, ind.achieved, ind.unit, ind.year) == ("Услуги онлайн", 12.0, 30.0, "%", 2023)
    assert p.climates == ["continental", "temperate"] and p.min_population == 100_000 and p.max_population is None
    assert (p.contact_name, p.contact_email, p.contact_role) == ("Ivan Petrov", "ivan@kzn.example", "CIO")
    version = p.versions.get()
    assert version.number == 1 and version.actor == kazan_officer and version.action == "create"
    assert version.changes["title"] == [None, "Единое окно для жителей"]
    assert AuditEntry.objects.filter(action="practice.create", target_id=str(p.pk)).exists()


@pytest.mark.parametrize("who", ["stranger", "anonymous", "nobody"])
def test_others_cannot_create_for_a_city(kazan, sao_paulo_coordinator, who):
    from django.contrib.auth.models import AnonymousUser

    actor = {"stranger": sao_paulo_coordinator, "anonymous": AnonymousUser(), "nobody": UserFactory()}[who]
    with pytest.raises(PermissionDenied):
        services.practice_create(actor=actor, city=kazan, data=practice_doc())
    assert not Practice.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"sectors": []}, "sectors"),
        ({"sectors": ["space"]}, "sectors"),
        ({"sdgs": [18]}, "sdgs[0]"),
        ({"indicators": [{"name": "Trips", "achieved": "many"}]}, "indicators[0].achieved"),
        ({"indicators": [{"achieved": 3}]}, "indicators[0].name"),
        ({"period_start": 2021, "period_end": 2019}, "period_end"),
        ({"transfer_conditions.climates": ["martian"]}, "transfer_conditions.climates"),
        ({"transfer_conditions.min_population": -5}, "transfer_conditions.min_population"),
        ({"currency": "XYZ"}, "currency"),
        ({"cost_band": "cheap"}, "cost_band"),
        ({"maturity": "legendary"}, "maturity"),
        ({"language": "xx"}, "language"),
        ({"links": ["javascript:alert(1)"]}, "links[0]"),
        ({"contact.email": "not-an-email"}, "contact.email"),
        ({"cost_amount": True}, "cost_amount"),
    ],
)
def test_validation_names_the_field(kazan, kazan_officer, overrides, field):
    with pytest.raises(InvalidInput) as err:
        services.practice_create(actor=kazan_officer, city=kazan, data=practice_doc(**overrides))
    assert err.value.field == field
    assert not Practice.objects.exists()


def test_all_errors_are_reported_together(kazan, kazan_officer):
    with pytest.raises(InvalidDocument) as err:
        services.practice_create(actor=kazan_officer, city=kazan, data=practice_doc(title="", maturity="x", sdgs=[0]))
    assert {e.field for e in err.value.errors} >= {"title", "maturity", "sdgs[0]"}


def test_update_keeps_a_version_of_what_changed(kazan, kazan_officer, kazan_coordinator):
    p = services.practice_create(actor=kazan_officer, city=kazan, data=practice_doc())
    services.practice_update(actor=kazan_coordinator, practice=p, data=practice_doc(title="Новое название", sdgs=[11]))
    v = p.versions.order_by("-number").first()
    assert v.number == 2 and v.actor == kazan_coordinator and v.action == "update"
    assert v.changes == {"title": ["Единое окно для жителей", "Новое название"], "sdgs": [[9, 11], [11]]}
    assert v.content["title"] == "Новое название"
    # Saving the same content again is not a new version.
    services.practice_update(actor=kazan_officer, practice=p, data=practice_doc(title="Новое название", sdgs=[11]))
    assert p.versions.count() == 2


def test_another_city_cannot_edit_or_submit(kazan, kazan_officer, sao_paulo_coordinator):
    p = services.practice_create(actor=kazan_officer, city=kazan, data=practice_doc())
    with pytest.raises(PermissionDenied):
        services.practice_update(actor=sao_paulo_coordinator, practice=p, data=practice_doc(title="Hijacked"))
    with pytest.raises(PermissionDenied):
        services.practice_submit(actor=sao_paulo_coordinator, practice=p)
    with pytest.raises(PermissionDenied):
        services.practice_archive(actor=sao_paulo_coordinator, practice=p)
    p.refresh_from_db()
    assert p.title == "Единое окно для жителей" and p.status == "draft"


def test_review_workflow_with_mails_and_signals(
    kazan, kazan_officer, secretariat, django_capture_on_commit_callbacks, changed
):
    p = services.practice_create(actor=kazan_officer, city=kazan, data=practice_doc())
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(actor=kazan_officer, practice=p)
    assert Practice.objects.get(pk=p.pk).status == "submitted"
    assert [m.to for m in mail.outbox] == [[secretariat.email]] and "review" in mail.outbox[0].subject.lower()
    with pytest.raises(PermissionDenied):
        services.practice_publish(actor=kazan_officer, practice=p)
    with pytest.raises(InvalidInput) as err:
        services.practice_return(actor=secretariat, practice=p, comment="  ")
    assert err.value.field == "comment"
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_return(actor=secretariat, practice=p, comment="Add the costs, please.")
    p.refresh_from_db()
    assert p.status == "returned" and p.review_comment == "Add the costs, please."
    assert mail.outbox[-1].to == [kazan_officer.email] and "Add the costs" in mail.outbox[-1].body
    assert changed == []  # nothing public changed yet
    services.practice_submit(actor=kazan_officer, practice=p)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(actor=secretariat, practice=p)
    p.refresh_from_db()
    assert p.status == "published" and p.published_at and p.review_comment == ""
    assert mail.outbox[-1].to == [kazan_officer.email] and "published" in mail.outbox[-1].subject.lower()
    assert changed == [p.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_update(actor=kazan_officer, practice=p, data=practice_doc(summary="Better summary."))
    assert changed == [p.pk, p.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_archive(actor=secretariat, practice=p)
    assert changed == [p.pk, p.pk, p.pk]
    actions = list(PracticeVersion.objects.filter(practice=p).order_by("number").values_list("action", flat=True))
    assert actions == ["create", "submit", "return", "submit", "publish", "update", "archive"]
    with pytest.raises(InvalidTransition):
        services.practice_update(actor=kazan_officer, practice=p, data=practice_doc())


def test_mail_goes_out_in_the_recipients_language(
    kazan, kazan_officer, secretariat, django_capture_on_commit_callbacks
):
    secretariat.preferred_language = "ru"
    secretariat.save()
    p = services.practice_create(actor=kazan_officer, city=kazan, data=practice_doc())
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(actor=kazan_officer, practice=p)
    assert "/ru/practices/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("status", "action"),
    [("draft", "publish"), ("draft", "return"), ("published", "submit"), ("published", "publish")],
)
def test_invalid_transitions(kazan, secretariat, status, action):
    p = PracticeFactory(city=kazan, status=status)
    call = {
        "publish": lambda: services.practice_publish(actor=secretariat, practice=p),
        "return": lambda: services.practice_return(actor=secretariat, practice=p, comment="x"),
        "submit": lambda: services.practice_submit(actor=secretariat, practice=p),
    }[action]
    with pytest.raises(InvalidTransition):
        call()
    assert Practice.objects.get(pk=p.pk).status == status


def test_translations_are_kept_apart(kazan, kazan_officer, sao_paulo_coordinator):
    p = services.practice_create(actor=kazan_officer, city=kazan, data=practice_doc())
    t = services.practice_set_translation(
        actor=kazan_officer, practice=p, language="en", title="One window", summary="All services in one app."
    )
    assert t.translated_by == kazan_officer and p.title == "Единое окно для жителей"
    assert p.versions.order_by("-number").first().changes["translations"][1] == {
        "en": {"title": "One window", "summary": "All services in one app."}
    }
    with pytest.raises(InvalidInput) as err:
        services.practice_set_translation(actor=kazan_officer, practice=p, language="ru", title="x", summary="y")
    assert err.value.field == "language"
    with pytest.raises(InvalidInput) as err:
        services.practice_set_translation(actor=kazan_officer, practice=p, language="en", title="", summary="y")
    assert err.value.field == "title"
    with pytest.raises(PermissionDenied):
        services.practice_set_translation(
            actor=sao_paulo_coordinator, practice=p, language="pt", title="x", summary="y"
        )
    services.practice_delete_translation(actor=kazan_officer, practice=p, language="en")
    assert not p.translations.exists()


def test_attachments_are_checked_by_type_and_size(kazan, kazan_officer, sao_paulo_coordinator, media, monkeypatch):
    p = services.practice_create(actor=kazan_officer, city=kazan, data=practice_doc())
    a = services.practice_add_attachment(
        actor=kazan_officer, practice=p, upload=SimpleUploadedFile("report.pdf", PDF, "application/pdf")
    )
    assert (a.kind, a.content_type, a.size, a.original_name) == ("pdf", "application/pdf", len(PDF), "report.pdf")
    img = services.practice_add_attachment(
        actor=kazan_officer, practice=p, upload=SimpleUploadedFile("../../etc/photo.PNG", PNG, "image/png")
    )
    assert img.kind == "image" and img.original_name == "photo.PNG"
    for name, content in [("evil.pdf", b"MZ\x90\x00binary"), ("notes.txt", b"hello"), ("x.png", PDF), ("e.pdf", b"")]:
        with pytest.raises(InvalidInput) as err:
            services.practice_add_attachment(
                actor=kazan_officer, practice=p, upload=SimpleUploadedFile(name, content, "application/pdf")
            )
        assert err.value.field == "file"
    monkeypatch.setattr("cityexchange.practices.attachments.MAX_BYTES", 10)
    with pytest.raises(InvalidInput, match="too large"):
        services.practice_add_attachment(actor=kazan_officer, practice=p, upload=SimpleUploadedFile("b.pdf", PDF))
    with pytest.raises(PermissionDenied):
        services.practice_add_attachment(
            actor=sao_paulo_coordinator, practice=p, upload=SimpleUploadedFile("c.pdf", PDF)
        )
    assert p.attachments.count() == 2
    services.practice_delete_attachment(actor=kazan_officer, attachment=a)
    assert p.attachments.count() == 1
    assert p.versions.filter(action="detach").get().changes == {"attachments": ["report.pdf", None]}


def test_practice_of_a_non_member_city_is_refused(reference, secretariat):
    from tests.registry.factories import CityFactory

    with pytest.raises(InvalidInput) as err:
        services.practice_create(actor=secretariat, city=CityFactory(), data=practice_doc())
    assert err.value.field == "city"
