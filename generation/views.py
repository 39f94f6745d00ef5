"""Web pages for photos, a look's try-it panel, jobs and results (a person's taste, edits and
adapters are in `generation.personal_views`).

Views parse, call services and selectors, and render. Service errors become a message on the
page; for htmx requests and the upload endpoint the response carries the error's HTTP status
(413, 429, ...) and its user-facing message.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from core import files
from core.errors import NotFound, ServiceError
from core.strength import MAX_STRENGTH, as_percent, percent_in_range
from core.web import check_rate, error_response, first_form_error, safe_next
from generation import forms, selectors, services
from generation.models import Photo, Result
from generation.taste import edit_controls, summary
from jobs import services as job_services
from jobs.models import Job, JobKind
from styles import selectors as catalog_selectors

GALLERY_PAGE_SIZE = 24
PHOTOS_PAGE_SIZE = 48
PICKER_PHOTOS = 60
JOBS_SHOWN = 50
OTHER_RESULTS_SHOWN = 24


# --- photos ----------------------------------------------------------------------------------


@login_required
@require_GET
def photo_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.photos_for(request.user), PHOTOS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "generation/photos.html",
        {"page": page, "max_upload_mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)},
    )


@login_required
@require_POST
def photo_upload(request: HttpRequest) -> HttpResponse:
    """One file per request from the uploader script (JSON reply); many from the plain form."""
    files = request.FILES.getlist("image")
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        check_rate(request, "uploads")
        uploaded = services.upload_photos(request.user, files)
    except ServiceError as error:
        if wants_json:
            return JsonResponse({"ok": False, "message": error.message}, status=error.status)
        return error_response(request, error, reverse("photos"))
    if wants_json:
        photo, created = uploaded[0]
        template = (
            "generation/_photo_choice.html"
            if request.POST.get("variant") == "picker"
            else "generation/_photo_card.html"
        )
        card = render_to_string(template, {"photo": photo, "checked": True}, request=request)
        return JsonResponse(
            {"ok": True, "id": str(photo.pk), "created": created, "card": card},
            status=201 if created else 200,
        )
    count = len(uploaded)
    messages.success(
        request,
        ngettext("Uploaded %(count)d photo.", "Uploaded %(count)d photos.", count)
        % {"count": count},
    )
    return redirect("photos")


@login_required
@require_POST
def photo_delete(request: HttpRequest, photo_id) -> HttpResponse:
    photo = get_object_or_404(Photo, pk=photo_id, owner=request.user)
    try:
        services.delete_photo(photo)
    except ServiceError as error:
        if request.htmx:  # keep the card, with the reason it stays
            context = {"photo": photo, "error": error.message}
            return render(request, "generation/_photo_card.html", context, status=error.status)
        return error_response(request, error, reverse("photos"))
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("Photo deleted."))
    return redirect("photos")


# --- jobs ------------------------------------------------------------------------------------


@login_required
@require_POST
def stylize(request: HttpRequest) -> HttpResponse:
    look_slug = request.POST.get("look", "")
    form = forms.StylizeForm(request.POST, owner_photos=selectors.photos_for(request.user))
    fallback = reverse("look-detail", kwargs={"slug": look_slug}) if look_slug else reverse("home")
    if not form.is_valid():
        return error_response(request, first_form_error(form), fallback)
    try:
        check_rate(request, "jobs")
        services.create_stylize_job(
            request.user,
            photo_ids=form.cleaned_data["photos"],
            look_slug=form.cleaned_data["look"],
            strength=form.cleaned_data["strength"],
            edits=forms.edits_from(request.POST),
            use_adapter=form.cleaned_data["use_adapter"],
        )
    except ServiceError as error:
        return error_response(request, error, fallback)
    messages.success(request, _("Your photos are being stylized."))
    return redirect("jobs")


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = selectors.jobs_with_results(request.user)[:JOBS_SHOWN]
    return render(request, "generation/jobs.html", {"jobs": jobs})


@login_required
@require_GET
def job_card(request: HttpRequest, job_id) -> HttpResponse:
    """The polled partial: it stops polling itself once the job is finished."""
    return _render_job_card(request, job_id)


def _render_job_card(request: HttpRequest, job_id) -> HttpResponse:
    job = get_object_or_404(selectors.jobs_with_results(request.user), pk=job_id)
    return render(request, "generation/_job_card.html", {"job": job})


@login_required
@require_POST
def job_cancel(request: HttpRequest, job_id) -> HttpResponse:
    job = get_object_or_404(Job, pk=job_id, owner=request.user)
    try:
        job_services.cancel(job)
    except ServiceError as error:
        return error_response(request, error, reverse("jobs"))
    if request.htmx:
        return _render_job_card(request, job_id)
    messages.success(request, _("Job cancelled."))
    return redirect("jobs")


@login_required
@require_GET
def export_download(request: HttpRequest, job_id) -> HttpResponse:
    job = get_object_or_404(Job, pk=job_id, owner=request.user, kind=JobKind.EXPORT)
    if not job.output:
        raise Http404(_("This export is not ready, or it has expired."))
    return redirect(files.download_url(job.output, f"lookbook-export-{job.created:%Y%m%d}.zip"))


# --- results ---------------------------------------------------------------------------------


@login_required
@require_GET
def gallery(request: HttpRequest) -> HttpResponse:
    results = selectors.results_for(request.user)
    looks = selectors.looks_of_results(request.user)
    filters = forms.GalleryFilterForm(request.GET or None, looks=looks)
    page = Paginator(filters.apply(results), GALLERY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "query": query.urlencode()}
    if request.htmx and request.htmx.target == "result-grid":
        return render(request, "generation/_result_grid.html", context)
    return render(request, "generation/gallery.html", context)


def _owned_result(request: HttpRequest, result_id) -> Result:
    return get_object_or_404(
        Result.objects.select_related("look", "photo", "adapter"), pk=result_id, owner=request.user
    )


@login_required
@require_GET
def result_detail(request: HttpRequest, result_id) -> HttpResponse:
    result = _owned_result(request, result_id)
    before = result.photo.original or result.photo.thumbnail
    return render(
        request,
        "generation/result.html",
        {
            "result": result,
            "before_url": before.url,
            "strength_percent": as_percent(result.strength),
            "edit_controls": edit_controls(result.applied_edits),
            "cube_url": reverse("api-look-cube", kwargs={"slug": result.look.slug}),
            "other_results": selectors.results_for(request.user).exclude(pk=result.pk)[
                :OTHER_RESULTS_SHOWN
            ],
        },
    )


@login_required
@require_GET
def result_download(request: HttpRequest, result_id) -> HttpResponse:
    result = _owned_result(request, result_id)
    extension = result.image.name.rsplit(".", 1)[-1]
    return redirect(files.download_url(result.image, f"lookbook-{result.look.slug}.{extension}"))


@login_required
@require_POST
def result_feedback(request: HttpRequest, result_id) -> HttpResponse:
    result = _owned_result(request, result_id)
    fallback = reverse("result", kwargs={"result_id": result.pk})
    form = forms.FeedbackForm(request.POST)
    if not form.is_valid():
        return error_response(request, ServiceError(_("Invalid feedback.")), fallback)
    try:
        services.set_feedback(
            result, rating=form.cleaned_data["rating"], favourite=form.cleaned_data["favourite"]
        )
    except ServiceError as error:
        return error_response(request, error, fallback)
    if request.htmx:
        return render(request, "generation/_feedback.html", {"result": result})
    return redirect(safe_next(request, fallback))


@login_required
@require_POST
def result_delete(request: HttpRequest, result_id) -> HttpResponse:
    result = _owned_result(request, result_id)
    services.delete_result(result)
    messages.success(request, _("Result deleted."))
    if request.htmx:
        return HttpResponseClientRedirect(reverse("gallery"))
    return redirect("gallery")


# --- a look's page ---------------------------------------------------------------------------


def catalog_look_or_404(slug: str):
    try:
        return catalog_selectors.published_look(slug)
    except NotFound as error:
        raise Http404(error.message) from None


def look_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The catalog's look, and for a signed-in user the panel that applies it to their photos."""
    look = catalog_look_or_404(slug)
    context = {
        "look": look,
        "references": look.references.all(),
        "cube_url": reverse("api-look-cube", kwargs={"slug": look.slug}),
    }
    if request.user.is_authenticated:
        profile = request.user.preference_profile()
        adapter = selectors.adapter_for(request.user, look)
        if adapter is not None:
            context |= {
                "adapter": adapter,
                "adapter_taste_json": json.dumps(adapter.taste),
                "adapter_summary": summary(adapter.taste),
                "adapter_intensity_percent": as_percent(adapter.intensity),
            }
        context |= {
            "photos": selectors.photos_with_original(request.user)[:PICKER_PHOTOS],
            "strength_percent": percent_in_range(
                request.GET.get("strength"), profile.default_strength
            ),
            "max_strength_percent": as_percent(MAX_STRENGTH),
            "edit_controls": edit_controls(),
            "personalization_enabled": profile.personalization_enabled,
            "max_upload_mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024),
        }
    return render(request, "styles/look_detail.html", context)
