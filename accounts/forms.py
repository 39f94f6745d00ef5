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
    class Meta:
        model = PreferenceProfile
        fields = [
            "default_strength",
            "personalization_enabled",
            "result_long_side",
            "keep_originals_days",
        ]
        widgets = {
            "default_strength": forms.NumberInput(attrs={"min": 0, "max": 1.5, "step": 0.05}),
        }
