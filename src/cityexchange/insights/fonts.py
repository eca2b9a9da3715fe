"""Which fonts the content's scripts need, and whether fontconfig has them (WeasyPrint draws with fontconfig's
fonts and embeds them in the PDF; a missing one would print boxes, so the report names it instead).

Debian's `fonts-noto-core` and `fonts-noto-cjk` provide every family below (`make browser` installs them).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

# (script, a sample in it, the family that renders it, fontconfig language for `fc-match`)
SCRIPTS: list[tuple[object, str, str, str]] = [
    (_("Latin"), "São Paulo", "Noto Sans", "pt"),
    (_("Cyrillic"), "Казань", "Noto Sans", "ru"),
    (_("Devanagari"), "पुणे", "Noto Sans Devanagari", "hi"),
    (_("Arabic and Persian"), "اصفهان", "Noto Sans Arabic", "fa"),
    (_("Chinese"), "上海", "Noto Sans CJK SC", "zh-cn"),
]
FONT_FAMILIES = ", ".join(f"'{family}'" for family in dict.fromkeys(s[2] for s in SCRIPTS)) + ", sans-serif"


@dataclass(frozen=True)
class FontCheck:
    script: str
    sample: str
    family: str
    found: bool
    fallback: str  # what fontconfig would use instead for that language


def _run(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


@lru_cache(maxsize=1)
def installed_families() -> frozenset[str]:
    """Every family fontconfig knows (empty when fontconfig's tools are not installed)."""
    if not shutil.which("fc-list"):
        return frozenset()
    names: set[str] = set()
    for line in _run("fc-list", ":", "family").splitlines():
        names.update(part.strip() for part in line.split(",") if part.strip())
    return frozenset(names)


def font_checks() -> list[FontCheck]:
    families = installed_families()
    out = []
    for script, sample, family, lang in SCRIPTS:
        found = family in families
        fallback = "" if found else _run("fc-match", "-f", "%{family}", f":lang={lang}").strip()
        out.append(FontCheck(str(script), sample, family, found, fallback))
    return out


def missing_fonts() -> list[FontCheck]:
    return [check for check in font_checks() if not check.found]
