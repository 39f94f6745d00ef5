"""Web pages for personal adapters: train, compare with and without, delete, switch on or off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.services import profile_for
from config.errors import ServiceError
from generation import forms, photos, selectors, services
from generation.views import (
    PHOTOS_PAGE_SIZE,
    check_rate,
    error_response,
    jobs_with_results,
    safe_next,
)
from styles.selectors import published_look


def _catalog_look(slug: str):
    try:
        return published_look(slug)
    except ServiceError as error:
        raise Http404(error.message) from None


def _compare_key(look) -> str:
    return f"compare:{look.slug}"


@login_required
@require_GET
def personalize(request: HttpRequest, slug: str) -> HttpResponse:
    look = _catalog_look(slug)
    adapters = selectors.adapters_for(request.user).filter(look=look).select_related("job")
    pair_ids = request.session.get(_compare_key(look), [])
    pair = {str(job.pk): job for job in jobs_with_results(request.user).filter(pk__in=pair_ids)}
    profile = profile_for(request.user)
    return render(
        request,
        "generation/personalize.html",
        {
            "look": look,
            "adapters": adapters,
            "ready_adapter": services.adapter_for(request.user, look),
            "photos": photos.photos_for(request.user).exclude(original="")[:PHOTOS_PAGE_SIZE],
            "min_photos": services.MIN_ADAPTER_PHOTOS,
            "pair": [pair[job_id] for job_id in pair_ids if job_id in pair],
            "personalization_enabled": profile.personalization_enabled,
            "strength_percent": round(profile.default_strength * 100),
        },
    )


@login_required
@require_POST
def adapter_train(request: HttpRequest, slug: str) -> HttpResponse:
    fallback = reverse("personalize", kwargs={"slug": slug})
    form = forms.PhotoChoiceForm(request.POST, owner_photos=photos.photos_for(request.user))
    if not form.is_valid():
        return error_response(request, ServiceError(form.errors["photos"][0]), fallback)
    try:
        check_rate(request, "jobs")
        services.create_adapter_job(
            request.user, look_slug=slug, photo_ids=form.cleaned_data["photos"]
        )
    except ServiceError as error:
        return error_response(request, error, fallback)
    messages.success(request, _("Your adapter is training."))
    return redirect(fallback)


@login_required
@require_POST
def adapter_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Stylize one photo twice, with and without the adapter, to show them side by side."""
    look = _catalog_look(slug)
    fallback = reverse("personalize", kwargs={"slug": slug})
    form = forms.CompareForm(request.POST)
    if not form.is_valid():
        return error_response(request, ServiceError(next(iter(form.errors.values()))[0]), fallback)
    if services.adapter_for(request.user, look) is None:
        return error_response(
            request, ServiceError(_("Train your adapter for this look first.")), fallback
        )
    strength = form.cleaned_data["strength"] / 100
    photo_ids = [form.cleaned_data["photo"]]
    try:
        check_rate(request, "jobs")
        pair = [
            services.create_stylize_job(
                request.user,
                photo_ids=photo_ids,
                look_slug=slug,
                strength=strength,
                use_adapter=use_adapter,
            )
            for use_adapter in (True, False)
        ]
    except ServiceError as error:
        return error_response(request, error, fallback)
    request.session[_compare_key(look)] = [str(job.pk) for job in pair]
    return redirect(fallback)


@login_required
@require_POST
def adapter_delete(request: HttpRequest, adapter_id) -> HttpResponse:
    adapter = get_object_or_404(
        selectors.adapters_for(request.user).select_related("look"), pk=adapter_id
    )
    fallback = reverse("personalize", kwargs={"slug": adapter.look.slug})
    try:
        services.delete_adapter(adapter)
    except ServiceError as error:
        return error_response(request, error, fallback)
    messages.success(request, _("Adapter deleted."))
    return redirect(fallback)


@login_required
@require_POST
def personalization_toggle(request: HttpRequest) -> HttpResponse:
    profile = profile_for(request.user)
    profile.personalization_enabled = request.POST.get("enabled") == "on"
    profile.save(update_fields=["personalization_enabled"])
    if profile.personalization_enabled:
        messages.success(request, _("Personalization is on."))
    else:
        messages.success(request, _("Personalization is off."))
    return redirect(safe_next(request, reverse("account")))
