"""`{{ field|char_limit }}` and `{{ field|markdown_preview }}` for templates/_form.html: which fields show a length
hint with a live counter and which get a Markdown preview (see core/forms.py)."""

from __future__ import annotations

from typing import Any

from django import forms, template

from cityexchange.core.forms import text_limit

register = template.Library()

# One-line fields shorter than this get no hint: a name or a phone number never comes near its limit.
HINT_FROM = 200


@register.filter
def char_limit(bound: Any) -> int | None:
    """The limit to show next to a field: every text area with one, and long one-line fields."""
    field = getattr(bound, "field", None)
    if field is None:
        return None
    limit = text_limit(field)
    if limit is None:
        return None
    if isinstance(field.widget, forms.Textarea):
        return limit
    # Plain one-line text only: an e-mail address's 320 is a format's limit nobody comes near.
    if type(field) is forms.CharField and limit >= HINT_FROM:
        return limit
    return None


@register.filter
def markdown_preview(bound: Any) -> bool:
    field = getattr(bound, "field", None)
    return bool(field is not None and field.widget.attrs.get("data-markdown"))
