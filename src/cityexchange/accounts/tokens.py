"""Personal API tokens: random, shown once, stored as SHA-256 (a fast hash is right for 256-bit random keys)."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "cx_"  # noqa: S105 - a public prefix, not a secret


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX) and 20 <= len(value) <= 80 and value.isascii()
