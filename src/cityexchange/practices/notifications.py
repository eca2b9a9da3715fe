"""E-mails about a practice's review: to the secretariat on submission, to the city on return and publication.

Sent as background tasks after the transaction commits, each in the recipient's preferred language.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from cityexchange.accounts.mail import mail_each
from cityexchange.accounts.models import CityRole, User

from .models import Practice

EVENTS = ("submitted", "returned", "published")


def _recipients(practice: Practice, event: str) -> list[User]:
    if event == "submitted":
        users = User.objects.filter(is_active=True, is_secretariat=True)
    else:
        users = User.objects.filter(
            is_active=True, pk__in=CityRole.objects.filter(city_id=practice.city_id).values("user_id")
        )
    return [u for u in users.order_by("pk") if u.email]


def _message(practice: Practice, event: str) -> tuple[str, str]:
    link = settings.SITE_URL + reverse("practices:detail", kwargs={"practice_id": practice.pk})
    values = {"title": practice.title, "city": practice.city.name, "link": link, "comment": practice.review_comment}
    if event == "submitted":
        return (
            _("Practice to review: %(title)s") % values,
            _("%(city)s submitted the practice “%(title)s” for review.\n\nReview it here: %(link)s") % values,
        )
    if event == "returned":
        return (
            _("Practice returned: %(title)s") % values,
            _(
                "The secretariat returned the practice “%(title)s” to %(city)s with these comments:\n\n%(comment)s\n\n"
                "Edit it and submit it again: %(link)s"
            )
            % values,
        )
    return (
        _("Practice published: %(title)s") % values,
        _("The practice “%(title)s” of %(city)s is now published: %(link)s") % values,
    )


@task()
def send_practice_notice(practice_id: int, event: str) -> int:
    """Returns the number of e-mails sent."""
    practice = Practice.objects.select_related("city").filter(pk=practice_id).first()
    if practice is None or event not in EVENTS:
        return 0
    return mail_each(_recipients(practice, event), lambda _user: _message(practice, event))


def notify(practice: Practice, event: str) -> None:
    practice_id = practice.pk
    transaction.on_commit(lambda: send_practice_notice.enqueue(practice_id=practice_id, event=event))
