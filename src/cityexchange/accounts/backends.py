"""The password backend behind every sign-in (the login page, the admin's, the test client): Django's ModelBackend
with the throttle of accounts.throttle in front."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from . import throttle as throttling


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        if throttling.throttle.wait(username, request) is not None:
            # PermissionDenied stops Django from trying other backends: a locked account stays locked even for
            # the right password.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttling.throttle.failed(username, request)
        else:
            throttling.throttle.succeeded(username)
        return user
