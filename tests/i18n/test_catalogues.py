"""The catalogue check: every catalogue of every UI language is complete (no entry empty or fuzzy) and carries
every string the code marks for translation. Fails naming the file and the msgid; fixed by translating the entry,
or by `make catalogues` when the code gained strings (then translating them)."""

from __future__ import annotations

import subprocess
from functools import cache

import polib
import pytest

from tests.i18n.extraction import Catalogue, Key, catalogues, extract, ui_languages

CATALOGUES = catalogues()
PAIRS = [(c, lang) for c in CATALOGUES for lang in ui_languages()]


@cache
def _extracted(catalogue: Catalogue) -> dict[Key, list[str]]:
    return extract(catalogue)


def _entries(catalogue: Catalogue, lang: str) -> list[polib.POEntry]:
    path = catalogue.po_path(lang)
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make catalogues`")
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


def _name(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt} | {entry.msgid!r}" if entry.msgctxt else repr(entry.msgid)


@pytest.mark.parametrize(("catalogue", "lang"), PAIRS, ids=[f"{c.name}-{lang}" for c, lang in PAIRS])
def test_every_entry_is_translated_and_none_is_fuzzy(catalogue: Catalogue, lang: str) -> None:
    entries = _entries(catalogue, lang)
    path = catalogue.po_path(lang).relative_to(catalogue.root.parent)
    untranslated = [f"{path}: untranslated {_name(e)}" for e in entries if not e.translated() and not e.fuzzy]
    fuzzy = [f"{path}: fuzzy {_name(e)}" for e in entries if e.fuzzy]
    problems = untranslated + fuzzy
    assert not problems, f"{len(problems)} entries to translate:\n" + "\n".join(problems)


@pytest.mark.parametrize(("catalogue", "lang"), PAIRS, ids=[f"{c.name}-{lang}" for c, lang in PAIRS])
def test_catalogue_carries_every_string_of_the_code(catalogue: Catalogue, lang: str) -> None:
    present = {(e.msgctxt or "", e.msgid) for e in _entries(catalogue, lang)}
    path = catalogue.po_path(lang).relative_to(catalogue.root.parent)
    missing = [
        f"{path}: missing {key[1]!r}" + (f" (context {key[0]!r})" if key[0] else "") + f" from {', '.join(places[:3])}"
        for key, places in sorted(_extracted(catalogue).items())
        if key not in present
    ]
    assert not missing, f"{len(missing)} strings not in the catalogue (run `make catalogues`):\n" + "\n".join(missing)


def test_extraction_finds_marked_strings_of_python_and_templates() -> None:
    """The extraction itself: strings marked in Python and in templates are found, with where they occur."""
    found = _extracted(CATALOGUES[0])
    assert ("", "Skip to content") in found  # templates/base.html
    assert any(place.startswith("templates/base.html:") for place in found[("", "Skip to content")])
    assert ("", "Active member") in found  # registry/models.py, gettext_lazy
    # Strings of an app with its own catalogue are not the shared catalogue's.
    assert not any(place.startswith(("practices/", "forum/")) for places in found.values() for place in places)


@pytest.mark.parametrize(("catalogue", "lang"), PAIRS, ids=[f"{c.name}-{lang}" for c, lang in PAIRS])
def test_catalogue_compiles_with_a_valid_header_and_formats(catalogue: Catalogue, lang: str) -> None:
    """msgfmt's own checks: the header (a plural formula Django can evaluate) and placeholders kept in every
    translation ("%(city)s" translated as "%(город)s" would break the page at run time)."""
    path = catalogue.po_path(lang)
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, f"{path.relative_to(catalogue.root.parent)}:\n{done.stderr}"
    header = polib.pofile(str(path)).metadata.get("Plural-Forms", "")
    assert "INTEGER" not in header and "EXPRESSION" not in header, f"{path}: Plural-Forms not filled in: {header}"
