"""Enterprises written through the register's own action, so their pinyin search keys exist."""

import itertools

from enterprises.actions import enterprise_create
from tests.factories import make_uscc

_numbers = itertools.count(50_000)


def make_enterprise(park, name: str | None = None, **fields):
    number = next(_numbers)
    data = {"name": name or f"测试企业{number}有限公司", "uscc": make_uscc(number), "park": park, **fields}
    return enterprise_create(actor=None, data=data)
