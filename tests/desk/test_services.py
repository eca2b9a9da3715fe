"""The desk's write path: declared languages, requests, translations, review, versions and the out-of-date rule,
with each refusal."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from cityexchange.core.errors import Conflict, InvalidInput, InvalidTransition, PermissionDenied
from cityexchange.desk import selectors, services
from cityexchange.desk.models import LanguageSkill, TranslationRequest, TranslationVersion
from cityexchange.practices import services as practice_services
from cityexchange.practices.models import Practice, PracticeTranslation
from tests.practices.factories import practice_doc
from tests.registry.factories import UserFactory

from .conftest import ru_text

pytestmark = pytest.mark.django_db
V = TranslationVersion.Status


def test_officer_declares_languages_and_unknown_ones_are_refused(kazan_officer):
    assert services.languages_set(actor=kazan_officer, languages=["ru", "pt", "ru"]) == ["pt", "ru"]
    assert selectors.declared_languages(kazan_officer) == ["pt", "ru"]
    services.languages_set(actor=kazan_officer, languages=["hi"])
    assert selectors.declared_languages(kazan_officer) == ["hi"]
    with pytest.raises(InvalidInput) as exc:
        services.languages_set(actor=kazan_officer, languages=["hi", "klingon"])
    assert exc.value.field == "languages"
    with pytest.raises(PermissionDenied):
        services.languages_set(actor=AnonymousUser(), languages=["hi"])
    assert list(LanguageSkill.objects.values_list("language_id", flat=True)) == ["hi"]


def test_readers_ask_once_each_and_are_counted(practice, kazan_officer, shanghai_officer):
    services.translation_request(actor=kazan_officer, item=practice, language="ru")
    services.translation_request(actor=shanghai_officer, item=practice, language="ru")
    services.translation_request(actor=shanghai_officer, item=practice, language="zh")
    with pytest.raises(Conflict) as exc:
        services.translation_request(actor=kazan_officer, item=practice, language="ru")
    assert exc.value.field == "language"
    columns = {c.language.code: c.items for c in selectors.wanted(["ru", "zh"])}
    assert [(i.item.pk, i.readers) for i in columns["ru"]] == [(practice.pk, 2)]
    assert [i.readers for i in columns["zh"]] == [1]
    assert TranslationRequest.objects.count() == 3


@pytest.mark.parametrize(
    ("language", "field"),
    [("pt", "language"), ("de", "language"), ("xx", "language"), ("", "language")],
)
def test_requests_into_the_original_or_a_language_not_enabled_are_refused(practice, kazan_officer, language, field):
    # "de" is a content language in the reference data but not a language of this site's interface.
    with pytest.raises(InvalidInput) as exc:
        services.translation_request(actor=kazan_officer, item=practice, language=language)
    assert exc.value.field == field
    assert not TranslationRequest.objects.exists()


def test_anonymous_cannot_ask_or_translate(practice):
    with pytest.raises(PermissionDenied):
        services.translation_request(actor=AnonymousUser(), item=practice, language="ru")
    with pytest.raises(PermissionDenied):
        services.translation_submit(actor=AnonymousUser(), item=practice, language="ru", data=ru_text())
    assert not TranslationVersion.objects.exists()


def test_a_user_without_a_member_city_cannot_translate(practice):
    with pytest.raises(PermissionDenied):
        services.translation_submit(actor=UserFactory(), item=practice, language="ru", data=ru_text())


def test_desk_lists_most_wanted_first_and_defaults_to_declared_languages(sao_paulo, practice, kazan_officer):
    other = Practice.objects.create(
        **{f.name: getattr(practice, f.name) for f in Practice._meta.concrete_fields if f.name not in ("id",)}
        | {"external_id": "other"}
    )
    readers = [UserFactory() for _ in range(3)]
    for user in readers:
        services.translation_request(actor=user, item=other, language="ru")
    services.translation_request(actor=readers[0], item=practice, language="ru")
    services.translation_request(actor=readers[0], item=practice, language="hi")
    services.languages_set(actor=kazan_officer, languages=["ru"])
    codes, chosen = selectors.desk_languages(kazan_officer, "")
    assert (codes, chosen) == (["ru"], "")
    [ru] = selectors.wanted(codes)
    assert [(i.item.pk, i.readers) for i in ru.items] == [(other.pk, 3), (practice.pk, 1)]
    codes, chosen = selectors.desk_languages(kazan_officer, "all")
    assert "hi" in codes and chosen == "all"
    with pytest.raises(InvalidInput) as exc:
        selectors.desk_languages(kazan_officer, "klingon")
    assert exc.value.field == "language"


def test_workflow_another_city_translates_the_owning_city_approves(
    practice, kazan_officer, shanghai_officer, sao_paulo_coordinator, django_capture_on_commit_callbacks
):
    from cityexchange.matching import store
    from cityexchange.matching.embedding import HashingEncoder

    store.set_encoder(HashingEncoder(dim=384))  # approval re-indexes the practice; the model is not under test here
    try:
        services.languages_set(actor=shanghai_officer, languages=["ru"])
        with django_capture_on_commit_callbacks(execute=True):
            services.translation_request(actor=kazan_officer, item=practice, language="ru")
        # The translator who declared Russian hears of it; the reader who asked does not.
        assert [m.to for m in mail.outbox] == [[shanghai_officer.email]]
        assert f"/desk/translate/{practice.pk}/ru/" in mail.outbox[0].body
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            version = services.translation_submit(actor=kazan_officer, item=practice, language="ru", data=ru_text())
        assert (version.number, version.status, version.city.name) == (1, V.SUBMITTED, "Kazan")
        assert [m.to for m in mail.outbox] == [[sao_paulo_coordinator.email]]  # the owning city reviews
        assert not PracticeTranslation.objects.exists()  # nothing shown before approval
        mail.outbox.clear()

        with pytest.raises(PermissionDenied):  # the translator's city may translate, not approve
            services.translation_approve(actor=kazan_officer, version=version)
        with pytest.raises(PermissionDenied):
            services.translation_approve(actor=shanghai_officer, version=version)

        with django_capture_on_commit_callbacks(execute=True):
            services.translation_approve(actor=sao_paulo_coordinator, version=version)
        t = PracticeTranslation.objects.get(practice=practice, language_id="ru")
        assert (t.title, t.solution, t.indicator_names) == (ru_text()["title"], ru_text()["solution"], RU_NAMES)
        assert t.translated_for.name == "Kazan" and t.is_full and not t.is_out_of_date
        assert [m.to for m in mail.outbox] == [[kazan_officer.email]]  # the reader who asked
        assert not TranslationRequest.objects.filter(fulfilled_at__isnull=True).exists()
        # A current translation needs no request.
        with pytest.raises(Conflict):
            services.translation_request(actor=shanghai_officer, item=practice, language="ru")
    finally:
        store.set_encoder(None)


RU_NAMES = ["Время поездки", "Пассажиров в день"]


def test_the_secretariat_approves_too(practice, kazan_officer, secretariat):
    version = services.translation_submit(actor=kazan_officer, item=practice, language="ru", data=ru_text())
    services.translation_approve(actor=secretariat, version=version)
    assert TranslationVersion.objects.get(pk=version.pk).status == V.APPROVED


@pytest.mark.parametrize(
    ("changes", "language", "field"),
    [
        ({}, "pt", "language"),
        ({}, "de", "language"),
        ({"title": ""}, "ru", "title"),
        ({"solution": "  "}, "ru", "solution"),
        ({"indicator_names": ["Время поездки"]}, "ru", "indicator_names"),
        ({"indicator_names": ["Время поездки", ""]}, "ru", "indicator_names[1]"),
        ({"title": "x" * 201}, "ru", "title"),
    ],
)
def test_bad_translations_are_refused_naming_the_field(practice, kazan_officer, changes, language, field):
    with pytest.raises(InvalidInput) as exc:
        services.translation_submit(actor=kazan_officer, item=practice, language=language, data=ru_text(**changes))
    assert exc.value.field == field
    assert not TranslationVersion.objects.exists()


def test_approving_twice_and_corrections_keep_every_version(practice, kazan_officer, sao_paulo_coordinator):
    v1 = services.translation_submit(actor=kazan_officer, item=practice, language="ru", data=ru_text())
    services.translation_approve(actor=sao_paulo_coordinator, version=v1)
    with pytest.raises(InvalidTransition):
        services.translation_approve(actor=sao_paulo_coordinator, version=v1)
    # Editing the approved translation is a new version; readers keep the approved one until it is approved.
    v2 = services.translation_submit(
        actor=kazan_officer, item=practice, language="ru", data=ru_text(title="Автобусные полосы")
    )
    assert v2.number == 2
    assert PracticeTranslation.objects.get(practice=practice).title == ru_text()["title"]
    services.translation_approve(actor=sao_paulo_coordinator, version=v2)
    assert PracticeTranslation.objects.get(practice=practice).title == "Автобусные полосы"
    rows = list(
        TranslationVersion.objects.filter(practice=practice).order_by("number").values_list("number", "status", "title")
    )
    assert rows == [(1, V.SUPERSEDED, ru_text()["title"]), (2, V.APPROVED, "Автобусные полосы")]


def test_a_new_submission_replaces_a_waiting_one_which_is_kept(practice, kazan_officer, shanghai_officer):
    v1 = services.translation_submit(actor=kazan_officer, item=practice, language="ru", data=ru_text())
    v2 = services.translation_submit(actor=shanghai_officer, item=practice, language="ru", data=ru_text())
    assert TranslationVersion.objects.get(pk=v1.pk).status == V.SUPERSEDED
    assert (v2.number, v2.status) == (2, V.SUBMITTED)


def test_sent_back_with_a_note(practice, kazan_officer, sao_paulo_coordinator, django_capture_on_commit_callbacks):
    version = services.translation_submit(actor=kazan_officer, item=practice, language="ru", data=ru_text())
    with pytest.raises(InvalidInput) as exc:
        services.translation_return(actor=sao_paulo_coordinator, version=version, note=" ")
    assert exc.value.field == "note"
    with pytest.raises(PermissionDenied):
        services.translation_return(actor=kazan_officer, version=version, note="mine")
    with django_capture_on_commit_callbacks(execute=True):
        services.translation_return(actor=sao_paulo_coordinator, version=version, note="«BRT» — не переводить.")
    version.refresh_from_db()
    assert (version.status, version.note) == (V.RETURNED, "«BRT» — не переводить.")
    assert [m.to for m in mail.outbox] == [[kazan_officer.email]] and "BRT" in mail.outbox[0].body
    with pytest.raises(InvalidTransition):
        services.translation_approve(actor=sao_paulo_coordinator, version=version)


def test_translation_goes_out_of_date_when_the_original_changes(sao_paulo, sao_paulo_coordinator, kazan_officer):
    practice = practice_services.practice_create(
        actor=sao_paulo_coordinator, city=sao_paulo, data=practice_doc(language="pt")
    )
    Practice.objects.filter(pk=practice.pk).update(status=Practice.Status.PUBLISHED)
    practice.refresh_from_db()
    names = [f"Показатель {i}" for i in range(practice.indicators.count())]
    version = services.translation_submit(
        actor=kazan_officer, item=practice, language="ru", data=ru_text(indicator_names=names)
    )
    services.translation_approve(actor=sao_paulo_coordinator, version=version)
    assert not PracticeTranslation.objects.get(practice=practice).is_out_of_date
    practice_services.practice_update(
        actor=sao_paulo_coordinator, practice=practice, data=practice_doc(language="pt", solution="Outra solução.")
    )
    t = PracticeTranslation.objects.get(practice=practice)
    assert t.is_out_of_date
    # Readers may ask again for the update, and the desk shows the item as out of date.
    services.translation_request(actor=kazan_officer, item=practice, language="ru")
    [ru] = selectors.wanted(["ru"])
    assert [(i.item.pk, i.out_of_date) for i in ru.items] == [(practice.pk, True)]


def test_only_published_practices_go_to_the_desk(sao_paulo, practice, kazan_officer):
    Practice.objects.filter(pk=practice.pk).update(status=Practice.Status.ARCHIVED)
    practice.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.translation_request(actor=kazan_officer, item=practice, language="ru")
    with pytest.raises(InvalidTransition):
        services.translation_submit(actor=kazan_officer, item=practice, language="ru", data=ru_text())


def test_imports_and_the_citys_own_translations_leave_a_desk_translation_alone(
    sao_paulo, secretariat, kazan_officer, sao_paulo_coordinator
):
    from cityexchange.practices.importer import parse_file, practices_import
    from tests.practices.factories import import_row

    row = import_row("sp-1", sao_paulo, language="pt", translations={"en": {"title": "Bus lanes", "summary": "Lanes."}})
    text = json.dumps([row])
    practices_import(actor=secretariat, rows=parse_file(text, "json"))
    practice = Practice.objects.get(external_id="sp-1")
    names = [f"Показатель {i}" for i in range(practice.indicators.count())]
    version = services.translation_submit(
        actor=kazan_officer, item=practice, language="ru", data=ru_text(indicator_names=names)
    )
    services.translation_approve(actor=sao_paulo_coordinator, version=version)
    report = practices_import(actor=secretariat, rows=parse_file(text, "json"))  # the same file again
    assert report.unchanged == 1
    practices_import(actor=secretariat, rows=parse_file(json.dumps([{**row, "translations": {}}]), "json"))
    assert list(PracticeTranslation.objects.values_list("language_id", flat=True)) == ["ru"]
    with pytest.raises(InvalidInput) as exc:
        practice_services.practice_set_translation(
            actor=sao_paulo_coordinator, practice=practice, language="ru", title="x", summary="y"
        )
    assert exc.value.field == "language"
    assert PracticeTranslation.objects.get(language_id="ru").title == ru_text()["title"]
