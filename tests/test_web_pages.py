"""Pages render for people: catalog, look page, auth, errors, CSP and language switching."""

import re

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from generation.tests.factories import PersonalAdapterFactory, ResultFactory
from styles.tests.factories import LookFactory

PAGES_NEEDING_LOGIN = ["photos", "jobs", "gallery", "account", "account-delete"]


@pytest.mark.django_db
def test_home_lists_published_looks_and_filters_by_search(client):
    shown, other = LookFactory(ready=True), LookFactory(ready=True)
    hidden = LookFactory(ready=True, is_published=False)

    everything = client.get(reverse("home")).content.decode()
    searched = client.get(reverse("home"), {"q": shown.name}).content.decode()

    assert shown.name in everything and other.name in everything
    assert hidden.name not in everything
    assert shown.name in searched and other.name not in searched


@pytest.mark.django_db
def test_home_filter_by_influencer_answers_htmx_with_the_grid_only(client):
    look, other = LookFactory(ready=True), LookFactory(ready=True)

    response = client.get(
        reverse("home"),
        {"influencer": look.influencer.slug},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="look-grid",
    )

    body = response.content.decode()
    assert 'id="look-grid"' in body and "<html" not in body
    assert look.name in body and other.name not in body


@pytest.mark.django_db
def test_look_page_offers_the_try_panel_with_the_profile_strength(logged_in, user, catalog_look):
    user.profile.default_strength = 0.7
    user.profile.save()

    body = logged_in.get(reverse("look-detail", args=[catalog_look.slug])).content.decode()

    assert re.search(r'id="strength"[^>]*value="70"', body)
    assert reverse("api-look-cube", kwargs={"slug": catalog_look.slug}) in body
    assert f'action="{reverse("stylize")}"' in body


@pytest.mark.django_db
def test_unpublished_look_page_is_a_friendly_404(client):
    look = LookFactory(ready=True, is_published=False)

    response = client.get(reverse("look-detail", args=[look.slug]))

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES_NEEDING_LOGIN)
def test_private_pages_send_anonymous_people_to_log_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["home", "login", "signup", "password_reset", *PAGES_NEEDING_LOGIN]
)
def test_pages_have_csp_no_inline_script_or_style_and_labelled_controls(client, user, name):
    client.force_login(user)
    if name in {"login", "signup"}:
        client.logout()

    assert_csp_safe_and_labelled(client.get(reverse(name)))


@pytest.mark.django_db
def test_object_pages_are_csp_safe_and_labelled(logged_in, user, catalog_look):
    result = ResultFactory(owner=user, look=catalog_look)
    PersonalAdapterFactory(owner=user, look=catalog_look)
    for url in [
        reverse("look-detail", args=[catalog_look.slug]),
        reverse("personalize", args=[catalog_look.slug]),
        reverse("result", args=[result.pk]),
        reverse("gallery"),
        reverse("jobs"),
        reverse("job-card", args=[result.job_id]),
        reverse("password_change"),
    ]:
        assert_csp_safe_and_labelled(logged_in.get(url))


def assert_csp_safe_and_labelled(response) -> None:
    body = response.content.decode()
    assert response.status_code == 200, response.request["PATH_INFO"]
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert not re.search(r"<script(?![^>]*\bsrc=)", body), "inline script"
    assert "<style" not in body, "inline style element"
    assert " style=" not in body, "inline style attribute"
    assert not re.search(r"\son[a-z]+=", body), "inline event handler"
    for control_id in re.findall(
        r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*id="([^"]+)"', body
    ):
        assert f'for="{control_id}"' in body, f"control {control_id} has no label"


@pytest.mark.django_db
def test_sign_up_logs_in_and_creates_a_profile(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "mei",
            "email": "mei@example.com",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )

    assert response.status_code == 302
    user = UserFactory._meta.model.objects.get(username="mei")
    assert user.profile.default_strength == 1.0
    assert client.get(reverse("photos")).status_code == 200


@pytest.mark.django_db
def test_login_and_logout(client, user, password):
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302 and response["Location"] == reverse("home")

    client.post(reverse("logout"))

    assert client.get(reverse("photos")).status_code == 302


@pytest.mark.django_db
def test_password_change(logged_in, user, password):
    form = logged_in.get(reverse("password_change")).content.decode()
    response = logged_in.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "a new Lookbook secret 42",
            "new_password2": "a new Lookbook secret 42",
        },
        follow=True,
    )

    assert 'name="old_password"' in form and "csrfmiddlewaretoken" in form
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("a new Lookbook secret 42")


@pytest.mark.django_db
def test_password_reset_sends_an_email_with_a_working_link(client, user, mailoutbox):
    client.post(reverse("password_reset"), {"email": user.email})

    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    page = client.get(link, follow=True)
    assert "Choose a new password" in page.content.decode()


@pytest.mark.django_db
def test_language_switch_shows_chinese(client):
    response = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": "/"}, follow=True
    )

    body = response.content.decode()
    assert 'lang="zh-hans"' in body
    assert "找到你的风格" in body


def test_every_message_has_a_chinese_translation():
    """makemessages adds new strings empty (or fuzzy); none may ship that way."""
    from pathlib import Path

    po = (Path(__file__).parents[1] / "locale/zh_Hans/LC_MESSAGES/django.po").read_text()
    entries = po.split("\n\n")[1:]
    untranslated = [
        entry
        for entry in entries
        if "msgid" in entry
        and ("#, fuzzy" in entry or re.search(r'msgstr(\[0\])? ""\s*$', entry.strip()))
    ]

    assert not untranslated, untranslated[:5]
