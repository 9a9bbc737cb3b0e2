"""The ratings are given on the other apps' cases: their fixtures."""

from tests.feedback.conftest import org  # noqa: F401
