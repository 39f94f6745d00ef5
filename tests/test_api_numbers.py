"""Numbers are JSON numbers: a boolean or a string in a numeric field is a 400, never 1 or 1.0."""

import pytest

PROFILE = "/api/v1/me/profile/"


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["default_strength", "result_long_side", "keep_originals_days"])
@pytest.mark.parametrize("value", [True, False, "1", "0.5"])
def test_the_profile_refuses_booleans_and_strings_as_numbers(api_client, field, value):
    response = api_client.patch(PROFILE, {field: value}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
