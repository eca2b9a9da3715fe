from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "cityexchange.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from cityexchange.core import hooks

        from . import receivers  # connects the signal receivers
        from .library import LibrarySearch

        hooks.provide("demo.load_context", receivers.indexing_deferred)
        hooks.provide("practices.search", LibrarySearch)
