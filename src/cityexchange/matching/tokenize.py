"""Language-aware tokenisation for lexical scoring, and a cheap language guess.

One function, :func:`tokenize`, serves indexing and querying on every database, which is the point of keeping
the lexical side in-process (see ``lexical.py``).

* Text is NFKC-normalised and case-folded; Arabic-script diacritics and tatweel are dropped and the letter
  variants that writers mix (alef forms, Persian/Arabic yeh and kaf) are unified, because queries and documents
  disagree on them far more often than the difference carries meaning.
* Scripts written with spaces (Latin, Cyrillic, Greek, Arabic, Devanagari, Ethiopic, ...) give word tokens. A
  "word" includes combining marks: Devanagari vowel signs and viramas are marks, not letters, and Python's ``\\w``
  would cut every Hindi word at them.
* Scripts written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar) give overlapping character bigrams: no
  dictionary to ship, robust to segmentation ambiguity, and the usual choice for CJK in BM25. Thai also gets
  trigrams because a Thai bigram is often only a consonant and a vowel sign, too common to discriminate.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from functools import lru_cache

# --- scripts -----------------------------------------------------------------------------------------------

# (first, last, script) ranges; only the blocks the association's languages use, plus neighbours.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "latin"),
    (0x1E00, 0x1EFF, "latin"),  # Latin Extended Additional: Vietnamese letters with two diacritics
    (0x0370, 0x03FF, "greek"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0530, 0x058F, "armenian"),
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0x0900, 0x097F, "devanagari"),
    (0x0980, 0x09FF, "bengali"),
    (0x0A00, 0x0A7F, "gurmukhi"),
    (0x0A80, 0x0AFF, "gujarati"),
    (0x0B80, 0x0BFF, "tamil"),
    (0x0C00, 0x0C7F, "telugu"),
    (0x0C80, 0x0CFF, "kannada"),
    (0x0D00, 0x0D7F, "malayalam"),
    (0x0E00, 0x0E7F, "thai"),
    (0x0E80, 0x0EFF, "lao"),
    (0x1000, 0x109F, "myanmar"),
    (0x10A0, 0x10FF, "georgian"),
    (0x1100, 0x11FF, "hangul"),
    (0x1200, 0x139F, "ethiopic"),
    (0x1780, 0x17FF, "khmer"),
    (0x1800, 0x18AF, "mongolian"),
    (0x3040, 0x309F, "kana"),
    (0x30A0, 0x30FF, "kana"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xF900, 0xFAFF, "han"),
    (0xAC00, 0xD7AF, "hangul"),
    (0x20000, 0x2FA1F, "han"),
)
# Scripts written without spaces between words: tokenised as character n-grams.
UNSPACED = frozenset({"han", "kana", "thai", "lao", "khmer", "myanmar"})

# The default language of a script when nothing else tells them apart.
SCRIPT_LANG = {
    "cyrillic": "ru",
    "greek": "el",
    "arabic": "ar",
    "devanagari": "hi",
    "bengali": "bn",
    "gurmukhi": "pa",
    "gujarati": "gu",
    "tamil": "ta",
    "telugu": "te",
    "kannada": "kn",
    "malayalam": "ml",
    "thai": "th",
    "lao": "lo",
    "myanmar": "my",
    "georgian": "ka",
    "hangul": "ko",
    "ethiopic": "am",
    "khmer": "km",
    "mongolian": "mn",
    "armenian": "hy",
    "hebrew": "he",
    "han": "zh",
    "kana": "ja",
    "latin": "en",
}


@lru_cache(maxsize=4096)
def script_of(char: str) -> str | None:
    code = ord(char)
    for first, last, name in _RANGES:
        if first <= code <= last:
            return name if char.isalpha() or unicodedata.category(char).startswith("M") else None
    return "other" if char.isalpha() else None


# --- normalisation -----------------------------------------------------------------------------------------

_ARABIC_BLOCK = re.compile("[\u0600-\u06ff]")
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat, tatweel
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ك": "ک", "ة": "ه"})


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("_", " ")
    if _ARABIC_BLOCK.search(text):
        text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)
    return text


def _mark_class() -> str:
    """A regex character class of every combining mark in the Basic Multilingual Plane."""
    ranges: list[list[int]] = []
    # Up to U+1DFF covers the marks of every script with spaces we tokenise by word (Indic, Arabic, Thai,
    # Myanmar, Khmer, ...); a shorter class keeps the regex fast.
    for code in range(0x300, 0x1E00):
        if unicodedata.category(chr(code)).startswith("M"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


_MARKS = _mark_class()
# A word: letters/digits (\w without underscore) plus combining marks.
# One character class (no alternation) is several times faster; underscores become spaces in normalise().
_WORD = re.compile(rf"[\w{_MARKS}]+", re.UNICODE)
# A base character with the combining marks that follow it.
_CLUSTER = re.compile(rf"[^{_MARKS}][{_MARKS}]*|[{_MARKS}]+")


# --- tokenisation ------------------------------------------------------------------------------------------


def _runs(word: str) -> list[tuple[str, str]]:
    """Split a word into (script, run) pieces, so mixed 'COVID-19疫苗' gives a Latin and a Han run."""
    out: list[tuple[str, str]] = []
    for ch in word:
        script = script_of(ch) or ("digit" if ch.isdigit() else "other")
        # Combining marks belong to the run they follow whatever block they come from.
        if out and (script == out[-1][0] or unicodedata.category(ch).startswith("M")):
            out[-1] = (out[-1][0], out[-1][1] + ch)
        else:
            out.append((script, ch))
    return out


def _clusters(run: str) -> list[str]:
    """Base characters with their combining marks: a Thai tone mark never starts an n-gram on its own."""
    return _CLUSTER.findall(run)


def _ngrams(run: str, n: int) -> list[str]:
    units = _clusters(run)
    if len(units) <= n:
        return ["".join(units)]
    return ["".join(units[i : i + n]) for i in range(len(units) - n + 1)]


# Characters of the unspaced scripts (their combining marks included: they sit in the same blocks).
_UNSPACED_CHARS = "".join(f"{chr(a)}-{chr(b)}" for a, b, name in _RANGES if name in UNSPACED)
_UNSPACED_RUN = re.compile(f"([{_UNSPACED_CHARS}]+)")


def tokenize(text: str) -> list[str]:
    """Lexical tokens of ``text`` (any language): words, or character n-grams for unspaced scripts."""
    tokens: list[str] = []
    for word in _WORD.findall(normalise(text)):
        # Fast path, nearly every word: no unspaced-script character, the word is the token.
        if word.isascii() or not _UNSPACED_RUN.search(word):
            tokens.append(word)
            continue
        for i, run in enumerate(_UNSPACED_RUN.split(word)):
            if not run:
                continue
            if i % 2 == 0:  # split() alternates: outside, inside, outside, ...
                tokens.append(run)
                continue
            tokens.extend(_ngrams(run, 2))
            if script_of(run[0]) == "thai" and len(_clusters(run)) > 3:
                tokens.extend(_ngrams(run, 3))
    return tokens


def term_counts(text: str) -> Counter[str]:
    return Counter(tokenize(text))


# --- language guess ----------------------------------------------------------------------------------------


def _words(spaced: str) -> list[str]:
    return spaced.split()


# A few very frequent function words per Latin-script language: enough to tell them apart on a sentence.
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(_words("the of and to in is for on that with as are by this from be was it an or how what")),
    "pt": frozenset(_words("de da do que em para com uma os as não por dos das na no é se ao mais como")),
    "es": frozenset(_words("de la que el en los las por con una para del es se al lo como más su qué")),
    "fr": frozenset(_words("de la le les des et en du une est pour que dans au sur qui par pas")),
    "de": frozenset(_words("der die und den das ist nicht von mit sich des auf für dem ein eine zu im wie was")),
    "it": frozenset(_words("di che il la per del della un una sono con non gli le nel")),
    "id": frozenset(_words("yang dan di dengan untuk dari ini itu dalam tidak pada adalah ke akan kota apa")),
    "tr": frozenset(_words("bir ve bu da de için ile olarak daha çok gibi ne olan kadar mı nedir")),
    "vi": frozenset(_words("của và các có là được trong cho những với một không người này đã khi gì")),
    "ms": frozenset(_words("yang dan di untuk dengan ini itu dalam adalah tidak akan oleh")),
}
# Letters that only some Latin-script languages use: strong evidence when present.
_LETTERS: dict[str, str] = {
    "vi": "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ",
    "tr": "ışğİ",
    "de": "äöüß",
    "pt": "ãõ",
    "es": "ñ¿¡",
}
_PERSIAN = set("پچژگکی")
_URDU = set("ٹڈڑںھےۓ")


def detect_language(text: str, default: str = "en") -> str:
    """Guess an ISO 639-1 code from the script, then cheap letter and stop-word evidence.

    Good enough to pick the per-language statistics a query is centred with (``bias.py``) when the caller
    does not know its language; a wrong guess between close languages costs little there.
    """
    counts: Counter[str] = Counter(s for s in map(script_of, normalise(text)) if s and s != "other")
    if not counts:
        return default
    if counts["kana"]:
        return "ja"  # Japanese mixes kana with Han; Chinese never uses kana
    script = counts.most_common(1)[0][0]
    if script == "arabic":
        letters = set(text)
        if letters & _URDU:
            return "ur"
        return "fa" if letters & _PERSIAN else "ar"
    if script == "cyrillic":
        lowered = text.lower()
        if any(ch in lowered for ch in "ўғқҳ"):
            return "uz"
        if any(ch in lowered for ch in "әғқңөұүһі"):
            return "kk"
        if any(ch in lowered for ch in "їєґі"):
            return "uk"
        return "ru"
    if script != "latin":
        return SCRIPT_LANG.get(script, default)
    lowered = normalise(text)
    scores: Counter[str] = Counter()
    for lang, marked in _LETTERS.items():
        scores[lang] += 3 * sum(lowered.count(ch) for ch in marked)
    for word in _WORD.findall(lowered):
        for lang, words in _STOPWORDS.items():
            if word in words:
                scores[lang] += 1
    if not scores or max(scores.values()) == 0:
        return default
    return scores.most_common(1)[0][0]


if __name__ == "__main__":  # pragma: no cover - manual check: python -m cityexchange.matching.tokenize TEXT
    print(detect_language(" ".join(sys.argv[1:])), tokenize(" ".join(sys.argv[1:])))
