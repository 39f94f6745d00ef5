from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import PreferenceProfile, User


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("Email"), required=True)

    class Meta:
        model = User
        fields = ["username", "email"]


class PreferenceProfileForm(forms.ModelForm):
    """The profile, with the default strength shown as a percentage like the look page's slider."""

    default_strength = forms.IntegerField(
        label=_("Default strength (%)"),
        min_value=0,
        max_value=150,
        widget=forms.NumberInput(attrs={"step": 5}),
    )

    class Meta:
        model = PreferenceProfile
        fields = [
            "default_strength",
            "personalization_enabled",
            "result_long_side",
            "keep_originals_days",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["default_strength"] = round(self.instance.default_strength * 100)

    def clean_default_strength(self) -> float:
        return self.cleaned_data["default_strength"] / 100


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
