"""The home panels' register figures and the dashboard's register section are counted once per
REGISTER_FIGURES_SECONDS for every process (enterprises.selectors.register_figures,
enterprises.dashboard.enterprise_figures), afresh on a new day, and every time in the suite."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from enterprises.models import Enterprise
from enterprises.selectors import register_figures
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_shared():
    caches["shared"].clear()  # the suite's is in memory (settings.CACHES)
    yield
    caches["shared"].clear()


def test_the_figures_are_kept_then_counted_again(register, settings, time_machine, django_assert_num_queries):
    settings.REGISTER_FIGURES_SECONDS = 30
    time_machine.move_to(timezone.now(), tick=False)
    first = register_figures()
    assert first["total"] == Enterprise.objects.filter(status=Enterprise.Status.ACTIVE).count()
    EnterpriseFactory(park=next(iter(register.parks.values())))
    with django_assert_num_queries(0):
        assert register_figures() == first  # kept
    time_machine.shift(timedelta(seconds=31))
    again = register_figures()
    assert again["total"] == first["total"] + 1 and again["without_officer"] == first["without_officer"] + 1


def test_a_new_day_counts_afresh(register, settings, time_machine):
    settings.REGISTER_FIGURES_SECONDS = 3600
    time_machine.move_to(timezone.localtime().replace(hour=23, minute=59, second=50), tick=False)
    first = register_figures()
    EnterpriseFactory(park=next(iter(register.parks.values())))
    time_machine.shift(timedelta(seconds=20))
    assert register_figures()["total"] == first["total"] + 1


def test_the_suite_counts_every_time(register, settings):
    assert settings.REGISTER_FIGURES_SECONDS == 0
    first = register_figures()
    EnterpriseFactory(park=next(iter(register.parks.values())))
    assert register_figures()["total"] == first["total"] + 1


def test_the_dashboards_register_section_is_kept_per_scope(
    register, settings, time_machine, django_assert_num_queries
):
    """A dashboard summary recomputed every few seconds does not count the register each time."""
    from types import SimpleNamespace

    from enterprises.dashboard import enterprise_figures
    from zone_portal.dashboard.scope import Scope

    settings.REGISTER_FIGURES_SECONDS = 30
    time_machine.move_to(timezone.now(), tick=False)
    reading = SimpleNamespace(today=timezone.localdate())
    park = next(iter(register.parks.values()))
    zone, in_park = enterprise_figures(Scope(), reading), enterprise_figures(Scope(park=park), reading)
    assert zone["total"] == Enterprise.objects.filter(status=Enterprise.Status.ACTIVE).count()
    assert in_park["total"] == Enterprise.objects.filter(status=Enterprise.Status.ACTIVE, park=park).count()
    EnterpriseFactory(park=park)
    with django_assert_num_queries(0):
        assert enterprise_figures(Scope(), reading) == zone  # kept, each scope its own copy
        assert enterprise_figures(Scope(park=park), reading) == in_park
    time_machine.shift(timedelta(seconds=31))
    assert enterprise_figures(Scope(), reading)["total"] == zone["total"] + 1
    settings.REGISTER_FIGURES_SECONDS = 0  # the suite's: counted every time
    EnterpriseFactory(park=park)
    assert enterprise_figures(Scope(park=park), reading)["total"] == in_park["total"] + 2
