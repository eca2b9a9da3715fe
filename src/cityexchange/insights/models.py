"""Suggested partnerships computed in the background (`tasks.refresh_suggestions`), one row per scope.

The network page shows the stored row and never runs the matching engine itself (it embeds every challenge: up to
a minute with the real model). A row keeps the database version it was computed at, so the page knows when a
refresh is due."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SuggestionSet(models.Model):
    scope = models.CharField(_("scope"), max_length=10, unique=True)  # "public" or "all"
    version = models.CharField(_("data version"), max_length=40)
    method = models.CharField(_("method"), max_length=10, blank=True)  # "engine", "sectors" or "" (none found)
    suggestions = models.JSONField(_("suggestions"), default=list)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("suggested partnerships")
        verbose_name_plural = _("suggested partnerships")

    def __str__(self) -> str:
        return f"{self.scope} @ {self.version}"
