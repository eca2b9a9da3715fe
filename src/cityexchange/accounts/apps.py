from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cityexchange.accounts"
    label = "accounts"

    def ready(self) -> None:
        from cityexchange.core import hooks, restrict

        from . import permissions
        from .services import api_token_authenticate

        restrict.register(*permissions.POLICIES)
        hooks.provide("api.token_user", api_token_authenticate)
