"""Reading untrusted nested data (a JSON object, a CSV row, a form, an API payload) field by field.

Every problem is collected as a `FieldError` naming the field by its path in the import format
(`title`, `transfer_conditions.min_population`, `indicators[2].achieved`), so an import can report all of them
with row and column, and a form or the API can show the first one next to its field. Shared by practices and
challenges.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from cityexchange.core.errors import InvalidInput


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class InvalidDocument(InvalidInput):
    """Raised by services when a document has errors; carries all of them, the first as the message."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(errors[0].message, field=errors[0].field)
        self.errors = errors


def clean_text(value: str) -> str:
    """Line endings normalised (spreadsheets write CRLF) and outer whitespace removed."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


class Reader:
    """Pulls typed values out of `raw`; `errors` holds every problem met, nothing is raised."""

    def __init__(self, raw: Any, prefix: str = "") -> None:
        self.raw = raw if isinstance(raw, Mapping) else {}
        self.prefix = prefix
        self.errors: list[FieldError] = []
        if not isinstance(raw, Mapping):
            self.error("", _("Expected an object with named fields."))

    def path(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix and key else (self.prefix or key)

    def error(self, key: str, message: str) -> None:
        self.errors.append(FieldError(self.path(key), message))

    def get(self, key: str) -> Any:
        """The value at a dotted key; missing and empty ("" or None) both read as None."""
        node: Any = self.raw
        for part in key.split("."):
            if node is None:
                return None
            if not isinstance(node, Mapping):
                self.error(key, _("Expected an object."))
                return None
            node = node.get(part)
        if isinstance(node, str) and not node.strip():
            return None
        return node

    def sub(self, key: str) -> Reader | None:
        value = self.get(key)
        if value is None:
            return None
        return Reader(value, self.path(key))

    def text(self, key: str, *, required: bool = False, max_len: int = 200) -> str:
        value = self.get(key)
        if value is None:
            if required:
                self.error(key, _("This field is required."))
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(key, _("Expected text."))
            return ""
        value = clean_text(str(value))
        if len(value) > max_len:
            self.error(key, _("Too long: %(n)d characters at most.") % {"n": max_len})
            return ""
        return value

    def _number(self, key: str, value: Any) -> float | None:
        if isinstance(value, bool):
            self.error(key, _("Expected a number."))
            return None
        if isinstance(value, str):
            try:
                value = float(value.strip().replace(",", "."))
            except ValueError:
                self.error(key, _("Expected a number, got “%(v)s”.") % {"v": value[:40]})
                return None
        if not isinstance(value, int | float) or not math.isfinite(value):
            self.error(key, _("Expected a number."))
            return None
        return float(value)

    def number(self, key: str, *, required: bool = False) -> float | None:
        value = self.get(key)
        if value is None:
            if required:
                self.error(key, _("This field is required."))
            return None
        return self._number(key, value)

    def integer(
        self, key: str, *, required: bool = False, low: int | None = None, high: int | None = None
    ) -> int | None:
        value = self.get(key)
        if value is None:
            if required:
                self.error(key, _("This field is required."))
            return None
        number = self._number(key, value)
        if number is None:
            return None
        if not number.is_integer():
            self.error(key, _("Expected a whole number."))
            return None
        result = int(number)
        if (low is not None and result < low) or (high is not None and result > high):
            if high is None:
                self.error(key, _("Must be at least %(low)s.") % {"low": low})
            else:
                self.error(key, _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high})
            return None
        return result

    def boolean(self, key: str, *, default: bool = False) -> bool:
        value = self.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {"true", "1", "yes"}:
            return True
        if isinstance(value, str) and value.strip().lower() in {"false", "0", "no"}:
            return False
        self.error(key, _("Expected true or false."))
        return default

    def choice(self, key: str, choices: Iterable[str], *, required: bool = True, default: str = "") -> str:
        value = self.get(key)
        allowed = list(choices)
        if value is None:
            if required and not default:
                self.error(key, _("This field is required."))
            return default
        if value not in allowed:
            self.error(
                key,
                _("Unknown value “%(v)s”; expected one of: %(allowed)s.") % {"v": value, "allowed": ", ".join(allowed)},
            )
            return default
        return str(value)

    def items(self, key: str, *, max_items: int = 50) -> list[Any]:
        """A list; a string is split on semicolons (how CSV cells hold lists)."""
        value = self.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [v.strip() for v in value.split(";") if v.strip()]
        if not isinstance(value, list):
            self.error(key, _("Expected a list."))
            return []
        if len(value) > max_items:
            self.error(key, _("Too many items: %(n)d at most.") % {"n": max_items})
            return []
        return value

    def str_list(
        self,
        key: str,
        *,
        max_items: int = 50,
        max_len: int = 200,
        check: Callable[[str], str | None] | None = None,
    ) -> list[str]:
        out: list[str] = []
        for i, item in enumerate(self.items(key, max_items=max_items)):
            if isinstance(item, bool) or not isinstance(item, str | int):
                self.error(f"{key}[{i}]", _("Expected text."))
                continue
            text = clean_text(str(item))
            if not text:
                continue
            if len(text) > max_len:
                self.error(f"{key}[{i}]", _("Too long: %(n)d characters at most.") % {"n": max_len})
                continue
            problem = check(text) if check else None
            if problem:
                self.error(f"{key}[{i}]", problem)
                continue
            if text not in out:
                out.append(text)
        return out

    def email(self, key: str) -> str:
        value = self.text(key, max_len=254)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.error(key, _("Enter a valid e-mail address."))
                return ""
        return value


def check_url(value: str) -> str | None:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return _("Enter a valid web address (http or https): “%(v)s”.") % {"v": value[:80]}
    return None


def raise_first(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidDocument(errors)


__all__ = ["FieldError", "InvalidDocument", "Reader", "check_url", "clean_text", "raise_first"]
