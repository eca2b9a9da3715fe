from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cityexchange.core"
    label = "core"
