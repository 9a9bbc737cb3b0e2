import pytest

from enterprises.actions import enterprise_search_keys_refresh


@pytest.fixture
def register(demo):
    """The foundation's demo plus pinyin keys for A and B (the foundation writes them without)."""
    enterprise_search_keys_refresh()
    return demo
