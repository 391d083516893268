from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.models import Area, SmsMessage
from lianluo.demo.seed import DEMO_PASSWORD, seed_demo
from lianluo.demo.seed.projects import township_session


def outside_development() -> str:
    """Why this is not a development installation ("" when it is). Development means DEBUG or
    LIANLUO_DEV on, and a SQLite database. Any other database (PostgreSQL) counts as
    production even with DEBUG on: nothing tells a developer's PostgreSQL from the real one,
    and the seed gives the demo logins a public password."""
    if not (settings.DEBUG or getattr(settings, "LIANLUO_DEV", False)):
        return _("DEBUG and LIANLUO_DEV are both off")
    if connection.vendor != "sqlite":
        return _("the database is %(vendor)s, not SQLite (it may be a production database)") % {
            "vendor": "PostgreSQL" if connection.vendor == "postgresql" else connection.vendor
        }
    return ""


class Command(BaseCommand):
    help = (
        "Load the demo county (fictional people, realistic structure) and print the logins. "
        "Development only (DEBUG or LIANLUO_DEV on, SQLite); safe to run again over a used demo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=45)
        parser.add_argument(
            "--force-outside-development",
            action="store_true",
            help="run even without DEBUG/LIANLUO_DEV or on a database other than SQLite",
        )

    def handle(self, *args, cases: int, force_outside_development: bool = False, **options):
        reason = outside_development()
        if reason and not force_outside_development:
            raise CommandError(
                _(
                    "seed_demo refused to run: %(reason)s. It fills the database with fictional "
                    "people and gives the demo logins (admin, staff, …) the public password "
                    "“%(password)s”, so it runs only in development (DEBUG=1 or LIANLUO_DEV=1, "
                    "on SQLite). If this database really is one to throw away, run it again "
                    "with --force-outside-development."
                )
                % {"reason": reason, "password": DEMO_PASSWORD}
            )
        previous = settings.LIANLUO_OUTBOX_MODE
        settings.LIANLUO_OUTBOX_MODE = "sync"
        try:
            ctx = seed_demo(cases=cases, today=timezone.localdate())
        finally:
            settings.LIANLUO_OUTBOX_MODE = previous
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        sms = SmsMessage.objects.filter(sent_at__isnull=False)
        self.stdout.write(
            f"SMS to citizens sent by {settings.LIANLUO_SMS_BACKEND.rsplit('.', 1)[-1]}: "
            f"{sms.count()} (each logged as “SMS to 138****…: …”)"
        )
        self.stdout.write(
            f"Open {settings.SITE_URL}/  (staff sign-in: {settings.SITE_URL}/accounts/login/)"
        )
        self.stdout.write(
            "Logins: admin, staff, liaison, deputy, dept, dept2, dept3, other, leader "
            f"(password {DEMO_PASSWORD}, set when the seed created them; a changed one is kept)"
        )
        if "county" in ctx:
            self._insights(ctx["county"], ctx["today"].year - 1)
        self._loop(ctx)
        code = ctx.get("suggestion_tracking_code")
        if code:
            self.stdout.write(
                "A citizen follows the suggestion made from their case: "
                f"{settings.SITE_URL}/t/{code}/"
            )
        session = township_session()
        if session is not None:
            vote, site = session.vote, settings.SITE_URL
            self.stdout.write(
                f"Run the session vote of {vote.title}: sign in as staff, open "
                f"{site}/votes/{vote.pk}/run/ (mark presence, open, close; paper ballots at "
                f"{site}/votes/{vote.pk}/paper/)"
            )
            self.stdout.write(
                f"Deputies vote on their phones at {site}/votes/{vote.pk}/ as "
                f"{', '.join(session.logins)} (same password); after closing, each finds their "
                f"receipt in {site}/votes/{vote.pk}/receipts/ and the result is at "
                f"{site}/votes/{vote.pk}/result/"
            )

    def _insights(self, county: Area, year: int) -> None:
        """Where the county's figures are, and last year's briefing written as files (once: a
        file someone has opened or edited is theirs)."""
        site, scope = settings.SITE_URL, f"scope={county.code}"
        self.stdout.write(
            f"Figures of {county.name}: {site}/insights/?{scope} (last year: "
            f"{site}/insights/?{scope}&from={year}-01-01&to={year}-12-31); the hall's big "
            f"screen: {site}/insights/screen/?{scope}; the briefing: "
            f"{site}/insights/briefing/?{scope}"
        )
        for suffix in ("pdf", "docx"):
            path = Path(settings.DATA_DIR) / f"demo-briefing-{year}.{suffix}"
            if not path.exists():
                call_command(
                    "make_briefing",
                    scope=county.code,
                    start=f"{year}-01-01",
                    end=f"{year}-12-31",
                    out=str(path),
                    stdout=StringIO(),
                )
            self.stdout.write(f"Briefing of {year} ({suffix.upper()}): {path}")

    def _loop(self, ctx: dict) -> None:
        """Where to try the citizen's and the deputy's ends of the loop."""
        site = settings.SITE_URL
        code = ctx.get("rate_tracking_code")
        if code:
            self.stdout.write(
                f"A citizen reads the answer to their case and rates it: {site}/t/{code}/"
            )
        number = ctx.get("duplicate_number")
        if number:
            self.stdout.write(
                f"Two reports of one pothole wait at triage, to merge (sign in as staff): "
                f"{site}/ledger/{number}/"
            )
        self.stdout.write(
            f"A deputy records a matter found on a visit: sign in as deputy on a phone, "
            f"{site}/me/ → “记录走访发现的问题”"
        )
