"""Text helpers shared by search: one normalisation for every script."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive key: 'Kazań', 'KAZAN' and 'kazan' give the same key.

    Combining marks are dropped after NFKD, which removes Latin accents and Arabic harakat; Devanagari vowel
    signs are combining marks too, but the same folding is applied to names and queries, so matching is
    unaffected. Apostrophe-like characters are removed because transliterations disagree on them.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = [c for c in decomposed if not unicodedata.combining(c) and c not in "'’ʼ`ʹ"]
    return " ".join("".join(kept).casefold().replace("-", " ").split())
