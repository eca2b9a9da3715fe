"""E-mails of the translation desk, sent as background tasks after the transaction commits, each in the
recipient's language: translators hear of a new request in a language they declared, the practice's city of a
translation to approve, the translator of a version sent back, and readers who asked of the approved translation."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from cityexchange.accounts.mail import mail_each
from cityexchange.accounts.models import CityRole, User

from .models import LanguageSkill, TranslationRequest, TranslationVersion
from .subjects import subject_of


def _version(version_id: int) -> TranslationVersion | None:
    return (
        TranslationVersion.objects.select_related(
            "practice", "challenge", "contact_request", "language", "city", "translator"
        )
        .filter(pk=version_id)
        .first()
    )


@task()
def send_request_notice(request_id: int) -> int:
    """To the officers who declared the requested language (not the reader who asked)."""
    request = (
        TranslationRequest.objects.select_related("practice", "challenge", "contact_request", "language")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return 0
    item = request.item
    roles = CityRole.objects.filter(city__membership__status="active")
    cities = subject_of(item).translating_city_ids()
    if cities is not None:  # a private message: only its two cities' officers may read it, so only they hear of it
        roles = roles.filter(city_id__in=cities)
    users = list(
        User.objects.filter(
            is_active=True,
            pk__in=LanguageSkill.objects.filter(language_id=request.language_id).values("user_id"),
        )
        .filter(pk__in=roles.values("user_id"))
        .exclude(pk=request.requested_by_id)
        .order_by("pk")
    )
    link = settings.SITE_URL + subject_of(item).translate_url(request.language_id)

    def message(_user: User) -> tuple[str, str]:
        values = {"title": item.title, "lang": request.language.native_name, "link": link}
        return (
            _("Translation wanted into %(lang)s: %(title)s") % values,
            _(
                "A reader asked for “%(title)s” in %(lang)s, a language you declared on the "
                "translation desk.\n\nTranslate it here: %(link)s"
            )
            % values,
        )

    return mail_each(users, message)


@task()
def send_review_notice(version_id: int) -> int:
    """To the officers of the practice's city: a translation waits for their approval."""
    version = _version(version_id)
    if version is None or version.status != TranslationVersion.Status.SUBMITTED:
        return 0
    item = version.item
    users = list(
        User.objects.filter(
            is_active=True, pk__in=CityRole.objects.filter(city_id=subject_of(item).owner_city_id).values("user_id")
        ).order_by("pk")
    )
    link = settings.SITE_URL + reverse("desk:review", kwargs={"version_id": version.pk})

    def message(_user: User) -> tuple[str, str]:
        values = {"title": item.title, "lang": version.language.native_name, "city": version.city.name, "link": link}
        return (
            _("Translation to approve: %(title)s") % values,
            _(
                "An officer of %(city)s translated your city's “%(title)s” into %(lang)s. Approve it or "
                "send it back with a note: %(link)s"
            )
            % values,
        )

    return mail_each(users, message)


@task()
def send_returned_notice(version_id: int) -> int:
    """To the translator: their version was sent back, with the reviewer's note."""
    v = _version(version_id)
    if v is None or v.translator is None:
        return 0
    link = settings.SITE_URL + subject_of(v.item).translate_url(v.language_id)

    def message(_user: User) -> tuple[str, str]:
        values = {"title": v.item.title, "lang": v.language.native_name, "note": v.note, "link": link}
        return (
            _("Translation sent back: %(title)s") % values,
            _(
                "Your translation of “%(title)s” into %(lang)s was sent back with this note:\n\n%(note)s\n\n"
                "Correct it here: %(link)s"
            )
            % values,
        )

    return mail_each([v.translator], message)


@task()
def send_approved_notice(version_id: int, request_ids: list[int]) -> int:
    """To the readers who asked: the translation they wanted is there."""
    version = _version(version_id)
    if version is None:
        return 0
    users = list(
        User.objects.filter(
            is_active=True,
            pk__in=TranslationRequest.objects.filter(pk__in=request_ids).values("requested_by_id"),
        ).order_by("pk")
    )
    link = settings.SITE_URL + subject_of(version.item).url()

    def message(_user: User) -> tuple[str, str]:
        values = {
            "title": version.item.title,
            "lang": version.language.native_name,
            "city": version.city.name,
            "link": link,
        }
        return (
            _("Translation ready: %(title)s") % values,
            _("“%(title)s”, which you asked for, is now translated into %(lang)s by %(city)s: %(link)s") % values,
        )

    return mail_each(users, message)


def notify_translators(request: TranslationRequest) -> None:
    pk = request.pk
    transaction.on_commit(lambda: send_request_notice.enqueue(request_id=pk))


def notify_reviewers(version: TranslationVersion) -> None:
    pk = version.pk
    transaction.on_commit(lambda: send_review_notice.enqueue(version_id=pk))


def notify_translator(version: TranslationVersion) -> None:
    pk = version.pk
    transaction.on_commit(lambda: send_returned_notice.enqueue(version_id=pk))


def notify_askers(version: TranslationVersion, request_ids: list[int]) -> None:
    pk = version.pk
    if request_ids:
        transaction.on_commit(lambda: send_approved_notice.enqueue(version_id=pk, request_ids=list(request_ids)))
