"""Catalog queries. A look is in the catalog when it is published, ready and has a version,
and its influencer is published too; publishing one never publishes the other.

Every list query loads its relations up front, so a page costs the same number of queries
however many rows it holds.
"""

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from core.errors import NotFound, ServiceError
from jobs.models import ACTIVE_STATUSES, Job, JobKind
from styles.models import Influencer, Look, LookStatus, ReferencePhoto, Tag


def in_catalog(path: str = "") -> Q:
    """The one definition of a look in the catalog; `path` reaches the look from another model."""
    return Q(
        **{
            f"{path}is_published": True,
            f"{path}status": LookStatus.READY,
            f"{path}current_version__isnull": False,
            f"{path}influencer__is_published": True,
        }
    )


def catalog_looks() -> QuerySet[Look]:
    """Looks anyone may browse and use (jobs, favourites, .cube), without their relations."""
    return Look.objects.filter(in_catalog())


def catalog_look(slug: str) -> Look:
    """A look of the catalog with its current version, or NotFound naming the `look` field."""
    look = catalog_looks().select_related("current_version").filter(slug=slug).first()
    if look is None:
        raise NotFound(_("No such look."), fields={"look": [_("No such look.")]})
    return look


def published_looks(filters: dict | None = None) -> QuerySet[Look]:
    """Browsable looks with everything a list shows. `filters`: influencer, tag, search."""
    filters = filters or {}
    looks = catalog_looks().select_related("influencer", "current_version")
    looks = looks.prefetch_related(
        "tags", Prefetch("references", queryset=ReferencePhoto.objects.order_by("order", "id"))
    )
    if filters.get("influencer"):
        looks = looks.filter(influencer__slug=filters["influencer"])
    if filters.get("tag"):
        looks = looks.filter(tags__slug=filters["tag"])
    if filters.get("search"):
        looks = search_looks(looks, filters["search"])
    return looks.distinct().order_by("influencer__name", "name", "id")


MAX_SEARCH_LENGTH = 100
MAX_SEARCH_WORDS = 8


def search_looks(looks: QuerySet[Look], text: str) -> QuerySet[Look]:
    """Looks matching every word. Bounded: each word is a join and five LIKEs, so a long query
    would be slow on PostgreSQL and too complex for SQLite's expression depth."""
    words = text.split()
    if len(text) > MAX_SEARCH_LENGTH or len(words) > MAX_SEARCH_WORDS:
        message = _("Search with at most %(words)d words and %(length)d characters.") % {
            "words": MAX_SEARCH_WORDS,
            "length": MAX_SEARCH_LENGTH,
        }
        raise ServiceError(message, code="search_too_long", fields={"search": [message]})
    query = Q()
    for word in words:
        query &= (
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(influencer__name__icontains=word)
            | Q(influencer__handle__icontains=word)
            | Q(tags__name__icontains=word)
        )
    return looks.filter(query).distinct()


def published_look(slug: str) -> Look:
    look = published_looks().filter(slug=slug).first()
    if look is None:
        raise NotFound(_("No such look."))
    return look


def published_influencers() -> QuerySet[Influencer]:
    """Published influencers with their tags and their browsable looks."""
    return (
        Influencer.objects.filter(is_published=True)
        .prefetch_related("tags", Prefetch("looks", queryset=published_looks()))
        .annotate(look_count=Count("looks", filter=in_catalog("looks__"), distinct=True))
        .order_by(F("featured_order").asc(nulls_last=True), "name", "id")
    )


def published_influencer(slug: str) -> Influencer:
    influencer = published_influencers().filter(slug=slug).first()
    if influencer is None:
        raise NotFound(_("No such influencer."))
    return influencer


def catalog_tags() -> QuerySet[Tag]:
    """Tags used by at least one browsable look."""
    return Tag.objects.filter(looks__in=catalog_looks()).distinct().order_by("name")


def builds_of(look: Look) -> QuerySet[Job]:
    """The look's build jobs, newest first."""
    return Job.objects.filter(look=look, kind=JobKind.TRAIN_LOOK).order_by("-created")


def active_build(look: Look) -> Job | None:
    return builds_of(look).filter(status__in=ACTIVE_STATUSES).first()
