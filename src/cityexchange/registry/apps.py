from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "cityexchange.registry"
    label = "registry"

    def ready(self) -> None:
        from cityexchange.core import hooks, restrict

        from . import permissions
        from .city_names import name_in
        from .selectors import active_member_cities, current_association, get_city

        restrict.register(*permissions.POLICIES)
        hooks.provide("site.association", current_association)
        hooks.provide("accounts.city", get_city)
        hooks.provide("accounts.member_cities", active_member_cities)
        hooks.provide("city.name_in", name_in)
