"""Fixtures of the supervision tests: supervisor1 on the roster, an observation at the hall, a
tiny JPEG."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from supervision import actions
from supervision.models import Supervisor


def jpeg(name="photo.jpg"):
    return SimpleUploadedFile(name, b"\xff\xd8\xff\xe0" + b"\x00" * 64, content_type="image/jpeg")


@pytest.fixture
def roster(demo, supervisor1):
    return Supervisor.objects.create(
        user=supervisor1,
        name="何芳",
        phone="13900000001",
        term_start=date(2025, 1, 1),
        term_end=date(2099, 12, 31),
    )


@pytest.fixture
def file_observation(roster, supervisor1):
    def make(**values):
        values = {
            "category": "blocking",
            "place": "hall_window",
            "description": "3号窗口叫号机坏了",
            **values,
        }
        return actions.observation_file(actor=supervisor1, **values)

    return make
