"""Demo content of the translation desk (`cityexchange init --demo`): officers' declared languages, readers'
requests in several languages, and translations between languages other than English — a São Paulo practice in
Russian, a Shanghai practice in Hindi and a Kazan practice in Arabic, and a Bengaluru challenge in Chinese
(approved), and a Kazan practice in Portuguese waiting for Kazan's approval. Everything goes through the services;
a rerun changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from cityexchange.accounts.models import User
from cityexchange.challenges.models import Challenge
from cityexchange.core.errors import DomainError
from cityexchange.practices.models import Practice

from . import services
from .models import TranslationRequest, TranslationVersion
from .subjects import VERSION_TEXTS, subject_of

DATA = Path(__file__).parent / "data" / "demo_translations.json"


def _users(emails: list[str]) -> list[User]:
    found = {u.email: u for u in User.objects.filter(email__in=emails)}
    return [found[e] for e in emails if e in found]


def _ask(item: Any, language: str, emails: list[str]) -> int:
    asked = 0
    key = subject_of(item).key
    for user in _users(emails):
        if TranslationRequest.objects.filter(**key, language_id=language, requested_by=user).exists():
            continue  # asked on an earlier run (open or already fulfilled)
        try:
            services.translation_request(actor=user, item=item, language=language)
            asked += 1
        except DomainError:
            continue  # e.g. translated meanwhile: nothing to ask
    return asked


def _translate(target: Any, item: dict[str, Any]) -> str:
    language = item["language"]
    subject = subject_of(target)
    if subject.current(language) is not None:
        return "kept"
    people = _users([item["translator"], item["reviewer"]])
    if len(people) != 2:
        return "skipped"
    translator, reviewer = people
    version = TranslationVersion.objects.filter(
        **subject.key, language_id=language, status=TranslationVersion.Status.SUBMITTED
    ).first()
    if version is None:
        data = {k: item[k] for k in (*VERSION_TEXTS, "indicator_names") if k in item}
        version = services.translation_submit(actor=translator, item=target, language=language, data=data)
    if item.get("approve"):
        services.translation_approve(actor=reviewer, version=version)
        return "approved"
    return "waiting"


def _target(item: dict[str, Any]) -> Any:
    """The demo practice (published) or challenge an entry names by external id, or None when not loaded."""
    if "practice" in item:
        qs: Any = Practice.objects.filter(status=Practice.Status.PUBLISHED)
        external_id = item["practice"]
    else:
        qs = Challenge.objects.exclude(status=Challenge.Status.WITHDRAWN)
        external_id = item["challenge"]
    return qs.select_related("language", "city").filter(external_id=external_id).first()


def load(stdout: TextIO) -> list[tuple[str, str, str]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for email, codes in data["languages"].items():
        for user in _users([email]):
            services.languages_set(actor=user, languages=codes)
    outcomes: dict[str, int] = {}
    asked = 0
    for item in data["translations"]:
        target = _target(item)
        if target is None:
            continue
        asked += _ask(target, item["language"], item["asked_by"])
        outcome = _translate(target, item)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    for item in data["requests"]:
        target = _target(item)
        if target is not None:
            asked += _ask(target, item["language"], item["asked_by"])
    summary = ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items())) or "none"
    stdout.write(f"Demo translation desk: translations {summary}; {asked} new requests.")
    return []
