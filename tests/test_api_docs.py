import re

import pytest


@pytest.mark.django_db
def test_swagger_ui_loads_only_same_origin_assets_under_the_csp(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert "script-src 'self'" in page["Content-Security-Policy"]
    html = page.content.decode()
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources, "Swagger UI page has no scripts"
    assert all(src.startswith("/") for src in sources), sources
    assert not re.search(r"<script(?![^>]*src=)[^>]*>\s*\S", html), "inline script"
    for src in sources:
        assert client.get(src).status_code == 200, src
