from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import time_zones
from .models import CityRole, User


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    locked_for: int | None = None  # seconds the sign-in stays blocked, when the throttle refused it

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        from .throttle import lockout_message, throttle

        wait = throttle.wait(self.cleaned_data.get("username"), self.request)
        if wait is not None:
            self.locked_for = wait
            raise forms.ValidationError(lockout_message(wait), code="locked")
        return super().clean()


class SignupForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=8)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=CityRole.Role.choices, initial=CityRole.Role.OFFICER)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Queues the reset e-mail (in the account's language) instead of sending it inside the request: the answer and its
    timing are the same whether or not the address has an account."""

    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    def save(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        from .tasks import send_password_reset

        for user in self.get_users(self.cleaned_data["email"]):
            send_password_reset.enqueue(user_id=user.pk)


class SetPasswordForm(auth_forms.SetPasswordForm):
    """The new password from a reset link; reaching the link also confirms the e-mail address."""

    def save(self, commit: bool = True) -> User:
        from .services import user_password_set

        return user_password_set(
            actor=self.user, user=self.user, password=self.cleaned_data["new_password1"], via="reset"
        )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def save(self, commit: bool = True) -> User:
        from .services import user_password_set

        return user_password_set(
            actor=self.user, user=self.user, password=self.cleaned_data["new_password1"], via="change"
        )


class TimeZoneForm(forms.Form):
    """The zone a user reads times in; the service validates the choice."""

    # A select that does not validate its value: the service does, with the message the page shows.
    time_zone = forms.CharField(
        label=_("My time zone"),
        required=False,
        widget=forms.Select,
        help_text=_(
            "Forum times stay in the event's time zone, named; where yours reads another clock, they are also "
            "shown in yours. Other times are shown in yours."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget: Any = self.fields["time_zone"].widget
        none = ("", _("None chosen (the event's time zone for forum times, UTC elsewhere)"))
        widget.choices = [none, *time_zones.choices(get_language() or "en")]
