"""Numbers, money, percentages and dates as the reader's locale writes them, from CLDR through Babel (offline).

Django's own number formatting knows neither the Indian digit grouping (12,76,95,640) nor Persian digits, and has
no formats at all for some of our languages (Amharic), so figures went out ungrouped ("127695640"). Babel gives
each language its grouping, separators, native month names and, where CLDR says the locale uses them, its own
digits (Persian for fa; CLDR writes Arabic with Latin digits by default, and so do we).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from contextvars import ContextVar, Token
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django.utils import timezone
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from cityexchange.core.locale_names import time_zone_name

Number = int | float | Decimal
# Babel picks the numbering system's separators but leaves the digits Latin; these are CLDR's digits of the
# numbering systems our locales default to.
DIGITS = {
    "arab": "٠١٢٣٤٥٦٧٨٩",
    "arabext": "۰۱۲۳۴۵۶۷۸۹",
    "deva": "०१२३४५६७८९",
    "beng": "০১২৩৪৫৬৭৮৯",
    "thai": "๐๑๒๓๔๕๖๗๘๙",
    "mymr": "၀၁၂၃၄၅၆၇၈၉",
}


@lru_cache(maxsize=32)
def reader_locale(lang: str) -> Locale:
    """The Babel locale of a UI language code ("pt-br" → pt_BR, "zh-hans" → zh_Hans); English when unknown."""
    for candidate in (to_locale(lang), lang.split("-")[0]):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def _locale(lang: str | None) -> Locale:
    return reader_locale(lang or get_language() or "en")


def native_digits(text: str, locale: Locale) -> str:
    """Latin digits written in the locale's own digits where its default numbering system has them."""
    digits = DIGITS.get(getattr(locale, "default_numbering_system", "latn"))
    return text.translate(str.maketrans("0123456789", digits)) if digits else text


def number(value: Number | None, decimals: int | None = None, lang: str | None = None) -> str:
    """A number grouped as the locale groups it; `decimals` fixes the digits after the separator (trailing zeros
    dropped), None keeps up to three."""
    if value is None:
        return ""
    fmt = None if decimals is None else ("#,##0" + ("." + "#" * decimals if decimals > 0 else ""))
    locale = _locale(lang)
    return native_digits(
        babel_numbers.format_decimal(value, format=fmt, locale=locale, numbering_system="default"), locale
    )


def percent(value: Number | None, decimals: int = 0, lang: str | None = None) -> str:
    """A share given in percent points (12.5 → "12.5 %" as the locale writes it)."""
    if value is None:
        return ""
    locale = _locale(lang)
    # The locale's own pattern (its spacing and the sign's side), with the decimals asked for.
    fmt = locale.percent_formats[None].pattern
    if decimals > 0:
        at = fmt.rfind("0")
        fmt = fmt[: at + 1] + "." + "#" * decimals + fmt[at + 1 :]
    shown = babel_numbers.format_percent(
        Decimal(str(value)) / 100, format=fmt, locale=locale, numbering_system="default"
    )
    return native_digits(shown, locale)


def money(value: Number | None, currency: str, lang: str | None = None) -> str:
    """An amount in a currency, with the currency's symbol or code placed as the locale places it."""
    if value is None:
        return ""
    if not currency:
        return number(value, 2, lang)
    locale = _locale(lang)
    whole = float(value).is_integer()
    # Budgets are whole amounts: "25 000 000 ₽", not "25 000 000,00 ₽"; cents are shown when there are some.
    fmt = locale.currency_formats["standard"].pattern.replace(".00", "") if whole else None
    shown = babel_numbers.format_currency(
        value, currency.upper(), format=fmt, locale=locale, numbering_system="default", currency_digits=not whole
    )
    return native_digits(shown, locale)


def date(value: dt.date | dt.datetime | None, length: str = "medium", lang: str | None = None) -> str:
    """A date with the month's name in the reader's language ("5 марта 2026 г.", "2026年3月5日")."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    locale = _locale(lang)
    return native_digits(babel_dates.format_date(value, length, locale=locale), locale)


# The time zone the signed-in reader chose in their account ("" when they chose none): set for each request by
# accounts.middleware.UserTimeZoneMiddleware. Times shown in another zone (an event's, the association's UTC) are
# then also shown in this one.
_reader_zone: ContextVar[str] = ContextVar("reader_zone", default="")


def reader_zone() -> str:
    return _reader_zone.get()


def set_reader_zone(key: str) -> Token[str]:
    return _reader_zone.set(key if zone_info(key) is not None else "")


def reset_reader_zone(token: Token[str]) -> None:
    _reader_zone.reset(token)


def zone_info(key: str) -> zoneinfo.ZoneInfo | None:
    if not key:
        return None
    try:
        return zoneinfo.ZoneInfo(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _aware(value: dt.datetime) -> dt.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)


def reader_zone_differs(value: dt.datetime, shown: str) -> str:
    """The reader's zone when they chose one whose clock at `value` differs from the zone `shown` (a zone with the
    same offset at that moment would only repeat the time), else ""."""
    key = reader_zone()
    mine, theirs = zone_info(key), zone_info(shown) or zoneinfo.ZoneInfo("UTC")
    if mine is None:
        return ""
    moment = _aware(value)
    return key if moment.astimezone(mine).utcoffset() != moment.astimezone(theirs).utcoffset() else ""


def datetime(value: dt.datetime | None, zone: str = "", length: str = "medium", lang: str | None = None) -> str:
    """A date and time in the given zone (the event's or the user's; the site's when none), always with the zone
    named, so a time is never read in the wrong zone: "5 мар. 2026 г., 09:00 (Москва)". When the reader chose a
    zone of their own whose clock differs, the same moment follows in it."""
    if value is None:
        return ""
    shown = _zoned(value, zone or timezone.get_current_timezone_name(), length, lang)
    mine = reader_zone_differs(value, zone or timezone.get_current_timezone_name())
    return f"{shown} · {_zoned(value, mine, length, lang)}" if mine else shown


def _zoned(value: dt.datetime, key: str, length: str, lang: str | None) -> str:
    tz = zone_info(key)
    if tz is None:
        key, tz = "UTC", zoneinfo.ZoneInfo("UTC")
    local = _aware(value).astimezone(tz)
    locale = _locale(lang)
    day = babel_dates.format_date(local.date(), length, locale=locale)
    time = babel_dates.format_time(local.time(), "short", locale=locale)
    return native_digits(f"{day} {time}", locale) + f" ({time_zone_name(key, lang)})"


def times_in_reader_zone(starts: dt.datetime, ends: dt.datetime | None = None, shown: str = "") -> str:
    """`starts`–`ends` in the reader's own zone, for a page or an e-mail that shows them in another zone (`shown`,
    by default the active one: inside `{% timezone event.timezone %}` the event's): "your time: 11:30–12:30 (India
    Standard Time)", with the day when it is not the same day there. "" when the reader chose no zone of their own
    or theirs reads the same clock."""
    shown = shown or timezone.get_current_timezone_name()
    key = reader_zone_differs(starts, shown)
    mine, theirs = zone_info(key), zone_info(shown) or zoneinfo.ZoneInfo("UTC")
    if mine is None:
        return ""
    locale = _locale(None)
    start = _aware(starts).astimezone(mine)
    clock = f"{start:%H:%M}" + (f"–{_aware(ends).astimezone(mine):%H:%M}" if ends is not None else "")
    if start.date() != _aware(starts).astimezone(theirs).date():
        clock = f"{babel_dates.format_skeleton('MMMEd', start.date(), locale=locale)} {clock}"
    return _("your time: %(time)s (%(zone)s)") % {
        "time": native_digits(clock, locale),
        "zone": time_zone_name(key),
    }


def day_and_times(starts: dt.datetime, ends: dt.datetime | None, zone: str, lang: str | None = None) -> str:
    """A day and hours in `zone` as the reader's locale writes them, weekday and month in its words: "чт, 5 мар.
    09:00–10:00", "3月5日周四 09:00–10:00" (for e-mails, which have no `{% timezone %}` around them)."""
    tz = zone_info(zone) or zoneinfo.ZoneInfo("UTC")
    locale = _locale(lang)
    start = _aware(starts).astimezone(tz)
    clock = f"{start:%H:%M}" + (f"–{_aware(ends).astimezone(tz):%H:%M}" if ends is not None else "")
    return native_digits(f"{babel_dates.format_skeleton('MMMEd', start.date(), locale=locale)} {clock}", locale)


def time(value: dt.datetime | None, lang: str | None = None) -> str:
    """Hours and minutes (24-hour) in the active time zone, in the locale's digits."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    locale = _locale(lang)
    return native_digits(f"{local:%H:%M}", locale)


def compact(value: Number | None, lang: str | None = None) -> str:
    """A large figure in words as the locale says it: "1.2 million", "1,2 миллиона", "124.4万", "12.4 लाख"."""
    if value is None:
        return ""
    locale = _locale(lang)
    shown = babel_numbers.format_compact_decimal(
        value, format_type="long", locale=locale, fraction_digits=1, numbering_system="default"
    )
    return native_digits(shown, locale)
