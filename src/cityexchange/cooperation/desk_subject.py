"""Contact messages on the translation desk (registered in `CooperationConfig.ready()`).

A contact message is private: only the officers of the city that sent it, of the city it was sent to, and the
secretariat see it. So only they may ask for a translation (they are the only ones who reach its page), only
officers of those two cities may translate it (a volunteer of another city would have to read it first), and the
desk lists its requests and mails its translators within that circle only. The city that wrote it approves, as a
practice's own city does: it knows what it meant. The message is never edited, so a translation never goes out of
date."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityexchange.accounts.permissions import is_secretariat, user_city_ids
from cityexchange.core.restrict import allows
from cityexchange.desk.subjects import Subject, Text

from .models import ContactRequest, ContactRequestTranslation

MESSAGE_TEXTS = (Text("message", gettext_lazy("Message"), 10_000, markdown=False),)


class ContactMessageSubject(Subject):
    kind = "contact_request"
    label = gettext_lazy("Message")
    texts = MESSAGE_TEXTS
    translation_model = ContactRequestTranslation
    ask_view, translate_view, id_kwarg = "desk:ask_message", "desk:translate_message", "contact_request_id"
    private = True

    @property
    def owner_city_id(self) -> int:
        return int(self.item.from_city_id)

    def is_open(self) -> bool:
        return bool(self.item.language_id) and self.item.status != ContactRequest.Status.WITHDRAWN

    def closed_message(self) -> str:
        if not self.item.language_id:
            return _("The language of this message was not recorded, so it cannot be translated on the desk.")
        return _("A withdrawn message is not translated on the desk.")

    def digest(self) -> str:
        return self.item.source_digest()

    def current(self, code: str) -> Any:
        return ContactRequestTranslation.objects.filter(contact_request=self.item, language_id=code).first()

    def store(self, values: dict[str, Any]) -> None:
        fields = ("message", "translated_by", "translated_for", "source_digest")
        ContactRequestTranslation.objects.update_or_create(
            contact_request=self.item,
            language_id=values["language"],
            defaults={k: values[k] for k in fields} | {"approved_at": values["approved_at"]},
        )

    def may_approve(self, user: Any) -> bool:
        return is_secretariat(user) or allows(user, self.item, "withdraw")  # "withdraw": the sending city's officers

    def translating_city_ids(self) -> set[int] | None:
        return {self.item.from_city_id, self.item.to_city_id}

    def url(self) -> str:
        return reverse("cooperation:contact", kwargs={"pk": self.item.pk})

    @classmethod
    def on_desk(cls) -> Q:
        return Q(contact_request__language__isnull=False) & ~Q(contact_request__status=ContactRequest.Status.WITHDRAWN)

    @classmethod
    def listed_for(cls, user: Any) -> Q:
        """Only the rows of messages `user` may read (cooperation.permissions.ContactRequestPolicy)."""
        return Q(contact_request__in=ContactRequest.objects.restrict(user).values("pk"))

    def may_see(self, user: Any) -> bool:
        return ContactRequest.objects.restrict(user).filter(pk=self.item.pk).exists()

    @classmethod
    def reviewed_by(cls, user: Any) -> Q:
        return Q(contact_request__from_city_id__in=user_city_ids(user))

    @classmethod
    def load(cls, ids: set[int]) -> dict[int, Any]:
        qs = ContactRequest.objects.select_related("from_city", "from_city__country", "to_city", "language")
        return {r.pk: r for r in qs.filter(pk__in=ids)}
