"""Catalog pages: the home page with its look grid, and a look's page with the try-it panel."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.services import profile_for
from config.errors import NotFound
from generation.photos import photos_for
from generation.services import adapter_for
from styles import selectors

FEATURED_INFLUENCERS = 8
PICKER_PHOTOS = 60


def home(request: HttpRequest) -> HttpResponse:
    filters = {
        "tag": request.GET.get("tag", "").strip(),
        "influencer": request.GET.get("influencer", "").strip(),
        "search": request.GET.get("q", "").strip(),
    }
    looks = selectors.published_looks(filters)
    context = {"looks": looks, "filters": filters, "filtered": any(filters.values())}
    if request.htmx and request.htmx.target == "look-grid":
        return render(request, "styles/_look_grid.html", context)
    influencers = selectors.published_influencers()
    context |= {
        "featured": [i for i in influencers if i.featured_order is not None][:FEATURED_INFLUENCERS]
        or list(influencers[:FEATURED_INFLUENCERS]),
        "influencers": influencers,
        "tags": selectors.catalog_tags(),
    }
    return render(request, "styles/home.html", context)


def look_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        look = selectors.published_look(slug)
    except NotFound as error:
        raise Http404(error.message) from None
    context = {
        "look": look,
        "references": look.references.all(),
        "cube_url": reverse("api-look-cube", kwargs={"slug": look.slug}),
    }
    if request.user.is_authenticated:
        profile = profile_for(request.user)
        strength = _strength_from(request.GET.get("strength"), profile.default_strength)
        context |= {
            "photos": photos_for(request.user).exclude(original="")[:PICKER_PHOTOS],
            "strength_percent": strength,
            "adapter": adapter_for(request.user, look),
            "personalization_enabled": profile.personalization_enabled,
            "max_upload_mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024),
        }
    return render(request, "styles/look_detail.html", context)


def _strength_from(value: str | None, default: float) -> int:
    """A strength percentage from the query string ("apply again"), else the profile default."""
    try:
        percent = int(value) if value is not None else round(default * 100)
    except ValueError:
        percent = round(default * 100)
    return max(0, min(150, percent))
