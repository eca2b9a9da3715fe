from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "cityexchange.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from cityexchange.core import hooks, restrict

        from . import permissions, receivers  # receivers: connects the signal receivers
        from .library import LibrarySearch

        restrict.register(*permissions.POLICIES)
        hooks.provide("demo.load_context", receivers.indexing_deferred)
        hooks.provide("practices.search", LibrarySearch)
