from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import PreferenceProfile, User
from config.errors import ServiceError


@transaction.atomic
def register_user(*, username: str, email: str, password: str) -> User:
    user = User.objects.create_user(username=username, email=email, password=password)
    PreferenceProfile.objects.create(user=user)
    return user


def profile_for(user: User) -> PreferenceProfile:
    """The user's profile, created on first use for users made outside sign-up (admin, shell)."""
    profile, _created = PreferenceProfile.objects.get_or_create(user=user)
    return profile


def issue_token(*, username: str, password: str) -> Token:
    user = authenticate(username=username, password=password)
    if user is None:
        raise ServiceError(_("Unable to log in with the given credentials."), code="invalid_login")
    token, _created = Token.objects.get_or_create(user=user)
    return token


def revoke_token(user: User) -> None:
    Token.objects.filter(user=user).delete()
