"""Page forms that never lose work: length limits shown before typing and refused with a message naming the field,
while the form comes back with everything that was typed.

`KeepsWork` is the base of page forms with long texts:
- line breaks are counted as the browser counts them (one character): browsers send CRLF, so a text at the limit
  in the counter would otherwise be refused by the server;
- a text field with a `max_length` gets `data-max-chars` (read by static/js/forms.js for a live counter) and an
  error that names the field, its limit and the length sent;
- text areas lose the `maxlength` attribute Django gives them: a browser silently cuts a pasted text at that length,
  which loses the end of it without a word. The counter and the server's message say it instead. One-line inputs
  keep `maxlength` (short values, typed rather than pasted).
- a text area declared with `attrs={"data-markdown": "1"}` gets a preview button (see templates/_form.html).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import QueryDict
from django.utils.translation import gettext as _

from cityexchange.core import locale_format


class NamedLengthValidator(MaxLengthValidator):
    """Django's length check, with a message that names the field and writes both numbers as the reader's locale
    does: "“The solution” is too long: 20,000 characters at most, and this text has 25,310."."""

    def __init__(self, limit: int, label: str) -> None:
        super().__init__(limit)
        self.label = label

    def __call__(self, value: Any) -> None:
        length = self.clean(value)
        if length > self.limit_value:
            raise ValidationError(
                _("“%(field)s” is too long: %(limit)s characters at most, and this text has %(length)s.")
                % {
                    "field": self.label,
                    "limit": locale_format.number(self.limit_value),
                    "length": locale_format.number(length),
                },
                code="max_length",
            )


def text_limit(field: forms.Field) -> int | None:
    """The field's length limit, if it is a text field that has one."""
    if isinstance(field, forms.CharField) and field.max_length:
        return int(field.max_length)
    return None


class KeepsWork(forms.Form):
    """A `forms.Form` whose limits are shown and whose too-long fields are named (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        data = getattr(self, "data", None)
        if isinstance(data, QueryDict) and data:
            self.data = normalise_newlines(data)
        for name, field in self.fields.items():
            limit = text_limit(field)
            if limit is None:
                continue
            # Django's own check (MaxLengthValidator) is replaced by one whose message names the field.
            kept = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
            field.validators = [*kept, NamedLengthValidator(limit, str(field.label or name))]
            field.widget.attrs["data-max-chars"] = str(limit)
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.pop("maxlength", None)


def normalise_newlines(data: QueryDict) -> QueryDict:
    """A copy of the submitted data with CRLF and lone CR written as LF."""
    out = data.copy()
    for key in out:
        values = out.getlist(key)
        if any("\r" in v for v in values if isinstance(v, str)):
            out.setlist(key, [v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v for v in values])
    return out
