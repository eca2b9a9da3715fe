"""The PostgreSQL back end of the search index (pgvector + full-text): see store.py."""

from __future__ import annotations

from .memory_index import MemoryBackend

BACKEND = MemoryBackend()
