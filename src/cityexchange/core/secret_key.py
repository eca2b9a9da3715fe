"""The server refuses to start in production (DEBUG off) with the public development SECRET_KEY: whoever knows the
key can forge sessions, password-reset links and signed e-mail confirmations.

Checked where a server starts — `cityexchange.wsgi` and `cityexchange.asgi` (gunicorn, uvicorn, and `runserver`,
which loads the same application), `cityexchange serve` — and by `cityexchange check --deploy`. Other commands
(migrate, worker, the demo's set-up) are not servers and are not stopped by it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

MESSAGE = (
    "DEBUG is false and SECRET_KEY is the public development default: set SECRET_KEY to a long random value, e.g. "
    "the output of `python -c \"import secrets; print(secrets.token_urlsafe(50))\"`, or DEBUG=true for development."
)


def uses_default_key_in_production() -> bool:
    return not settings.DEBUG and settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY


def refuse_default_key_in_production() -> None:
    if uses_default_key_in_production():
        raise ImproperlyConfigured(MESSAGE)


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if uses_default_key_in_production():
        return [Error(MESSAGE, id="cityexchange.E001")]
    return []
