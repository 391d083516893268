from django.conf import settings
from django.core.management.base import BaseCommand

from lianluo.core.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the demo county (fictional people, realistic structure) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=45)

    def handle(self, *args, cases: int, **options):
        previous = settings.LIANLUO_OUTBOX_MODE
        settings.LIANLUO_OUTBOX_MODE = "sync"
        try:
            seed_demo(cases=cases)
        finally:
            settings.LIANLUO_OUTBOX_MODE = previous
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            f"Open {settings.SITE_URL}/  (staff sign-in: {settings.SITE_URL}/accounts/login/)"
        )  # noqa: E501
        self.stdout.write(
            f"Logins (password {DEMO_PASSWORD}): admin, staff, liaison, deputy, dept, other, leader"
        )  # noqa: E501
