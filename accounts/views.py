"""Sign-up and the account pages: preferences, data export and account deletion."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import DeleteAccountForm, PreferenceProfileForm, SignUpForm
from core.errors import ServiceError
from core.web import safe_next


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.register_user(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Lookbook! Upload a few photos to get started."))
        return redirect("photos")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    profile = request.user.preference_profile()
    form = PreferenceProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences are saved."))
        return redirect("account")
    export = selectors.latest_export(request.user)
    return render(request, "accounts/account.html", {"form": form, "export": export})


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    try:
        services.request_export(request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your export is being prepared."))
    return redirect("account")


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_password(request.user, form.cleaned_data["password"])
        except ServiceError as error:
            form.add_error("password", error.message)
        else:
            services.delete_account(request.user)
            logout(request)
            messages.success(request, _("Your account and all your data were deleted."))
            return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


@login_required
@require_POST
def personalization_toggle(request: HttpRequest) -> HttpResponse:
    profile = services.set_personalization(request.user, request.POST.get("enabled") == "on")
    if profile.personalization_enabled:
        messages.success(request, _("Personalization is on."))
    else:
        messages.success(request, _("Personalization is off."))
    return redirect(safe_next(request, reverse("account")))
