from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cityexchange.accounts"
    label = "accounts"
