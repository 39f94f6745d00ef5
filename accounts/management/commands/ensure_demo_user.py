"""`python manage.py ensure_demo_user`: the demo account and the curator account, idempotently.

demo / lookbook-demo is a normal user with a preference profile; admin / lookbook-admin is a
superuser for the admin. Running it again resets their passwords and flags, and creates nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from accounts.services import register_user

DEMO = {"username": "demo", "email": "demo@lookbook.local", "password": "lookbook-demo"}
ADMIN = {"username": "admin", "email": "admin@lookbook.local", "password": "lookbook-admin"}


class Command(BaseCommand):
    help = "Create or update the demo user (demo/lookbook-demo) and admin (admin/lookbook-admin)."

    @transaction.atomic
    def handle(self, *args, **options):
        demo = User.objects.filter(username=DEMO["username"]).first()
        if demo is None:
            demo = register_user(**DEMO)
        self._reset(demo, DEMO["password"], staff=False)
        admin = User.objects.filter(username=ADMIN["username"]).first()
        if admin is None:
            admin = User.objects.create_superuser(**ADMIN)
        self._reset(admin, ADMIN["password"], staff=True)
        self.stdout.write(
            self.style.SUCCESS("Demo user demo / lookbook-demo and admin admin / lookbook-admin.")
        )

    def _reset(self, user: User, password: str, *, staff: bool) -> None:
        if not user.check_password(password):
            user.set_password(password)
        user.is_active = True
        user.is_staff = user.is_superuser = staff
        user.save()
        user.preference_profile()
