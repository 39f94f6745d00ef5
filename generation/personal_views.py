"""Web pages of a person's taste: edit a result (save, reset, copy to other results), and a
look's personalize page (what the adapter learnt, its before/after preview and intensity,
versions, revert and reset, quick tune). Previews render in the browser (static/js/preview.js);
only saving an edit and training queue jobs.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.errors import ServiceError
from core.strength import as_percent
from core.web import check_rate, error_response
from generation import forms, personalization, selectors, services
from generation.models import QuickTuneQuestion, Result
from generation.taste import MIN_EVIDENCE_WEIGHT, evidence_for, summary
from generation.views import catalog_look_or_404

# --- editing results -------------------------------------------------------------------------


def _owned_result(request: HttpRequest, result_id) -> Result:
    return get_object_or_404(
        Result.objects.select_related("look", "photo"), pk=result_id, owner=request.user
    )


@login_required
@require_POST
def result_edit(request: HttpRequest, result_id) -> HttpResponse:
    """Save the sliders: a job renders the edited copy at full resolution."""
    result = _owned_result(request, result_id)
    fallback = reverse("result", kwargs={"result_id": result.pk})
    try:
        check_rate(request, "jobs")
        personalization.edit_result(result, forms.edits_from(request.POST))
    except ServiceError as error:
        return error_response(request, error, fallback)
    messages.success(request, _("Your edit is being rendered as a new result."))
    return redirect("jobs")


@login_required
@require_POST
def result_copy_edits(request: HttpRequest, result_id) -> HttpResponse:
    """Render other results again with this result's edits."""
    result = _owned_result(request, result_id)
    fallback = reverse("result", kwargs={"result_id": result.pk})
    try:
        check_rate(request, "jobs")
        jobs = personalization.copy_edits(request.user, result, request.POST.getlist("results"))
    except ServiceError as error:
        return error_response(request, error, fallback)
    messages.success(
        request,
        ngettext(
            "These edits are being applied in %(count)d job.",
            "These edits are being applied in %(count)d jobs.",
            len(jobs),
        )
        % {"count": len(jobs)},
    )
    return redirect("jobs")


# --- a look's personalize page -----------------------------------------------------------------


@login_required
@require_GET
def personalize(request: HttpRequest, slug: str) -> HttpResponse:
    look = catalog_look_or_404(slug)
    versions = list(selectors.adapter_versions(request.user, look))
    for adapter in versions:
        adapter.summary = summary(adapter.taste)
    in_use = selectors.adapter_for(request.user, look)
    active = next((adapter for adapter in versions if adapter == in_use), None)
    photo = selectors.photos_with_original(request.user).first()
    preview_src = photo.thumbnail.url if photo else ""
    if not preview_src and look.sample_before:
        preview_src = look.sample_before.url
    return render(
        request,
        "generation/personalize.html",
        {
            "look": look,
            "versions": versions,
            "active": active,
            "active_taste_json": json.dumps(active.taste) if active else "",
            "newest": versions[0] if versions else None,
            "evidence": evidence_for(request.user, look).counts(),
            "min_weight": MIN_EVIDENCE_WEIGHT,
            "question": selectors.open_question(request.user, look),
            "cube_url": reverse("api-look-cube", kwargs={"slug": look.slug}),
            "preview_src": preview_src,
            "strength": request.user.preference_profile().default_strength,
            "personalization_enabled": request.user.preference_profile().personalization_enabled,
            "intensity_percent": as_percent(active.intensity) if active else 100,
        },
    )


def _back(slug: str) -> str:
    return reverse("personalize", kwargs={"slug": slug})


@login_required
@require_POST
def adapter_train(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        check_rate(request, "jobs")
        personalization.create_adapter_job(request.user, look_slug=slug)
    except ServiceError as error:
        return error_response(request, error, _back(slug))
    messages.success(request, _("Your adapter is learning from what you did with this look."))
    return redirect(_back(slug))


def _owned_adapter(request: HttpRequest, adapter_id):
    return get_object_or_404(
        selectors.adapters_for(request.user).select_related("look"), pk=adapter_id
    )


@login_required
@require_POST
def adapter_intensity(request: HttpRequest, adapter_id) -> HttpResponse:
    adapter = _owned_adapter(request, adapter_id)
    try:
        percent = float(request.POST.get("intensity", ""))
    except ValueError:
        percent = float("nan")
    try:
        personalization.set_intensity(adapter, percent / 100)
    except ServiceError as error:
        return error_response(request, error, _back(adapter.look.slug))
    messages.success(
        request, _("Your adapter now applies at %(percent)d%%.") % {"percent": round(percent)}
    )
    return redirect(_back(adapter.look.slug))


@login_required
@require_POST
def adapter_revert(request: HttpRequest, adapter_id) -> HttpResponse:
    adapter = _owned_adapter(request, adapter_id)
    try:
        restored = personalization.revert_adapter(adapter, adapter.version)
    except ServiceError as error:
        return error_response(request, error, _back(adapter.look.slug))
    messages.success(
        request,
        _("Version %(old)d is back, as version %(new)d.")
        % {"old": adapter.version, "new": restored.version},
    )
    return redirect(_back(adapter.look.slug))


@login_required
@require_POST
def adapter_delete(request: HttpRequest, adapter_id) -> HttpResponse:
    adapter = _owned_adapter(request, adapter_id)
    try:
        services.delete_adapter(adapter)
    except ServiceError as error:
        return error_response(request, error, _back(adapter.look.slug))
    messages.success(request, _("Adapter version deleted."))
    return redirect(_back(adapter.look.slug))


@login_required
@require_POST
def adapter_reset(request: HttpRequest, slug: str) -> HttpResponse:
    look = catalog_look_or_404(slug)
    try:
        personalization.reset_adapter(request.user, look)
    except ServiceError as error:
        return error_response(request, error, _back(slug))
    messages.success(request, _("Your adapter for this look was reset."))
    return redirect(_back(slug))


# --- quick tune --------------------------------------------------------------------------------


def _question_panel(request: HttpRequest, look, question) -> HttpResponse:
    photo = selectors.photos_with_original(request.user).first()
    src = photo.thumbnail.url if photo else (look.sample_before.url if look.sample_before else "")
    context = {
        "look": look,
        "question": question,
        "options": [json.dumps(question.a), json.dumps(question.b)]
        if question and question.is_ready
        else [],
        "asked": QuickTuneQuestion.objects.filter(
            owner=request.user, look=look, winner__isnull=False
        ).count(),
        "cube_url": reverse("api-look-cube", kwargs={"slug": look.slug}),
        "preview_src": src,
        "strength": request.user.preference_profile().default_strength,
    }
    return render(request, "generation/_quick_tune.html", context)


@login_required
@require_GET
def quick_tune(request: HttpRequest, slug: str) -> HttpResponse:
    """The quick-tune panel (polled by htmx until the question is ready)."""
    look = catalog_look_or_404(slug)
    return _question_panel(request, look, selectors.open_question(request.user, look))


@login_required
@require_POST
def quick_tune_start(request: HttpRequest, slug: str) -> HttpResponse:
    look = catalog_look_or_404(slug)
    question = personalization.open_question(request.user, slug)
    if request.htmx:
        return _question_panel(request, look, question)
    return redirect(_back(slug))


@login_required
@require_POST
def quick_tune_answer(request: HttpRequest, question_id) -> HttpResponse:
    question = get_object_or_404(selectors.questions_for(request.user), pk=question_id)
    try:
        winner = int(request.POST.get("winner", ""))
    except ValueError:
        winner = -1
    try:
        following = personalization.answer_question(question, winner)
    except ServiceError as error:
        return error_response(request, error, _back(question.look.slug))
    if request.htmx:
        return _question_panel(request, question.look, following)
    return redirect(_back(question.look.slug))
