"""The admin shows results, adapters and photos read-only, with thumbnails."""

from generation.tests.factories import PersonalAdapterFactory, ResultFactory


def test_changelists_and_detail_pages_render(admin_client, user, catalog_look):
    result = ResultFactory(owner=user, look=catalog_look)
    adapter = PersonalAdapterFactory(owner=user, look=catalog_look)
    for model, row in [("result", result), ("personaladapter", adapter), ("photo", result.photo)]:
        listed = admin_client.get(f"/admin/generation/{model}/")
        assert listed.status_code == 200, model
        assert admin_client.get(f"/admin/generation/{model}/{row.pk}/change/").status_code == 200
    results_page = admin_client.get("/admin/generation/result/").content.decode()
    assert '<img src="' in results_page and 'class="lookbook-thumb"' in results_page
    assert "admin-look.css" in results_page
    assert ' style="' not in results_page.split('id="changelist"', 1)[1]


def test_rows_cannot_be_deleted_from_the_admin(admin_client, user, catalog_look):
    result = ResultFactory(owner=user, look=catalog_look)
    response = admin_client.get(f"/admin/generation/result/{result.pk}/delete/")
    assert response.status_code == 403
