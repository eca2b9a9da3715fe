"""What the desk translates — practices, challenges and contact messages — behind one interface, so requests,
versions, review and reading work the same for all. Each kind says which texts it has, who owns it, when it may go
to the desk, who may see it there, how its approved translation is stored and where it is read.

Practices and challenges are the desk's own kinds. An app above the desk adds a kind by registering its subject
class (`register(Model, SubjectClass)` from its `AppConfig.ready()`): cooperation adds contact messages
(`cooperation/desk_subject.py`), which are private — only the two cities' officers and the secretariat see them, so
only they are offered, listed, mailed or allowed anything about them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import Model, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cityexchange.challenges.models import Challenge, ChallengeTranslation
from cityexchange.core.restrict import EVERYTHING
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
VERSION_TEXTS = ("title", "summary", "problem", "solution", "results_text", "description", "desired_outcome", "message")


class Subject:
    """One item on the desk. `kind` is also the name of the field that points at it from a request or a version
    (`TranslationRequest.practice`, `.challenge`, `.contact_request`)."""

    kind: ClassVar[str] = ""
    label: ClassVar[_StrPromise]  # what the desk calls an item of this kind: "Practice", "Challenge", "Message"
    texts: ClassVar[Sequence[Text]] = ()
    translation_model: ClassVar[type[Model]]
    # The desk's pages for this kind: the reader's request and the translation form (`<id_kwarg>`, `language`).
    ask_view: ClassVar[str] = ""
    translate_view: ClassVar[str] = ""
    id_kwarg: ClassVar[str] = ""
    # Private items are seen by some only: requests are listed, translators mailed and versions shown to them only.
    private: ClassVar[bool] = False

    def __init__(self, item: Any) -> None:
        self.item = item

    @property
    def key(self) -> dict[str, Any]:
        """The field naming it on requests and versions: `{"practice": p}` or `{"challenge": c}`."""
        return {self.kind: self.item}

    @property
    def owner_city_id(self) -> int:
        """The city that wrote it: it (or the secretariat) approves translations."""
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

    def may_see(self, user: Any) -> bool:
        """Whether `user` may read it (asked again by the services for private items: a page found it already)."""
        return True

    def may_approve(self, user: Any) -> bool:
        from .permissions import can_approve

        return can_approve(user, self.item)

    def translating_city_ids(self) -> set[int] | None:
        """The cities whose officers may translate it; None: any member city's."""
        return None

    def url(self) -> str:
        return reverse(f"{self.kind}s:detail", kwargs={f"{self.kind}_id": self.item.pk})

    def translate_url(self, code: str) -> str:
        return reverse(self.translate_view, kwargs={self.id_kwarg: self.item.pk, "language": code})

    def ask_url(self) -> str:
        return reverse(self.ask_view, kwargs={self.id_kwarg: self.item.pk})

    # --- over the desk's rows (requests, versions) of this kind ---

    @classmethod
    def on_desk(cls) -> Q:
        """Requests whose item may be worked on at the desk (a published practice, a challenge not withdrawn)."""
        raise NotImplementedError

    @classmethod
    def listed_for(cls, user: Any) -> Q:
        """Rows of this kind `user` may see on the desk: all, unless the kind is private."""
        return EVERYTHING

    @classmethod
    def reviewed_by(cls, user: Any) -> Q:
        """Versions of this kind `user`'s cities review (the owning city's); the secretariat's are all."""
        from cityexchange.accounts.permissions import user_city_ids

        return Q(**{f"{cls.kind}__city_id__in": user_city_ids(user)})

    @classmethod
    def load(cls, ids: set[int]) -> dict[int, Any]:
        """The items with these ids, with what the desk shows of them."""
        raise NotImplementedError

    @classmethod
    def stale(cls, ids: set[int]) -> set[tuple[int, str]]:
        """(item id, language) of the approved translations of these items that went out of date."""
        return set()


class PracticeSubject(Subject):
    kind = "practice"
    label = _("Practice")
    texts = PRACTICE_TEXTS
    translation_model = PracticeTranslation
    ask_view, translate_view, id_kwarg = "desk:ask", "desk:translate", "practice_id"

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

    @classmethod
    def on_desk(cls) -> Q:
        return Q(practice__status=Practice.Status.PUBLISHED)

    @classmethod
    def load(cls, ids: set[int]) -> dict[int, Any]:
        qs = Practice.objects.prefetch_related("indicators").select_related("city", "city__country", "language")
        return {p.pk: p for p in qs.filter(pk__in=ids)}

    @classmethod
    def stale(cls, ids: set[int]) -> set[tuple[int, str]]:
        translations = (
            PracticeTranslation.objects.filter(practice_id__in=ids, approved_at__isnull=False)
            .select_related("practice")
            .prefetch_related("practice__indicators")
        )
        return {(t.practice_id, t.language_id) for t in translations if t.is_out_of_date}


class ChallengeSubject(Subject):
    kind = "challenge"
    label = _("Challenge")
    texts = CHALLENGE_TEXTS
    translation_model = ChallengeTranslation
    ask_view, translate_view, id_kwarg = "desk:ask_challenge", "desk:translate_challenge", "challenge_id"

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

    @classmethod
    def on_desk(cls) -> Q:
        return Q(challenge__isnull=False) & ~Q(challenge__status=Challenge.Status.WITHDRAWN)

    @classmethod
    def load(cls, ids: set[int]) -> dict[int, Any]:
        qs = Challenge.objects.select_related("city", "city__country", "language")
        return {c.pk: c for c in qs.filter(pk__in=ids)}

    @classmethod
    def stale(cls, ids: set[int]) -> set[tuple[int, str]]:
        translations = ChallengeTranslation.objects.filter(challenge_id__in=ids).select_related("challenge")
        return {(t.challenge_id, t.language_id) for t in translations if t.is_out_of_date}


_kinds: dict[type[Model], type[Subject]] = {Practice: PracticeSubject, Challenge: ChallengeSubject}


def register(model: type[Model], subject: type[Subject]) -> None:
    """Put another kind of item on the desk (from the providing app's `AppConfig.ready()`; idempotent)."""
    _kinds[model] = subject


def kinds() -> list[type[Subject]]:
    """Every kind on the desk, practices and challenges first."""
    return list(_kinds.values())


def message_model() -> type[Model]:
    """The model of contact messages (cooperation's), found through the desk's own relation to it rather than
    imported from an app above the desk."""
    from .models import TranslationRequest

    model = TranslationRequest._meta.get_field("contact_request").related_model
    assert isinstance(model, type)
    return model


def listed_for(user: Any) -> Q:
    """Requests or versions `user` may see on the desk: every row of a public kind, a private kind's where `user`
    may read its item."""
    rows = EVERYTHING
    for kind in kinds():
        if kind.private:
            rows &= Q(**{f"{kind.kind}__isnull": True}) | kind.listed_for(user)
    return rows


def subject_of(item: Any) -> Subject:
    kind = _kinds.get(type(item))
    if kind is None:
        raise TypeError(type(item).__name__)
    return kind(item)
