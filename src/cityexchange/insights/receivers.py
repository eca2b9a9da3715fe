"""Keeps the insights current: every write to data the figures, the map or the network read moves the data
version (`selectors.bump_version`, after commit), and changes the suggested partnerships read enqueue their
refresh (`tasks.schedule_refresh`).

post_save/post_delete also clear this process's memoised version at once (before commit), so a request in the
same process never keys on the version from before the write.

A practice counts for the suggestions only while published (they read published practices only): saving a draft
moves the figures' version but enqueues no refresh; leaving publication is announced by `practice_changed`.
Everything here runs after the commit, next to the matching index's enqueue: it fails soft (a warning in the log),
so a cache or queue hiccup never turns a committed write into an error or keeps the index task from being queued.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from cityexchange.challenges.models import Challenge
from cityexchange.challenges.signals import challenge_changed
from cityexchange.practices.models import Practice
from cityexchange.practices.signals import practice_changed
from cityexchange.registry.models import BlocStatus, City, Country, Membership, Sector

from . import cooperation_data, selectors, tasks

# Models whose rows the figures, the map or the network read.
VERSIONED: list[Any] = [Practice, Challenge, Membership, City, Country, BlocStatus, Sector]
# Those that change the suggested partnerships (with the cooperation tables, added below).
SUGGESTION_INPUTS: list[Any] = [Practice, Challenge, Membership]


logger = logging.getLogger(__name__)


def _affects_suggestions(sender: Any, instance: Any) -> bool:
    if sender not in SUGGESTION_INPUTS:
        return False
    # A draft, submitted or returned practice is invisible to the suggestions (see _offers in selectors).
    return not (isinstance(instance, Practice) and instance.status != Practice.Status.PUBLISHED)


def _schedule_refresh() -> None:
    try:
        tasks.schedule_refresh()
    except Exception:  # the network page schedules it again when it finds its suggestions out of date
        logger.warning("refresh of suggested partnerships not queued", exc_info=True)


def _changed(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    selectors.forget_version()
    transaction.on_commit(selectors.bump_version)
    if _affects_suggestions(sender, instance):
        transaction.on_commit(_schedule_refresh)


def _signalled(sender: Any, **kwargs: Any) -> None:
    """practice_changed / challenge_changed: sent after commit by the services."""
    selectors.bump_version()
    _schedule_refresh()


def connect() -> None:
    models = list(VERSIONED)
    for model in cooperation_data.cooperation_models():
        models.append(model)
        SUGGESTION_INPUTS.append(model)
    for model in models:
        post_save.connect(_changed, sender=model, dispatch_uid=f"insights-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"insights-delete-{model._meta.label}")
    for through in (Practice.sectors.through, Challenge.sectors.through):
        m2m_changed.connect(_m2m, sender=through, dispatch_uid=f"insights-m2m-{through._meta.label}")
    practice_changed.connect(_signalled, dispatch_uid="insights-practice-changed")
    challenge_changed.connect(_signalled, dispatch_uid="insights-challenge-changed")


def _m2m(sender: Any, action: str, instance: Any = None, **kwargs: Any) -> None:
    if action.startswith("post_"):
        _changed(Practice if sender is Practice.sectors.through else Challenge, instance=instance)
