"""Field checks shared by every app's services: the error names the field and says what is wrong."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import InvalidInput


def clean_text(value: str | None, field: str, label: str, max_len: int, *, required: bool = True) -> str:
    """The stripped text; InvalidInput naming `field` when it is required and empty, or longer than `max_len`."""
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("%(field)s is required.") % {"field": label}, field=field)
    if len(value) > max_len:
        raise InvalidInput(
            _("%(field)s is too long (%(n)d characters at most).") % {"field": label, "n": max_len}, field=field
        )
    return value
