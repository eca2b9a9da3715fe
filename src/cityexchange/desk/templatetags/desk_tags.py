"""`{% load desk_tags %}` — the translation desk on other apps' pages (the profile shows the declared languages)."""

from __future__ import annotations

from typing import Any

from django import template

from cityexchange.registry.models import Language

from ..models import LanguageSkill

register = template.Library()


@register.simple_tag
def declared_languages(user: Any) -> list[Language]:
    """The languages `user` declared they read and write, by code."""
    if not getattr(user, "is_authenticated", False):
        return []
    codes = LanguageSkill.objects.filter(user=user).values("language_id")
    return list(Language.objects.filter(code__in=codes).order_by("code"))
