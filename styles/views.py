"""Catalog pages: the home page with its look grid. A look's page is `generation.views`'s:
it carries the panel that applies the look to the user's photos.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from styles import selectors

FEATURED_INFLUENCERS = 8


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
