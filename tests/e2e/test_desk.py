"""The translation desk in the browser: a Russian reader asks for a Portuguese practice in Russian, an officer of
another city translates it, the owning city approves, and the reader sees it marked as a translation and opens the
original with one click."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RU = {
    "title": "Выделенные полосы для автобусов",
    "summary": "Выделенные полосы сократили время поездки на автобусе.",
    "problem": "Автобусы стояли в пробках вместе с легковыми машинами.",
    "solution": "Выделенные полосы у правого края и камеры фиксации нарушений.",
    "results_text": "Время поездки сократилось на 30 %.",
    "indicator_0": "Средняя скорость автобусов",
}


def test_ask_translate_approve_read(page, login, kazan_officer, sao_paulo, sao_paulo_coordinator):
    from cityexchange.desk.models import TranslationVersion
    from cityexchange.matching import store
    from cityexchange.matching.embedding import HashingEncoder
    from cityexchange.practices.models import Indicator, Practice
    from tests.practices.factories import PracticeFactory
    from tests.registry.factories import CityRoleFactory, MemberCityFactory

    store.set_encoder(HashingEncoder(dim=384))  # approval re-indexes the practice; the model is not under test here
    try:
        practice = PracticeFactory(
            city=sao_paulo,
            language_id="pt",
            status=Practice.Status.PUBLISHED,
            title="Faixas exclusivas de ônibus",
            summary="Faixas exclusivas reduziram o tempo de viagem.",
            problem="Os ônibus ficavam presos no trânsito.",
            solution="Faixas à direita com fiscalização eletrônica.",
            results_text="O tempo de viagem caiu 30 %.",
        )
        Indicator.objects.create(practice=practice, name="Velocidade média dos ônibus", baseline=12.8, achieved=20.4)
        shanghai = MemberCityFactory(name="Shanghai", country_id="CN", timezone="Asia/Shanghai")
        translator = CityRoleFactory(city=shanghai, role="officer").user
        url = f"/ru/practices/{practice.pk}/"

        # A Russian reader asks with one click.
        login(kazan_officer.email)
        page.goto(url)
        page.locator("button.ask-translation").click()
        page.wait_for_selector("[data-asked=ru]")

        # An officer of a third city finds it on the desk and translates it beside the original.
        page.context.clear_cookies()
        login(translator.email)
        page.goto("/ru/desk/?language=ru")
        page.locator(f"[data-practice='{practice.pk}'] a[href*='/desk/translate/']").click()
        page.wait_for_url(f"**/desk/translate/{practice.pk}/ru/")
        assert "Os ônibus ficavam presos no trânsito." in page.locator(".side-by-side").inner_text()
        for name, value in RU.items():
            page.fill(f"[name={name}]", value)
        page.locator("form.translate-form button.primary").click()
        page.wait_for_url("**/desk/translations/*/")
        assert page.locator("[data-status]").first.get_attribute("data-status") == "submitted"
        assert page.locator("button[value=approve]").count() == 0  # the translating city cannot approve

        # The owning city approves from its desk.
        page.context.clear_cookies()
        login(sao_paulo_coordinator.email)
        page.goto("/ru/desk/")
        page.locator(".awaiting a").first.click()
        page.locator("button[value=approve]").click()
        page.wait_for_selector("strong.status[data-status=approved]")
        assert TranslationVersion.objects.get().status == "approved"

        # The reader sees the translation, marked, and opens the original with one click.
        page.context.clear_cookies()
        login(kazan_officer.email)
        page.goto(url)
        assert page.locator("h1").inner_text() == RU["title"]
        assert page.locator("h1").get_attribute("lang") == "ru"
        notice = page.locator("[data-translation-shown=ru]")
        assert "Shanghai" in notice.inner_text()
        assert "Средняя скорость автобусов" in page.locator("table.indicators").inner_text()
        notice.locator("a.show-original").click()
        page.wait_for_url("**?original=1")
        assert page.locator("h1").inner_text() == practice.title
        assert page.locator("h1").get_attribute("lang") == "pt"
    finally:
        store.set_encoder(None)
