"""The strings the code marks for translation, per catalogue, extracted the way `makemessages` does (templates
through Django's own templatize, then one xgettext run per catalogue) but into a temporary directory, so the check
never writes to the catalogues translators are filling.

Catalogues follow the Makefile's `catalogues` target: every app with a `locale/` directory has its own; the rest of
the package (accounts, core, registry, matching, the shared templates) shares `src/cityexchange/locale`.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings
from django.utils.translation import to_locale
from django.utils.translation.template import templatize

PACKAGE = Path(settings.BASE_DIR)
# The keywords makemessages gives xgettext for the "django" domain (xgettext adds gettext, ngettext and _).
KEYWORDS = [
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]
EXTENSIONS = {".py", ".html", ".txt"}

Key = tuple[str, str]  # (msgctxt or "", msgid)


@dataclass(frozen=True)
class Catalogue:
    """One catalogue: the directory holding `locale/` and the source files whose strings it carries."""

    name: str
    root: Path

    def po_path(self, lang: str) -> Path:
        return self.root / "locale" / to_locale(lang) / "LC_MESSAGES" / "django.po"

    def sources(self) -> list[Path]:
        app_roots = {c.root for c in catalogues() if c.root != PACKAGE}
        files = []
        for path in sorted(self.root.rglob("*")):
            if path.suffix not in EXTENSIONS or not path.is_file():
                continue
            rel = path.relative_to(self.root)
            if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
                continue
            if self.root == PACKAGE and (rel.parts[0] == "static" or any(r in path.parents for r in app_roots)):
                continue
            files.append(path)
        return files


def catalogues() -> list[Catalogue]:
    apps = [Catalogue(p.parent.name, p.parent) for p in sorted(PACKAGE.glob("*/locale")) if p.is_dir()]
    return [Catalogue("cityexchange", PACKAGE), *apps]


def ui_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def extract(catalogue: Catalogue) -> dict[Key, list[str]]:
    """Every marked string of the catalogue's sources, with the places it occurs ("practices/views.py:12")."""
    with tempfile.TemporaryDirectory(prefix="cx-messages-") as tmp:
        work = Path(tmp)
        inputs: list[str] = []
        for n, path in enumerate(catalogue.sources()):
            rel = path.relative_to(catalogue.root)
            if path.suffix == ".py":
                inputs.append(str(path))
                continue
            # Templates become Python-like text xgettext can read; the file keeps its name for the occurrences.
            out = work / str(n) / rel.with_suffix(rel.suffix + ".py")
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(templatize(path.read_text(encoding="utf-8"), origin=str(path)), encoding="utf-8")
            inputs.append(str(out))
        pot = work / "django.pot"
        listing = work / "files.txt"
        listing.write_text("\n".join(inputs), encoding="utf-8")
        subprocess.run(
            [
                "xgettext",
                "-d",
                "django",
                "--language=Python",
                *KEYWORDS,
                "--from-code=UTF-8",
                "--no-wrap",
                f"--files-from={listing}",
                f"--output={pot}",
            ],
            check=True,
            capture_output=True,
        )
        if not pot.exists():  # xgettext writes nothing when it finds no string
            return {}
        found: dict[Key, list[str]] = {}
        for entry in polib.pofile(str(pot)):
            places = [_place(file, line, catalogue.root, work) for file, line in entry.occurrences]
            found[(entry.msgctxt or "", entry.msgid)] = places
        return found


def _place(file: str, line: str, root: Path, work: Path) -> str:
    path = Path(file)
    if path.is_relative_to(work):
        rel = path.relative_to(work)
        path = Path(*rel.parts[1:]).with_suffix("")  # drop the numbered folder and the added ".py"
    elif path.is_relative_to(root):
        path = path.relative_to(root)
    return f"{path}:{line}"
