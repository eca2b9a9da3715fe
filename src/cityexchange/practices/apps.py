from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "cityexchange.practices"
    label = "practices"
