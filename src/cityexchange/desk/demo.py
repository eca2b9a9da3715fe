"""Demo content of the translation desk (`cityexchange init --demo`): officers' declared languages, readers'
requests in several languages, and translations between languages other than English — a São Paulo practice in
Russian, a Shanghai practice in Hindi and a Kazan practice in Arabic (approved), and a Kazan practice in Portuguese
waiting for Kazan's approval. Everything goes through the services; a rerun changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from cityexchange.accounts.models import User
from cityexchange.core.errors import DomainError
from cityexchange.practices.models import Practice, PracticeTranslation

from . import services
from .models import TranslationRequest, TranslationVersion

DATA = Path(__file__).parent / "data" / "demo_translations.json"
TEXT_FIELDS = ("title", "summary", "problem", "solution", "results_text", "indicator_names")


def _users(emails: list[str]) -> list[User]:
    found = {u.email: u for u in User.objects.filter(email__in=emails)}
    return [found[e] for e in emails if e in found]


def _ask(practice: Practice, language: str, emails: list[str]) -> int:
    asked = 0
    for user in _users(emails):
        if TranslationRequest.objects.filter(practice=practice, language_id=language, requested_by=user).exists():
            continue  # asked on an earlier run (open or already fulfilled)
        try:
            services.translation_request(actor=user, item=practice, language=language)
            asked += 1
        except DomainError:
            continue  # e.g. translated meanwhile: nothing to ask
    return asked


def _translate(practice: Practice, item: dict[str, Any]) -> str:
    language = item["language"]
    if PracticeTranslation.objects.filter(practice=practice, language_id=language, approved_at__isnull=False).exists():
        return "kept"
    people = _users([item["translator"], item["reviewer"]])
    if len(people) != 2:
        return "skipped"
    translator, reviewer = people
    version = TranslationVersion.objects.filter(
        practice=practice, language_id=language, status=TranslationVersion.Status.SUBMITTED
    ).first()
    if version is None:
        data = {k: item[k] for k in TEXT_FIELDS}
        version = services.translation_submit(actor=translator, item=practice, language=language, data=data)
    if item.get("approve"):
        services.translation_approve(actor=reviewer, version=version)
        return "approved"
    return "waiting"


def load(stdout: TextIO) -> list[tuple[str, str, str]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for email, codes in data["languages"].items():
        for user in _users([email]):
            services.languages_set(actor=user, languages=codes)
    practices = {
        p.external_id: p
        for p in Practice.objects.filter(status=Practice.Status.PUBLISHED).select_related("language", "city")
    }
    outcomes: dict[str, int] = {}
    asked = 0
    for item in data["translations"]:
        practice = practices.get(item["practice"])
        if practice is None:
            continue
        asked += _ask(practice, item["language"], item["asked_by"])
        outcome = _translate(practice, item)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    for item in data["requests"]:
        practice = practices.get(item["practice"])
        if practice is not None:
            asked += _ask(practice, item["language"], item["asked_by"])
    summary = ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items())) or "none"
    stdout.write(f"Demo translation desk: translations {summary}; {asked} new requests.")
    return []
