"""What the desk translates — practices and challenges — behind one interface, so requests, versions, review and
reading work the same for both. Each kind says which texts it has, who owns it, when it may go to the desk, how its
approved translation is stored and where it is read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cityexchange.challenges.models import Challenge, ChallengeTranslation
from cityexchange.practices.models import Practice, PracticeTranslation

if TYPE_CHECKING:  # the stubs' name of a lazy translation
    from django.utils.functional import _StrPromise


@dataclass(frozen=True)
class Text:
    """One translated text: its name (on the original, the version and the translation), its label and limit;
    `optional` texts may stay empty only where the original's is empty."""

    name: str
    label: _StrPromise
    limit: int
    optional: bool = False
    markdown: bool = True


TITLE = Text("title", _("Title"), 200, markdown=False)
PRACTICE_TEXTS = (
    TITLE,
    Text("summary", _("Summary"), 2_000, markdown=False),
    Text("problem", _("The problem it addressed"), 20_000),
    Text("solution", _("The solution"), 20_000),
    Text("results_text", _("Results"), 20_000, optional=True),
)
CHALLENGE_TEXTS = (
    TITLE,
    Text("description", _("Description"), 20_000),
    Text("desired_outcome", _("Desired outcome"), 20_000, optional=True),
)
VERSION_TEXTS = ("title", "summary", "problem", "solution", "results_text", "description", "desired_outcome")


class Subject:
    kind = ""
    texts: Sequence[Text] = ()
    translation_model: type[Model]

    def __init__(self, item: Any) -> None:
        self.item = item

    @property
    def key(self) -> dict[str, Any]:
        """The field naming it on requests and versions: `{"practice": p}` or `{"challenge": c}`."""
        return {self.kind: self.item}

    @property
    def owner_city_id(self) -> int:
        return int(self.item.city_id)

    def is_open(self) -> bool:
        raise NotImplementedError

    def closed_message(self) -> str:
        raise NotImplementedError

    def indicator_names(self) -> list[str]:
        return []

    def digest(self) -> str:
        return str(self.item.source_digest())

    def current(self, code: str) -> Any:
        """The approved translation into `code`, or None."""
        raise NotImplementedError

    def store(self, values: dict[str, Any]) -> None:
        """Write an approved version as the item's translation into its language (values: the version's texts,
        language, translator, city, fingerprint, approval time)."""
        raise NotImplementedError

    def url(self) -> str:
        return reverse(f"{self.kind}s:detail", kwargs={f"{self.kind}_id": self.item.pk})

    def translate_url(self, code: str) -> str:
        if self.kind == "practice":
            return reverse("desk:translate", kwargs={"practice_id": self.item.pk, "language": code})
        return reverse("desk:translate_challenge", kwargs={"challenge_id": self.item.pk, "language": code})

    def ask_url(self) -> str:
        if self.kind == "practice":
            return reverse("desk:ask", kwargs={"practice_id": self.item.pk})
        return reverse("desk:ask_challenge", kwargs={"challenge_id": self.item.pk})


class PracticeSubject(Subject):
    kind = "practice"
    texts = PRACTICE_TEXTS
    translation_model = PracticeTranslation

    def is_open(self) -> bool:
        return bool(self.item.status == Practice.Status.PUBLISHED)

    def closed_message(self) -> str:
        return str(_("Only a published practice can be translated on the desk."))

    def indicator_names(self) -> list[str]:
        return [i.name for i in self.item.indicators.all()]

    def current(self, code: str) -> Any:
        return PracticeTranslation.objects.filter(
            practice=self.item, language_id=code, approved_at__isnull=False
        ).first()

    def store(self, values: dict[str, Any]) -> None:
        fields = ("title", "summary", "problem", "solution", "results_text", "indicator_names")
        PracticeTranslation.objects.update_or_create(
            practice=self.item,
            language_id=values["language"],
            defaults={k: values[k] for k in (*fields, "translated_by", "translated_for", "source_digest")}
            | {"approved_at": values["approved_at"]},
        )


class ChallengeSubject(Subject):
    kind = "challenge"
    texts = CHALLENGE_TEXTS
    translation_model = ChallengeTranslation

    def is_open(self) -> bool:
        # Withdrawn challenges leave the desk; solved ones stay readable and translatable.
        return bool(self.item.status != Challenge.Status.WITHDRAWN)

    def closed_message(self) -> str:
        return str(_("A withdrawn challenge is not translated on the desk."))

    def current(self, code: str) -> Any:
        return ChallengeTranslation.objects.filter(challenge=self.item, language_id=code).first()

    def store(self, values: dict[str, Any]) -> None:
        fields = ("title", "description", "desired_outcome", "translated_by", "translated_for", "source_digest")
        ChallengeTranslation.objects.update_or_create(
            challenge=self.item,
            language_id=values["language"],
            defaults={k: values[k] for k in fields} | {"approved_at": values["approved_at"]},
        )


def subject_of(item: Any) -> Subject:
    if isinstance(item, Practice):
        return PracticeSubject(item)
    if isinstance(item, Challenge):
        return ChallengeSubject(item)
    raise TypeError(type(item).__name__)
