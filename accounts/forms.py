from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import PreferenceProfile, User
from core.strength import StrengthPercentField


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("Email"), required=True)

    class Meta:
        model = User
        fields = ["username", "email"]


class PreferenceProfileForm(forms.ModelForm):
    """The profile, with the default strength shown as a percentage like the look page's slider."""

    default_strength = StrengthPercentField(
        label=_("Default strength (%)"), widget=forms.NumberInput(attrs={"step": 5})
    )

    class Meta:
        model = PreferenceProfile
        fields = [
            "default_strength",
            "personalization_enabled",
            "result_long_side",
            "keep_originals_days",
        ]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
