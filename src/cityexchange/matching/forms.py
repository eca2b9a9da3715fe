from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AlertForm(forms.Form):
    query = forms.CharField(label=_("Search text"), max_length=300, required=False)
