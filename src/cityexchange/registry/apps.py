from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "cityexchange.registry"
    label = "registry"
