"""Figures, money, percentages and dates as each reader's locale writes them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from cityexchange.core import locale_format


def render(lang: str, source: str, **context: object) -> str:
    with translation.override(lang):
        return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("en", "127,695,640"),
        ("ru", "127\xa0695\xa0640"),
        ("zh-hans", "127,695,640"),
        ("hi", "12,76,95,640"),  # Indian grouping
        ("ar", "127,695,640"),  # CLDR writes Arabic with Latin digits by default
        ("fa", "۱۲۷٬۶۹۵٬۶۴۰"),  # Persian digits
        ("es", "127.695.640"),
        ("pt-br", "127.695.640"),
        ("vi", "127.695.640"),
        ("am", "127,695,640"),
        ("th", "127,695,640"),
        ("id", "127.695.640"),
    ],
)
def test_figures_are_grouped_in_every_language(lang: str, shown: str) -> None:
    assert render(lang, "{{ n|number }}", n=127695640) == shown


def test_decimals_percentages_and_money() -> None:
    assert render("ru", "{{ x|number:2 }}", x=1234.5) == "1\xa0234,5"
    assert render("en", "{{ x|number:0 }}", x=1234.56) == "1,235"
    assert render("fa", "{{ x|percent:1 }}", x=12.5).startswith("۱۲٫۵")
    assert render("es", "{{ x|percent }}", x=40) == "40\xa0%"
    assert render("ru", "{{ x|money:'RUB' }}", x=25_000_000) == "25\xa0000\xa0000\xa0₽"
    assert render("en", "{{ x|money:'BRL' }}", x=1500) == "R$1,500"
    assert render("en", "{{ x|money:'BRL' }}", x=1500.5) == "R$1,500.50"
    assert render("en", "{{ x|number }}|{{ y|number }}", x=None, y="n/a") == "|n/a"


@pytest.mark.parametrize(
    ("lang", "month"),
    [
        ("ru", "марта"),
        ("zh-hans", "3月"),
        ("hi", "मार्च"),
        ("ar", "مارس"),
        ("am", "ማርች"),
        ("th", "มีนาคม"),
        ("vi", "tháng 3"),
    ],
)
def test_dates_carry_native_month_names(lang: str, month: str) -> None:
    shown = render(lang, "{{ d|local_date:'long' }}", d=dt.date(2026, 3, 5))
    assert month in shown and "March" not in shown


def test_persian_dates_and_money_use_persian_digits() -> None:
    assert "۲۰۲۶" in render("fa", "{{ d|local_date:'long' }}", d=dt.date(2026, 3, 5))
    assert "۲۵" in render("fa", "{{ x|money:'IRR' }}", x=25_000_000)


def test_times_are_shown_in_the_given_zone_with_the_zone_named() -> None:
    moment = dt.datetime(2026, 3, 5, 6, 0, tzinfo=dt.UTC)
    shown = render("en", "{{ t|local_datetime:'Europe/Moscow' }}", t=moment)
    assert "9:00" in shown or "09:00" in shown
    assert "Moscow" in shown
    ru = render("ru", "{{ t|local_datetime:'Asia/Kolkata' }}", t=moment)
    assert "11:30" in ru and "Индия" in ru
    with translation.override("en"):
        assert "UTC" in locale_format.datetime(moment, "No/Such_Zone") or "GMT" in locale_format.datetime(
            moment, "No/Such_Zone"
        )


@pytest.mark.parametrize(
    ("lang", "shown"), [("en", "1.2 million"), ("ru", "1,2 миллиона"), ("zh-hans", "124.4万"), ("hi", "12.4 लाख")]
)
def test_large_figures_in_words_follow_the_locale(lang: str, shown: str) -> None:
    with translation.override(lang):
        assert locale_format.compact(1_243_500) == shown


def test_the_population_reason_of_a_match_reads_in_the_readers_locale() -> None:
    from cityexchange.matching.explain import people

    with translation.override("hi"):
        assert "12.4 लाख" in people(1_243_500)
    with translation.override("ru"):
        assert "85\xa0000" in people(85_000)


def test_forum_times_are_in_the_events_zone_named_in_the_readers_language() -> None:
    import zoneinfo
    from types import SimpleNamespace

    event = SimpleNamespace(timezone="Europe/Moscow", tz=zoneinfo.ZoneInfo("Europe/Moscow"))
    moment = dt.datetime(2026, 3, 5, 6, 0, tzinfo=dt.UTC)
    source = "{% load forum_time %}{{ t|event_time:event }}"
    english = render("en", source, t=moment, event=event)
    assert "09:00" in english and "Moscow" in english
    persian = render("fa", source, t=moment, event=event)
    assert "۰۹:۰۰" in persian and "Moscow" not in persian


def test_a_time_zone_is_named_in_the_readers_language() -> None:
    assert render("ru", "{{ z|zone_name }}", z="Europe/Moscow").endswith("(Europe/Moscow)")
    assert "Moscow" not in render("ru", "{{ z|zone_name }}", z="Europe/Moscow").split("(")[0]
    assert render("en", "{{ z|zone_name }}", z="No/Such_Zone") == "No/Such_Zone"
