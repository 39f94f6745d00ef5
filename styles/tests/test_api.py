"""The public catalog API: what is listed, filters, 404s, the .cube download, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from styles.models import LookStatus
from styles.tests.factories import InfluencerFactory, LookFactory, TagFactory


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_anyone_can_list_published_ready_looks_only(
    anonymous, ready_look, draft_look, make_ready_look
):
    unpublished = make_ready_look(published=False)
    hidden_influencer = make_ready_look(influencer=InfluencerFactory(is_published=False))
    listed = slugs(anonymous.get("/api/v1/looks/"))
    assert listed == [ready_look.slug]
    assert draft_look.slug not in listed
    assert unpublished.slug not in listed and hidden_influencer.slug not in listed


def test_token_clients_see_the_same_catalog(api_client, ready_look):
    assert slugs(api_client.get("/api/v1/looks/")) == [ready_look.slug]


def test_look_detail_has_version_images_and_reference_thumbnails(anonymous, ready_look):
    response = anonymous.get(f"/api/v1/looks/{ready_look.slug}/")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1
    assert body["method"] == "zero_shot"
    assert body["influencer"]["slug"] == ready_look.influencer.slug
    assert len(body["references"]) == 3
    assert body["cube_url"].endswith(f"/api/v1/looks/{ready_look.slug}/cube/")
    for url in [body["cover"], body["sample_before"], body["sample_after"]] + [
        reference["thumbnail"] for reference in body["references"]
    ]:
        image = anonymous.get(url)
        assert image.status_code == 200, url
        assert image["Content-Type"].startswith("image/")


def test_filters_by_influencer_tag_and_search(anonymous, make_ready_look):
    warm, mono = TagFactory(name="warm", slug="warm"), TagFactory(name="mono", slug="mono")
    mira = InfluencerFactory(name="Mira Solenne", handle="@mira", slug="mira")
    golden = make_ready_look(influencer=mira, name="Golden Hour", slug="golden", tags=[warm])
    silver = make_ready_look(name="Silver", slug="silver", description="Deep blacks", tags=[mono])
    assert slugs(anonymous.get("/api/v1/looks/?influencer=mira")) == [golden.slug]
    assert slugs(anonymous.get("/api/v1/looks/?tag=mono")) == [silver.slug]
    assert slugs(anonymous.get("/api/v1/looks/?search=golden")) == [golden.slug]
    assert slugs(anonymous.get("/api/v1/looks/?search=mira")) == [golden.slug]
    assert slugs(anonymous.get("/api/v1/looks/?search=deep+blacks")) == [silver.slug]
    assert slugs(anonymous.get("/api/v1/looks/?tag=warm&influencer=nobody")) == []


@pytest.mark.parametrize("kind", ["unknown", "draft", "unpublished", "failed"])
def test_looks_outside_the_catalog_are_404_in_the_error_shape(
    anonymous, kind, draft_look, make_ready_look
):
    slug = {
        "unknown": "no-such-look",
        "draft": draft_look.slug,
        "unpublished": make_ready_look(published=False).slug,
        "failed": LookFactory(status=LookStatus.FAILED).slug,
    }[kind]
    for url in (f"/api/v1/looks/{slug}/", f"/api/v1/looks/{slug}/cube/"):
        response = anonymous.get(url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_cube_download_is_a_33_point_lut_named_after_the_look(anonymous, ready_look):
    response = anonymous.get(f"/api/v1/looks/{ready_look.slug}/cube/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{ready_look.slug}.cube"'
    assert response["Content-Type"].startswith("text/plain")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert "LUT_3D_SIZE 33" in lines
    rows = [line.split() for line in lines if line and (line[0].isdigit() or line[0] in "-.")]
    assert len(rows) == 33**3
    assert all(len(row) == 3 and 0.0 <= float(min(row)) <= 1.0 for row in rows)


def test_cube_download_accepts_text_plain(anonymous, ready_look):
    response = anonymous.get(f"/api/v1/looks/{ready_look.slug}/cube/", HTTP_ACCEPT="text/plain")
    assert response.status_code == 200


def test_influencer_list_and_detail_show_only_published(anonymous, ready_look, draft_look):
    hidden = InfluencerFactory(is_published=False)
    response = anonymous.get("/api/v1/influencers/")
    listed = slugs(response)
    assert ready_look.influencer.slug in listed and hidden.slug not in listed
    entry = next(i for i in response.json()["results"] if i["slug"] == ready_look.influencer.slug)
    assert entry["look_count"] == 1
    detail = anonymous.get(f"/api/v1/influencers/{draft_look.influencer.slug}/").json()
    assert detail["looks"] == []
    detail = anonymous.get(f"/api/v1/influencers/{ready_look.influencer.slug}/").json()
    assert [look["slug"] for look in detail["looks"]] == [ready_look.slug]
    missing = anonymous.get(f"/api/v1/influencers/{hidden.slug}/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/api/v1/looks/", "/api/v1/influencers/"])
def test_list_query_count_does_not_grow_with_rows(
    anonymous, make_ready_look, url, django_assert_num_queries
):
    tag = TagFactory()
    for _ in range(2):
        make_ready_look(tags=[tag])
    few = count_queries(anonymous, url)
    for _ in range(4):
        make_ready_look(tags=[tag])
    with django_assert_num_queries(few):
        assert len(slugs(anonymous.get(url))) == 6


@pytest.mark.parametrize("words", [9, 1000])
def test_a_search_past_the_bound_is_a_400_on_the_api_and_the_page(db, anonymous, client, words):
    text = " ".join(f"word{index}" for index in range(words))

    api = anonymous.get("/api/v1/looks/", {"search": text})
    page = client.get("/", {"q": text})

    assert api.status_code == 400
    assert api.json()["error"]["code"] == "search_too_long"
    assert page.status_code == 400
    assert b"at most 8 words" in page.content


def test_a_search_within_the_bound_is_answered(db, anonymous, client):
    assert anonymous.get("/api/v1/looks/", {"search": "a b c d e f g h"}).status_code == 200
    assert client.get("/", {"q": "a b c d e f g h"}).status_code == 200
