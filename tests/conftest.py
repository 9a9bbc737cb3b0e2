"""Shared fixtures: the demo organisation, one fixture per role, API clients, strict-mode markers.

`ZP_STRICT=1` (set by .ci/run) turns "PostgreSQL / Chromium not available" into failures instead of
skips, so CI can never pass by skipping the tests that matter most.
"""

import os
import shutil

import pytest
from rest_framework.test import APIClient

from enterprises.demo import seed_enterprises_a_and_b
from zone_portal.celery import app as celery_app
from zone_portal.demo import DemoContext, seed_foundation

STRICT = os.environ.get("ZP_STRICT") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_configure(config):
    # Unit tests run tasks in-process; tests marked `worker` start a real worker process instead.
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    from django.conf import settings

    if STRICT and not settings.IS_POSTGRES:
        raise pytest.UsageError("ZP_STRICT=1 needs DATABASE_URL pointing at PostgreSQL")


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    for item in items:
        if "postgres" in item.keywords and not settings.IS_POSTGRES:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "browser" in item.keywords and not os.path.exists(CHROMIUM) and not STRICT:
            item.add_marker(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}"))


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    from zone_portal.worktime.calendar import calendar_changed

    calendar_changed()
    yield
    calendar_changed()


@pytest.fixture
def demo(db) -> DemoContext:
    """The demo organisation: six parks, departments, every demo user, enterprises A and B."""
    ctx = DemoContext(password="pw-for-tests-1")
    seed_foundation(ctx)
    seed_enterprises_a_and_b(ctx)
    return ctx


def _user(name):
    @pytest.fixture
    def fixture(demo):
        return demo.users[name]

    fixture.__name__ = name
    return fixture


admin_user = _user("admin")
clerk1 = _user("clerk1")
clerk2 = _user("clerk2")
cso1 = _user("cso1")
cso2 = _user("cso2")
park1 = _user("park1")
park2 = _user("park2")
dept_market = _user("dept_market")
dept_tax = _user("dept_tax")
dept_land = _user("dept_land")
dept_power = _user("dept_power")
leader1 = _user("leader1")
supervisor1 = _user("supervisor1")
hotline = _user("hotline")
ent_a = _user("ent_a")
ent_b = _user("ent_b")


@pytest.fixture
def enterprise_a(demo):
    return demo.enterprises["A"]


@pytest.fixture
def enterprise_b(demo):
    return demo.enterprises["B"]


@pytest.fixture
def api():
    """`api(user)` → an APIClient authenticated as that user (or anonymous with None)."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
