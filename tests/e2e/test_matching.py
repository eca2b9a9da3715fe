"""An officer of Kazan searches in Russian and finds São Paulo's practice written in Portuguese, sees why it
matched, and marks it useful."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.model, pytest.mark.django_db(transaction=True)]


def test_russian_query_finds_portuguese_practice(page, login, secretariat, sao_paulo, kazan_officer):
    from cityexchange.matching.models import Feedback
    from cityexchange.practices import services
    from cityexchange.practices.models import Practice
    from tests.practices.factories import PracticeFactory

    brt = PracticeFactory(
        city=sao_paulo,
        language_id="pt",
        status=Practice.Status.SUBMITTED,
        title="Corredores exclusivos de ônibus",
        summary="Faixas exclusivas para ônibus reduziram o tempo de viagem em 30 % na hora de pico.",
        problem="Os ônibus ficavam presos nos congestionamentos.",
        solution="Faixas exclusivas e embarque em nível.",
    )
    PracticeFactory(
        city=sao_paulo,
        language_id="pt",
        status=Practice.Status.SUBMITTED,
        title="Bibliotecas digitais",
        summary="Empréstimo de livros eletrônicos.",
        problem="Poucas bibliotecas.",
        solution="Uma plataforma de empréstimo digital.",
    )
    for practice in Practice.objects.all():
        services.practice_publish(actor=secretariat, practice=practice)  # commits: the index task runs
    login(kazan_officer.email)
    page.goto("/ru/matching/")
    page.fill("#id_q", "автобусы стоят в пробках")
    page.locator("form.filters button.primary").click()
    first = page.locator("ol.results > li").first
    first.wait_for()
    assert first.get_attribute("data-practice") == str(brt.pk)
    assert first.get_attribute("data-strength") == "strong"
    assert "Português" in first.inner_text()  # the original language is shown
    first.locator("details.why summary").click()
    assert "ônibus" in first.locator("details.why blockquote").inner_text()
    assert "%" not in first.locator("details.why ul").inner_text()  # no internal scores, only reasons in words
    first.locator("form.feedback button[value='1']").click()
    first.locator("text=Thank you").or_(first.locator("text=Спасибо")).first.wait_for()
    assert Feedback.objects.get(practice=brt).useful is True
