"""Remove the language signal from embeddings, so an answer in another language can outrank a same-language one.

multilingual-e5 vectors carry a strong "which language is this" component: every Russian sentence leans the
same way. A Russian question then scores Russian sentences higher whatever they say, and on the pooled
LAReQA task the raw model reaches only mAP 0.30. The remedy is language-specific mean centring (Libovický et
al., "On the Language Neutrality of Pre-trained Multilingual Representations", 2020; Yang et al., LAReQA 2020):
subtract each language's mean passage vector from that language's passages and renormalise.

All statistics are fitted, without labels, on the corpus being indexed: the mean of each language's passages,
shrunk towards the global mean when a language has few passages (a handful of documents would otherwise
define their own "language direction" and lose their content). Nothing is fitted on queries or relevance
judgements, so the same code works on corpora the benchmark never saw.

The engine never materialises a second, centred matrix: with ``p`` unit length and ``m`` its language's mean,
``q . (p - m) / |p - m| = (q . p - q . m) / |p - m|``, so it keeps the raw vectors, one norm per row and a
(languages x dim) matrix of means, and centring costs one extra tiny matmul per query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

# Passages a language needs before its own mean is trusted as much as the global one.
SHRINKAGE = 20.0


@dataclass
class LanguageCentering:
    """Per-language means fitted on indexed passages. ``langs`` orders the rows of ``means``."""

    langs: list[str] = field(default_factory=list)
    means: Vectors = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    global_mean: Vectors = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    counts: dict[str, int] = field(default_factory=dict)
    # Prior language offsets (shipped means relative to the corpus's languages), for languages it lacks.
    offsets: dict[str, Vectors] = field(default_factory=dict)

    @classmethod
    def fit(
        cls,
        vectors: Vectors,
        langs: list[str] | npt.NDArray[np.str_],
        shrinkage: float = SHRINKAGE,
        priors: Mapping[str, Vectors] | None = None,
    ) -> LanguageCentering:
        """Means of each language's rows, shrunk by ``shrinkage`` pseudo-rows towards a prior.

        The prior of a language is the corpus's global mean moved by that language's offset in ``priors``
        (shipped means, ``priors.py``) relative to the other languages of the corpus. Only the *language*
        direction is borrowed from the shipped text; the topic of the corpus stays the corpus's own. Without a
        prior for a language the offset is zero, i.e. plain shrinkage towards the global mean.
        """
        labels = np.asarray(langs)
        if len(vectors) == 0:
            return cls()
        names = sorted(set(labels.tolist()))
        sums = {name: vectors[labels == name].sum(axis=0) for name in names}
        counts = {name: int((labels == name).sum()) for name in names}
        return cls.from_sums(sums, counts, shrinkage, priors)

    @classmethod
    def from_sums(
        cls,
        sums: Mapping[str, Vectors],
        counts: Mapping[str, int],
        shrinkage: float = SHRINKAGE,
        priors: Mapping[str, Vectors] | None = None,
    ) -> LanguageCentering:
        """:meth:`fit` from each language's sum of vectors and count: what a streaming pass over stored vectors
        gives without holding them all in memory."""
        names = sorted(n for n in sums if counts.get(n, 0) > 0)
        if not names:
            return cls()
        total = sum(counts[n] for n in names)
        global_mean = (np.sum([sums[n] for n in names], axis=0) / total).astype(np.float32)
        priors = priors or {}
        known = [n for n in names if n in priors]
        offsets: dict[str, Vectors] = {}
        if known:
            weights = np.array([counts[n] for n in known], dtype=np.float32)
            centre = (np.stack([priors[n] for n in known]) * weights[:, None]).sum(axis=0) / weights.sum()
            # Every prior language gets an offset, so a query in a language the corpus lacks can still be
            # centred along its own language direction (mean_of).
            offsets = {n: (v - centre).astype(np.float32) for n, v in priors.items() if v.shape == centre.shape}
        means = np.zeros((len(names), len(global_mean)), dtype=np.float32)
        for i, name in enumerate(names):
            prior = global_mean + offsets.get(name, 0.0)
            means[i] = (sums[name] + shrinkage * prior) / (counts[name] + shrinkage)
        return cls(names, means, global_mean, {n: int(counts[n]) for n in names}, offsets)

    def index_of(self, lang: str) -> int:
        """Row of ``lang`` in :attr:`means`, or -1 (the global mean) for a language the corpus lacks."""
        try:
            return self.langs.index(lang)
        except ValueError:
            return -1

    def mean_of(self, lang: str) -> Vectors:
        i = self.index_of(lang)
        if i >= 0:
            return self.means[i]
        offset = self.offsets.get(lang)
        return self.global_mean + offset if offset is not None else self.global_mean

    def row_means(self, langs: list[str]) -> Vectors:
        if not self.langs:
            return np.zeros((len(langs), 0), dtype=np.float32)
        table = np.vstack([self.means, self.global_mean[None, :]])
        idx = np.array([self.index_of(lang) for lang in langs], dtype=np.int64)
        idx[idx < 0] = len(self.langs)
        return table[idx]

    def nearest_language(self, vector: Vectors) -> str | None:
        """The language whose mean is closest to ``vector``: a second opinion for language detection that
        knows the corpus's languages (script alone cannot tell Spanish from Portuguese)."""
        if not self.langs:
            return None
        return self.langs[int(np.argmax(self.means @ vector))]

    @property
    def empty(self) -> bool:
        return not self.langs
