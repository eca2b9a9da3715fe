"""Which languages the desk translates into: the interface's languages (a reader sees a translation in the
language of their interface), as content language codes ("pt-br" → "pt", "zh-hans" → "zh")."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from cityexchange.core.locale_names import content_code
from cityexchange.registry.models import Language


def enabled_codes() -> list[str]:
    interface = {content_code(code) for code, _name in settings.LANGUAGES}
    return sorted(Language.objects.filter(code__in=interface).values_list("code", flat=True))


def enabled_languages() -> QuerySet[Language]:
    return Language.objects.filter(code__in=enabled_codes()).order_by("code")
