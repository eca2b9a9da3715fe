"""A practice as a plain document: the import/export format, its parser and its JSON Schema.

One format serves the CSV/JSON import, the exports, the API payloads, the form and the version history, so an
export imported again reproduces the same practices. See docs/practices.md for the format, field by field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import pycountry
from django.utils.translation import gettext as _

from cityexchange.core import locale_format
from cityexchange.registry.models import Language, Sector

from .cost import band_fits, band_for
from .models import CLIMATES, SDG_GOALS, Practice
from .reading import FieldError, Reader, check_url

YEAR_MIN, YEAR_MAX = 1900, 2100
MAX_LONG_TEXT = 20_000
MAX_SUMMARY = 2_000
IMPORT_STATUSES = ("draft", "submitted", "published")
CLIMATE_CODES = [c for c, _label in CLIMATES]


@dataclass(frozen=True)
class IndicatorInput:
    name: str
    achieved: float
    baseline: float | None = None
    unit: str = ""
    year: int | None = None


@dataclass(frozen=True)
class PracticeInput:
    """A practice's content, validated and normalised (lists sorted where order carries no meaning)."""

    language: str
    title: str
    summary: str
    problem: str
    solution: str
    results_text: str = ""
    indicators: tuple[IndicatorInput, ...] = ()
    cost_band: str = ""
    currency: str = "USD"
    cost_amount: int | None = None
    period_start: int | None = None
    period_end: int | None = None
    maturity: str = ""
    min_population: int | None = None
    max_population: int | None = None
    climates: tuple[str, ...] = ()
    budget_note: str = ""
    prerequisites: str = ""
    sectors: tuple[str, ...] = ()
    sdgs: tuple[int, ...] = ()
    partners: tuple[str, ...] = ()
    contact_name: str = ""
    contact_email: str = ""
    contact_role: str = ""
    links: tuple[str, ...] = ()


@dataclass
class Vocabulary:
    """The codes a document may use, read once per import rather than once per row."""

    languages: set[str] = field(default_factory=set)
    sectors: set[str] = field(default_factory=set)

    @classmethod
    def load(cls) -> Vocabulary:
        return cls(
            set(Language.objects.values_list("code", flat=True)), set(Sector.objects.values_list("code", flat=True))
        )


def _currency(r: Reader) -> str:
    value = r.text("currency", max_len=10).upper() or "USD"
    if len(value) != 3 or pycountry.currencies.get(alpha_3=value) is None:
        r.error("currency", _("Unknown currency code “%(v)s” (ISO 4217, e.g. USD, RUB, BRL).") % {"v": value})
        return "USD"
    return value


def _indicators(r: Reader) -> tuple[IndicatorInput, ...]:
    out = []
    raw = r.get("indicators")
    if isinstance(raw, str):  # CSV: the list as JSON text
        import json

        try:
            raw = json.loads(raw)
        except ValueError:
            r.error("indicators", _("Expected a JSON list of indicators."))
            return ()
    if raw is None:
        return ()
    if not isinstance(raw, list):
        r.error("indicators", _("Expected a list."))
        return ()
    if len(raw) > 30:
        r.error("indicators", _("Too many items: %(n)d at most.") % {"n": 30})
        return ()
    for i, item in enumerate(raw):
        ir = Reader(item, r.path(f"indicators[{i}]"))
        name = ir.text("name", required=True, max_len=200)
        achieved = ir.number("achieved", required=True)
        baseline = ir.number("baseline")
        unit = ir.text("unit", max_len=40)
        year = ir.integer("year", low=YEAR_MIN, high=YEAR_MAX)
        r.errors.extend(ir.errors)
        if not ir.errors and achieved is not None:
            out.append(IndicatorInput(name=name, achieved=achieved, baseline=baseline, unit=unit, year=year))
    return tuple(out)


def parse_practice(raw: Any, vocabulary: Vocabulary | None = None) -> tuple[PracticeInput | None, list[FieldError]]:
    """Validate a practice document's content; returns the input, or None and every error found."""
    vocab = vocabulary or Vocabulary.load()
    r = Reader(raw)
    if r.errors:
        return None, r.errors
    language = r.choice("language", sorted(vocab.languages))
    sectors = r.str_list("sectors", max_items=16, max_len=40)
    for code in sectors:
        if code not in vocab.sectors:
            r.error("sectors", _("Unknown sector “%(v)s”.") % {"v": code})
    if not sectors and not any(e.field.startswith("sectors") for e in r.errors):
        r.error("sectors", _("Choose at least one sector."))
    sdgs: list[int] = []
    for i, goal in enumerate(r.items("sdgs", max_items=17)):
        value = Reader({"v": goal}, r.path(f"sdgs[{i}]")).integer("v", low=SDG_GOALS[0], high=SDG_GOALS[-1])
        if value is None:
            r.error(f"sdgs[{i}]", _("An SDG is a number from 1 to 17."))
        elif value not in sdgs:
            sdgs.append(value)
    climates = r.str_list("transfer_conditions.climates", max_items=5, max_len=20)
    for code in climates:
        if code not in CLIMATE_CODES:
            r.error(
                "transfer_conditions.climates",
                _("Unknown climate “%(v)s”; expected one of: %(allowed)s.")
                % {"v": code, "allowed": ", ".join(CLIMATE_CODES)},
            )
    period_start = r.integer("period_start", low=YEAR_MIN, high=YEAR_MAX)
    period_end = r.integer("period_end", low=YEAR_MIN, high=YEAR_MAX)
    if period_start and period_end and period_end < period_start:
        r.error("period_end", _("The end year is before the start year."))
    if period_end and not period_start:
        r.error("period_start", _("Give the start year too."))
    min_pop = r.integer("transfer_conditions.min_population", low=0, high=10**11)
    max_pop = r.integer("transfer_conditions.max_population", low=0, high=10**11)
    if min_pop is not None and max_pop is not None and max_pop < min_pop:
        r.error("transfer_conditions.max_population", _("The largest city size is below the smallest."))
    cost_amount = r.integer("cost_amount", low=0, high=10**14)
    # A band may be left out when the cost is given: it is then taken from the cost (see practices/cost.py).
    cost_band = r.choice("cost_band", Practice.CostBand.values, required=cost_amount is None)
    currency = _currency(r)
    if cost_amount is not None and cost_band and not band_fits(cost_band, cost_amount):
        r.error(
            "cost_band",
            _(
                "The cost band “%(band)s” does not fit the cost, %(amount)s %(currency)s, which is “%(fits)s”. "
                "The band is in the practice's own currency: correct the band or the cost, or leave the band empty "
                "to take it from the cost."
            )
            % {
                "band": Practice.CostBand(cost_band).label,
                "amount": locale_format.number(cost_amount),
                "currency": currency,
                "fits": Practice.CostBand(band_for(cost_amount)).label,
            },
        )
    elif cost_amount is not None and not cost_band:
        cost_band = band_for(cost_amount)
    data = PracticeInput(
        language=language,
        title=r.text("title", required=True, max_len=200),
        summary=r.text("summary", required=True, max_len=MAX_SUMMARY),
        problem=r.text("problem", required=True, max_len=MAX_LONG_TEXT),
        solution=r.text("solution", required=True, max_len=MAX_LONG_TEXT),
        results_text=r.text("results_text", max_len=MAX_LONG_TEXT),
        indicators=_indicators(r),
        cost_band=cost_band,
        currency=currency,
        cost_amount=cost_amount,
        period_start=period_start,
        period_end=period_end,
        maturity=r.choice("maturity", Practice.Maturity.values),
        min_population=min_pop,
        max_population=max_pop,
        climates=tuple(sorted(climates)),
        budget_note=r.text("transfer_conditions.budget_note", max_len=MAX_SUMMARY),
        prerequisites=r.text("transfer_conditions.prerequisites", max_len=MAX_SUMMARY),
        sectors=tuple(sorted(sectors)),
        sdgs=tuple(sorted(sdgs)),
        partners=tuple(r.str_list("partners", max_items=30, max_len=200)),
        contact_name=r.text("contact.name", max_len=150),
        contact_email=r.email("contact.email"),
        contact_role=r.text("contact.role", max_len=150),
        links=tuple(r.str_list("links", max_items=20, max_len=500, check=check_url)),
    )
    if r.errors:
        return None, r.errors
    return data, []


@dataclass(frozen=True)
class TranslationInput:
    language: str
    title: str
    summary: str


def parse_translations(
    raw: Any, original_language: str, vocab: Vocabulary, prefix: str = "translations"
) -> tuple[dict[str, TranslationInput], list[FieldError]]:
    """`{"en": {"title": ..., "summary": ...}, ...}`; a string is read as JSON text (CSV)."""
    errors: list[FieldError] = []
    if isinstance(raw, str):
        import json

        if not raw.strip():
            return {}, []
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}, [FieldError(prefix, _("Expected a JSON object of translations."))]
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [FieldError(prefix, _("Expected an object keyed by language code."))]
    out: dict[str, TranslationInput] = {}
    for code, body in raw.items():
        path = f"{prefix}.{code}"
        if code not in vocab.languages:
            errors.append(FieldError(path, _("Unknown language code “%(v)s”.") % {"v": code}))
            continue
        if code == original_language:
            errors.append(FieldError(path, _("A translation must be in another language than the original.")))
            continue
        r = Reader(body, path)
        title = r.text("title", required=True, max_len=200)
        summary = r.text("summary", required=True, max_len=MAX_SUMMARY)
        errors.extend(r.errors)
        if not r.errors:
            out[code] = TranslationInput(code, title, summary)
    return out, errors


def input_from_practice(p: Practice) -> PracticeInput:
    return PracticeInput(
        language=p.language_id,
        title=p.title,
        summary=p.summary,
        problem=p.problem,
        solution=p.solution,
        results_text=p.results_text,
        indicators=tuple(
            IndicatorInput(name=i.name, achieved=i.achieved, baseline=i.baseline, unit=i.unit, year=i.year)
            for i in p.indicators.all()
        ),
        cost_band=p.cost_band,
        currency=p.currency,
        cost_amount=p.cost_amount,
        period_start=p.period_start,
        period_end=p.period_end,
        maturity=p.maturity,
        min_population=p.min_population,
        max_population=p.max_population,
        climates=tuple(sorted(p.climates)),
        budget_note=p.budget_note,
        prerequisites=p.prerequisites,
        sectors=tuple(sorted(s.code for s in p.sectors.all())),
        sdgs=tuple(sorted(g.goal for g in p.goals.all())),
        partners=tuple(p.partners),
        contact_name=p.contact_name,
        contact_email=p.contact_email,
        contact_role=p.contact_role,
        links=tuple(p.links),
    )


def translations_of(p: Practice) -> dict[str, TranslationInput]:
    """The city's own translations (title and summary). Those approved on the translation desk have their versions
    there and are not part of the import format, so an import or export round trip leaves them alone."""
    return {
        t.language_id: TranslationInput(t.language_id, t.title, t.summary)
        for t in p.translations.all()
        if not t.is_full
    }


def document(
    data: PracticeInput,
    *,
    external_id: str,
    city_geonames_id: int,
    translations: dict[str, TranslationInput],
    status: str,
) -> dict[str, Any]:
    """The document in the import format (keys in the documented order)."""
    return {
        "external_id": external_id,
        "city_geonames_id": city_geonames_id,
        "language": data.language,
        "title": data.title,
        "summary": data.summary,
        "problem": data.problem,
        "solution": data.solution,
        "results_text": data.results_text,
        "indicators": [
            {"name": i.name, "baseline": i.baseline, "achieved": i.achieved, "unit": i.unit, "year": i.year}
            for i in data.indicators
        ],
        "cost_band": data.cost_band,
        "currency": data.currency,
        "cost_amount": data.cost_amount,
        "period_start": data.period_start,
        "period_end": data.period_end,
        "maturity": data.maturity,
        "transfer_conditions": {
            "min_population": data.min_population,
            "max_population": data.max_population,
            "climates": list(data.climates),
            "budget_note": data.budget_note,
            "prerequisites": data.prerequisites,
        },
        "sectors": list(data.sectors),
        "sdgs": list(data.sdgs),
        "partners": list(data.partners),
        "contact": {"name": data.contact_name, "email": data.contact_email, "role": data.contact_role},
        "links": list(data.links),
        "translations": {code: {"title": t.title, "summary": t.summary} for code, t in sorted(translations.items())},
        "status": status,
    }


def practice_document(p: Practice) -> dict[str, Any]:
    return document(
        input_from_practice(p),
        external_id=p.external_id,
        city_geonames_id=p.city.geonames_id,
        translations=translations_of(p),
        status=p.status,
    )


def input_as_dict(data: PracticeInput) -> dict[str, Any]:
    return asdict(data)


# Column order of the CSV format; nested objects flattened with dots, lists joined with ";" (see docs).
CSV_COLUMNS = [
    "external_id",
    "city_geonames_id",
    "language",
    "title",
    "summary",
    "problem",
    "solution",
    "results_text",
    "indicators",
    "cost_band",
    "currency",
    "cost_amount",
    "period_start",
    "period_end",
    "maturity",
    "transfer_conditions.min_population",
    "transfer_conditions.max_population",
    "transfer_conditions.climates",
    "transfer_conditions.budget_note",
    "transfer_conditions.prerequisites",
    "sectors",
    "sdgs",
    "partners",
    "contact.name",
    "contact.email",
    "contact.role",
    "links",
    "translations",
    "status",
]
JSON_TEXT_COLUMNS = {"indicators", "translations"}
LIST_COLUMNS = {"transfer_conditions.climates", "sectors", "sdgs", "partners", "links"}


def _text(max_len: int, description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string", "maxLength": max_len}
    if description:
        out["description"] = description
    return out


def json_schema(sector_codes: Iterable[str] = (), language_codes: Iterable[str] = ()) -> dict[str, Any]:
    """JSON Schema (2020-12) of one practice in the JSON import format (the file is an array of these)."""
    nullable_int: dict[str, Any] = {"type": ["integer", "null"], "minimum": 0}
    year: dict[str, Any] = {"type": ["integer", "null"], "minimum": YEAR_MIN, "maximum": YEAR_MAX}
    sector: dict[str, Any] = {"type": "string"}
    if sector_codes:
        sector["enum"] = sorted(sector_codes)
    language: dict[str, Any] = {"type": "string", "description": "ISO 639-1 code of the original language."}
    if language_codes:
        language["enum"] = sorted(language_codes)
    translation = {
        "type": "object",
        "required": ["title", "summary"],
        "properties": {"title": _text(200), "summary": _text(MAX_SUMMARY)},
        "additionalProperties": False,
    }
    practice = {
        "type": "object",
        "required": [
            "external_id",
            "city_geonames_id",
            "language",
            "title",
            "summary",
            "problem",
            "solution",
            "maturity",
            "sectors",
        ],
        "properties": {
            "external_id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 100,
                "pattern": r"^[A-Za-z0-9][A-Za-z0-9._:-]*$",
                "description": "Stable id; importing the same id again updates the practice instead of adding one.",
            },
            "city_geonames_id": {"type": "integer", "description": "GeoNames id of a member city."},
            "language": language,
            "title": _text(200),
            "summary": _text(MAX_SUMMARY, "Plain text, shown in lists."),
            "problem": _text(MAX_LONG_TEXT, "Markdown."),
            "solution": _text(MAX_LONG_TEXT, "Markdown."),
            "results_text": _text(MAX_LONG_TEXT, "Markdown."),
            "indicators": {
                "type": "array",
                "maxItems": 30,
                "items": {
                    "type": "object",
                    "required": ["name", "achieved"],
                    "properties": {
                        "name": _text(200),
                        "baseline": {"type": ["number", "null"]},
                        "achieved": {"type": "number"},
                        "unit": _text(40),
                        "year": year,
                    },
                    "additionalProperties": False,
                },
            },
            "cost_band": {
                "enum": Practice.CostBand.values,
                "description": "In the practice's own currency; must contain cost_amount when both are given. "
                "Required unless cost_amount is given, from which it is then derived.",
            },
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code."},
            "cost_amount": nullable_int,
            "period_start": year,
            "period_end": year,
            "maturity": {"enum": Practice.Maturity.values},
            "transfer_conditions": {
                "type": "object",
                "properties": {
                    "min_population": nullable_int,
                    "max_population": nullable_int,
                    "climates": {"type": "array", "items": {"enum": CLIMATE_CODES}, "uniqueItems": True},
                    "budget_note": _text(MAX_SUMMARY),
                    "prerequisites": _text(MAX_SUMMARY),
                },
                "additionalProperties": False,
            },
            "sectors": {"type": "array", "items": sector, "minItems": 1, "maxItems": 16},
            "sdgs": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 17}, "maxItems": 17},
            "partners": {"type": "array", "items": _text(200), "maxItems": 30},
            "contact": {
                "type": "object",
                "properties": {
                    "name": _text(150),
                    "email": {"type": "string", "maxLength": 254},
                    "role": _text(150),
                },
                "additionalProperties": False,
            },
            "links": {"type": "array", "items": {"type": "string", "pattern": "^https?://"}, "maxItems": 20},
            "translations": {
                "type": "object",
                "description": "Human translations of title and summary, keyed by language code.",
                "additionalProperties": translation,
            },
            "status": {"enum": list(IMPORT_STATUSES), "default": "draft"},
        },
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://cityexchange.org/schemas/practices-import.json",
        "title": "cityexchange practices import",
        "type": "array",
        "items": practice,
    }
