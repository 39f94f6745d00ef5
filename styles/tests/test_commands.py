"""`seed_demo` and `ensure_demo_user`: they build what `make run` needs, and only once."""

import pytest
from django.core.management import call_command

from accounts.models import PreferenceProfile, User
from styles import selectors, services
from styles.management.commands.seed_demo import CATALOG
from styles.models import Influencer, Look, LookVersion, ReferencePhoto

pytestmark = pytest.mark.usefixtures("small_renders")


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Influencer, Look, LookVersion, ReferencePhoto))


def test_seed_demo_builds_a_published_catalog_once(db, capsys):
    call_command("seed_demo")
    look_total = sum(len(influencer.looks) for influencer in CATALOG)
    assert len(CATALOG) == 5 and look_total >= 5
    assert counts() == (5, look_total, look_total, 4 * look_total)
    assert selectors.catalog_looks().count() == look_total
    assert selectors.published_influencers().count() == 5
    assert all(influencer.avatar for influencer in Influencer.objects.all())
    assert all(look.cover and look.current_version.cube for look in selectors.published_looks())

    capsys.readouterr()
    call_command("seed_demo")
    assert counts() == (5, look_total, look_total, 4 * look_total)
    assert "0 looks created, 0 encoded" in capsys.readouterr().out

    half_done = Look.objects.get(slug=CATALOG[0].looks[0].slug)
    services.unpublish(half_done)
    call_command("seed_demo")
    half_done.refresh_from_db()
    assert half_done.is_published
    assert counts() == (5, look_total, look_total, 4 * look_total)


def test_ensure_demo_user_is_idempotent(db, client):
    for _ in range(2):
        call_command("ensure_demo_user")
    assert User.objects.filter(username="demo").count() == 1
    demo = User.objects.get(username="demo")
    admin = User.objects.get(username="admin")
    assert demo.check_password("lookbook-demo") and not demo.is_staff
    assert admin.check_password("lookbook-admin") and admin.is_superuser and admin.is_staff
    assert PreferenceProfile.objects.filter(user__in=[demo, admin]).count() == 2
    assert client.login(username="admin", password="lookbook-admin")
    assert client.get("/admin/styles/look/").status_code == 200


def test_ensure_demo_user_repairs_a_changed_password(db):
    call_command("ensure_demo_user")
    demo = User.objects.get(username="demo")
    demo.set_password("something-else")
    demo.save()
    call_command("ensure_demo_user")
    demo.refresh_from_db()
    assert demo.check_password("lookbook-demo")


def test_rebuild_stale_looks_queues_its_task_on_the_gpu_queue(monkeypatch, capsys):
    from config.celery import app
    from styles import tasks

    calls = []
    monkeypatch.setattr(tasks.rebuild_stale_looks, "delay", lambda: calls.append("sent"))
    call_command("rebuild_stale_looks")
    assert calls == ["sent"]
    assert "Queued" in capsys.readouterr().out
    route = app.amqp.router.route({}, tasks.rebuild_stale_looks.name)
    assert route["queue"].name == "gpu"
