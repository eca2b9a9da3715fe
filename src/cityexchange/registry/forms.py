from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cityexchange.core.forms import KeepsWork

from .models import City, Sector


class ApplicationForm(KeepsWork):
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose your city from the list."),
            "invalid_choice": _("Choose your city from the list."),
        },
    )
    letter = forms.CharField(label=_("Application letter"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10_000)
    contact_name = forms.CharField(label=_("Contact person"), max_length=150)
    contact_email = forms.EmailField(label=_("Contact e-mail"))
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    priority_sectors = forms.ModelMultipleChoiceField(
        label=_("Priority sectors"), queryset=Sector.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5_000)


class CityProfileForm(KeepsWork):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    about = forms.CharField(
        label=_("About the city"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=10_000
    )
