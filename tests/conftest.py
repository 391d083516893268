"""Shared fixtures: the demo county's structure (built by the same code as `make demo`),
API clients with bearer tokens, and helpers that build cases through the services.

The clock is pinned for the whole run (`--clock`, default `DEFAULT_CLOCK`): no test reads the
real date, so the suite gives the same answer on any day; `.ci/run` runs it again at the hard
dates (docs/testing.md)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import uuid
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from lianluo.cases.models import Case
from lianluo.core.models import User
from lianluo.core.services import api_token_issue
from lianluo.demo.seed import seed_structure
from tests.factories import cases as case_factories

DEMO_LOGINS = ["admin", "staff", "liaison", "deputy", "dept", "other", "leader"]

# An ordinary working morning (a Wednesday: the demo's stations receive on Wednesdays).
DEFAULT_CLOCK = "2026-12-02T10:00"


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=DEFAULT_CLOCK,
        help="the instant the run starts at, ISO 8601, local time Asia/Shanghai unless it has "
        f"an offset (default {DEFAULT_CLOCK}); the clock then ticks",
    )


def clock_start(value: str) -> datetime:
    at = datetime.fromisoformat(value)
    return at if at.tzinfo else at.replace(tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="session", autouse=True)
def _pinned_clock(request):
    """Every test runs on the clock given by --clock, never the real one: before this, a test
    passed or failed with the weekday it ran on. Set once for the session (before the
    module-wide demo seeds) and ticking, so timeouts and ordering still work. Not for the
    browser tests: Chromium keeps the real time, and cookies set by a pinned server would
    expire in it."""
    if any(item.get_closest_marker("browser") for item in request.session.items):
        yield
        return
    with time_machine.travel(clock_start(request.config.getoption("--clock")), tick=True):
        yield


@pytest.fixture(scope="module", autouse=True)
def _module_clock(request):
    """`pytestmark = pytest.mark.clock("2026-06-10T10:00")`: the module's tests and its
    module-wide demo run from that instant whatever --clock says, for tests whose story needs
    a date (e.g. "three days ago, this year"). Prefer tests that hold on any date."""
    marker = request.node.get_closest_marker("clock")
    if marker is None:
        yield
        return
    with time_machine.travel(clock_start(marker.args[0]), tick=True):
        yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (zh-hans), whatever a test before it in the same
    worker left active: an import job records the language it was uploaded in."""
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _intake_addressees():
    """Each test starts with intake's per-process map of stations empty (cases.addressees): a
    test's rolled-back stations must not be served to the next, whose generation may have come
    back to the same number."""
    from lianluo.cases.addressees import addressees_forget

    addressees_forget()
    yield
    addressees_forget()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LIANLUO_INTAKE_RATE = "1000/m"


@pytest.fixture
def demo(db):
    """The demo county without cases: areas, congresses, stations, deputies, users."""
    return seed_structure(random.Random(2026))


@pytest.fixture
def users(demo) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=DEMO_LOGINS)}


class ApiClient:
    """A Django test client that speaks JSON with a bearer token."""

    def __init__(
        self, user: User | None = None, language: str = "zh-hans", address: str = "127.0.0.1"
    ):
        self.client = Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)
        self.headers = {}
        if user is not None:
            raw, _token = api_token_issue(user=user)
            self.headers["Authorization"] = f"Bearer {raw}"

    def get(self, path: str, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, data: dict | None = None):
        return self.client.post(
            path, data or {}, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def client_address() -> str:
    """An address of this test's own for its clients: with REDIS_URL the throttles' counters
    outlive a test, and other tests (in this worker or the other) post in the same minute."""
    return "10.{}.{}.{}".format(*uuid.uuid4().bytes[:3])


@pytest.fixture
def api(users, client_address):
    """api("staff") -> a client signed in as that demo user; api() -> anonymous. All of a
    test's clients come from one address of the test's own (client_address)."""

    def make(username: str | None = None, language: str = "zh-hans") -> ApiClient:
        return ApiClient(users[username] if username else None, language, client_address)

    return make


@pytest.fixture
def make_case(demo, users):
    """Build a case at a station (default: the liaison's station) and walk it through actions,
    each as (action, fields) applied by the staff user — records in later states come from
    the services, never from writing status=."""

    def make(*steps, station=None, deputy=None, actor=None, **fields) -> Case:
        return case_factories.make_case(
            *steps,
            station=None if deputy else (station or demo["cg_hub"]),
            deputy=deputy,
            actor=actor or users["staff"],
            **fields,
        )

    return make


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test in a file database as production does, not in shared-cache memory: there
    threads fail on table locks, where a file serializes them on IMMEDIATE transactions."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    # (pytest-django's xdist suffix knows only Django's own engine name: with ours it has made
    # a name of `test_<file>_gw0` already, which is replaced here too.)
    sqlite = db["ENGINE"] in ("django.db.backends.sqlite3", "lianluo.core.sqlite")
    if sqlite and not os.environ.get("TEST_DATABASE_NAME"):
        db["TEST"]["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="module")
def _demo_per_module(django_db_setup, django_db_blocker):
    """The demo county built once per test module, in a transaction rolled back after the
    module; each test still runs (and rolls back) in a savepoint inside it. Not for tests with
    transaction=True or threads: the open transaction would hide the data from, and block,
    other connections."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            ctx = seed_structure(random.Random(2026))
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def demo_shared(_demo_per_module, db):
    """Opt in per module, where building the demo county for every test costs too much:
    `@pytest.fixture def demo(demo_shared): return demo_shared`."""
    return _demo_per_module


@pytest.fixture
def private_storage(tmp_path, monkeypatch):
    """Citizens' photos go to a temporary directory for the test, not the developer's data dir
    (the photo field's storage is bound when the model class is made, so it is swapped here)."""
    from django.core.files.storage import FileSystemStorage

    from lianluo.cases.models import CasePhoto

    field = CasePhoto._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))
    return tmp_path


@pytest.fixture
def zbar(tmp_path) -> Callable[[bytes], str]:
    """zbar(png) -> the text of the one QR symbol, decoded by zbar (not by what drew it)."""
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbar-tools is not installed (apt-get install zbar-tools)"

    def decode(png: bytes) -> str:
        path = tmp_path / "qr.png"
        path.write_bytes(png)
        result = subprocess.run(
            [zbarimg, "--nodbus", "--raw", "-q", str(path)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert result.returncode == 0, f"zbar found no QR code (exit {result.returncode})"
        lines = result.stdout.splitlines()
        assert len(lines) == 1, f"expected one QR symbol, got {lines!r}"
        return lines[0]

    return decode
