from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "cityexchange.registry"
    label = "registry"

    def ready(self) -> None:
        from cityexchange.core import hooks

        from .city_names import name_in
        from .selectors import current_association

        hooks.provide("site.association", current_association)
        hooks.provide("city.name_in", name_in)
