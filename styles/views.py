"""Catalog pages: the home page with its look grid. A look's page is `generation.views`'s:
it carries the panel that applies the look to the user's photos.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.errors import ServiceError
from styles import selectors

FEATURED_INFLUENCERS = 8


def home(request: HttpRequest) -> HttpResponse:
    filters = {
        "tag": request.GET.get("tag", "").strip(),
        "influencer": request.GET.get("influencer", "").strip(),
        "search": request.GET.get("q", "").strip(),
    }
    status, search_error = 200, ""
    try:
        looks = selectors.published_looks(filters)
    except ServiceError as error:
        status, search_error, looks = 400, error.message, []
    context = {
        "looks": looks,
        "filters": filters,
        "filtered": any(filters.values()),
        "search_error": search_error,
    }
    if request.htmx and request.htmx.target == "look-grid":
        return render(request, "styles/_look_grid.html", context, status=status)
    influencers = selectors.published_influencers()
    context |= {
        "featured": [i for i in influencers if i.featured_order is not None][:FEATURED_INFLUENCERS]
        or list(influencers[:FEATURED_INFLUENCERS]),
        "influencers": influencers,
        "tags": selectors.catalog_tags(),
    }
    return render(request, "styles/home.html", context, status=status)
