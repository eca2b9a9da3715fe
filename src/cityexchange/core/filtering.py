"""Filter sets declared once per list (django-filter), read alike by the page, the API and the selectors.

An app declares a list's filters as a `ListFilters` subclass: each parameter's name, how a value is checked (an
unknown one is refused with a message that names it, never a silently empty or widened list), how it narrows the
queryset, and what the page shows (label, choices). From that one declaration:

- the selectors filter: `filters.apply(queryset)` raises InvalidInput naming the first bad parameter;
- the page renders `filters.form` (a Django form) and reads the current values as `filters.sector`;
- the API documents and parses the same parameters through `query_schema(...)` (a django-ninja Query schema) and
  answers a bad value with 422 naming it.

Values stay the strings they came as (normalised: trimmed, upper-cased country codes…), so the page can compare them
with the values of its facet links; filter methods convert them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, Literal

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.choices import CallableChoiceIterator
from ninja import Schema
from pydantic import BaseModel, create_model

from .errors import InvalidInput
from .ids import MAX_ID

Known = Callable[[str], bool]


def one_of(values: Iterable[Any] | Callable[[], Iterable[Any]]) -> Known:
    """A value is known when it is one of `values` (a callable is asked on each check: rows change)."""
    return lambda v: v in {str(x) for x in (values() if callable(values) else values)}


def is_id(value: str) -> bool:
    """A value a primary key could have (the database refuses larger numbers with a 500)."""
    return value.isdigit() and 0 < int(value) <= MAX_ID


def number_in(low: int, high: int) -> Known:
    return lambda v: v.isdigit() and low <= int(v) <= high


class ValueField(forms.ChoiceField):
    """One value, checked by `known`; refused with `message` (`%(v)s` is the value, cut to `shown` characters);
    `default` when not given. Choices only feed the page's widget: the check is `known`, so a page may offer fewer
    values than are valid."""

    def __init__(
        self,
        *,
        known: Known,
        message: str,
        shown: int = 40,
        normalise: Callable[[str], str] | None = None,
        default: str = "",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("choices", ())
        super().__init__(**kwargs)
        self.known, self.message, self.shown, self.normalise = known, message, shown, normalise
        self.default = default

    def __deepcopy__(self, memo: dict[int, Any]) -> ValueField:
        # Each form gets its fields by deep copy. Choices given as a callable (a query and a label per row) are
        # read once per form: a select widget reads them twice when rendered (`use_required_attribute`, then its
        # options), and they must not outlive the request (labels follow the reader's language).
        result: ValueField = super().__deepcopy__(memo)
        choices = getattr(self, "_choices", None)
        if isinstance(choices, CallableChoiceIterator):
            result.choices = functools.cache(choices.func)
        return result

    def to_python(self, value: Any) -> str:
        text = "" if value in (None, "") else str(value).strip()
        if not text:
            return self.default
        return self.normalise(text) if self.normalise else text

    def validate(self, value: Any) -> None:
        if value and not self.known(value):
            raise ValidationError(self.message % {"v": value[: self.shown]})


class Value(django_filters.Filter):
    """A filter on one checked value. `api` is its type in the API (`int` for ids and numbers, so the document
    says so; a Literal lists the values); the value reaches `method` or the lookup as the checked string."""

    field_class = ValueField

    def __init__(self, *args: Any, api: Any = str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api = (int | None, None) if api is int else (api, kwargs.get("default", ""))


class SearchField(forms.CharField):
    def __init__(self, *, longest: int, message: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.longest, self.message = longest, message

    def validate(self, value: Any) -> None:
        if len(value) > self.longest:
            raise ValidationError(self.message % {"n": self.longest})


class Search(django_filters.Filter):
    """Words to look for, trimmed; longer than `longest` is refused with `message` (`%(n)s`: the limit)."""

    field_class = SearchField
    api = (str, "")


class SortField(forms.ChoiceField):
    def __init__(self, *, default: str, message: str, choices: Sequence[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(choices=choices, **kwargs)
        self.default, self.message, self.codes = default, message, [code for code, _label in choices]

    def to_python(self, value: Any) -> str:
        return str(value).strip() if value not in (None, "") else self.default

    def validate(self, value: Any) -> None:
        if value not in self.codes:
            raise ValidationError(self.message % {"v": value[:20], "allowed": ", ".join(self.codes)})


class Sort(django_filters.Filter):
    """The order of the list: one of `orders` (code → order_by arguments), `default` when not given. `labels`
    name each order on the page, in the same order."""

    field_class = SortField

    def __init__(
        self, orders: Mapping[str, Sequence[Any]], labels: Sequence[tuple[str, Any]], *, default: str, **kwargs: Any
    ) -> None:
        super().__init__(choices=list(labels), default=default, **kwargs)
        self.orders = orders
        self.api = (Literal[tuple(orders)], default)  # type: ignore[misc]

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        return qs.order_by(*self.orders[value])


class Flag(django_filters.BooleanFilter):
    """Yes or no; only "yes" narrows the list (through `method`)."""

    api = (bool, False)


class ListFilters(django_filters.FilterSet):
    """The filters of one list. Built from a query string, the API's parsed parameters (a `query_schema`) and/or
    keywords (`PracticeFilters(sector="water")`, `PracticeFilters(request.GET, status="published")`); the
    queryset to filter is given to `apply`, after visibility. `labels` renames fields on a page that shows them
    differently (a subclass for another page)."""

    labels: ClassVar[Mapping[str, Any]] = {}

    def __init__(
        self, data: Mapping[str, Any] | BaseModel | None = None, *, request: Any = None, **values: Any
    ) -> None:
        unknown = set(values) - set(self.base_filters)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no filter {', '.join(sorted(unknown))}")
        source: Any = data.model_dump() if isinstance(data, BaseModel) else data if data is not None else {}
        if values:  # keywords set or replace values of `data`
            source = source.copy() if hasattr(source, "getlist") else dict(source)
            for key, value in values.items():
                source[key] = value
        if not hasattr(source, "getlist"):  # not a query string: strings, as a query string has
            source = {k: "" if v is None else str(v) for k, v in source.items()}
        super().__init__(data=source, request=request)

    def get_form_class(self) -> type[forms.Form]:
        form: type[forms.Form] = super().get_form_class()
        for name, label in self.labels.items():
            form.base_fields[name].label = label
        return form

    def __getattr__(self, name: str) -> Any:
        """The current value of a filter (`filters.sector`), "" when unset or refused."""
        if name.startswith("_") or name not in type(self).base_filters:
            raise AttributeError(name)
        self.form.is_valid()
        return self.form.cleaned_data.get(name, "")

    def error(self) -> InvalidInput | None:
        """The first refused parameter, as the error that names it."""
        if self.form.is_valid():
            return None
        name, messages = next(iter(self.form.errors.items()))
        return InvalidInput(str(messages[0]), field=name)

    def check(self) -> ListFilters:
        """These filters when every value is known. Raises InvalidInput naming the first bad parameter."""
        error = self.error()
        if error is not None:
            raise error
        return self

    def apply(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """`queryset` narrowed and ordered by the filters. Raises InvalidInput naming the first bad parameter."""
        return self.check().filter_queryset(queryset)

    def is_set(self, *names: str) -> bool:
        """Whether any of `names` (all filters when none given) has a value."""
        return any(getattr(self, name) not in (None, "", False) for name in names or self.base_filters)


def query_schema(
    filters: type[ListFilters], name: str = "", *, only: Iterable[str] | None = None, **defaults: Any
) -> type[Schema]:
    """The API's query parameters for `filters` (all of them, or `only` these), each with its declared type, so the
    OpenAPI document lists them; `defaults` replace declared defaults where the API's differ from the page's."""
    wanted = set(only) if only is not None else None
    fields: dict[str, Any] = {}
    for key, declared in filters.base_filters.items():
        if wanted is None or key in wanted:
            annotation, default = declared.api
            fields[key] = (annotation, defaults.get(key, default))
    model: type[Schema] = create_model(name or f"{filters.__name__}Query", __base__=Schema, **fields)
    return model
