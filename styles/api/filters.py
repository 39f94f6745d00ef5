"""Query parameters of the look list: `?influencer=<slug>&tag=<slug>&search=<words>`."""

import django_filters

from styles import selectors
from styles.models import Look


class LookFilter(django_filters.FilterSet):
    influencer = django_filters.CharFilter(
        method="filter_influencer", help_text="An influencer's slug."
    )
    tag = django_filters.CharFilter(method="filter_tag", help_text="A tag's slug.")
    search = django_filters.CharFilter(
        method="filter_search",
        help_text="Words to find in the look's name, description, tags or influencer.",
    )

    class Meta:
        model = Look
        fields = ["influencer", "tag", "search"]

    def filter_influencer(self, looks, name, value):
        return looks.filter(influencer__slug=value)

    def filter_tag(self, looks, name, value):
        return looks.filter(tags__slug=value).distinct()

    def filter_search(self, looks, name, value):
        return selectors.search_looks(looks, value)
