from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "cityexchange.cooperation"
    label = "cooperation"
