from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "cityexchange.desk"
    label = "desk"
