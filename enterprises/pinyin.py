"""Pinyin search keys for enterprise names: people type "zjkj" (or "zhongjin") for 中金科技.

The keys are stored on the row (`name_initials`, `name_pinyin`) by every action that writes a name,
so the directory searches stored columns instead of converting names on every query.
"""

import re

from pypinyin import Style, lazy_pinyin

_HAN_RUNS = re.compile(r"([\u3400-\u9fff]+)")
_NOT_ALNUM = re.compile(r"[^0-9a-z]")


def name_search_keys(name: str) -> tuple[str, str]:
    """Return (initials, full pinyin) of `name`, lower-case ASCII letters and digits only.

    Each Chinese character gives one syllable (polyphones follow pypinyin's phrase dictionary:
    重庆 → chongqing, 银行 → yinhang); Latin letters and digits are kept whole in both keys
    ("ABC科技" → "abckj", "abckeji"); punctuation and brackets are dropped.
    """
    initials: list[str] = []
    full: list[str] = []
    for index, run in enumerate(_HAN_RUNS.split(name or "")):
        if index % 2:  # a run of Chinese characters (odd positions of re.split with a group)
            syllables = lazy_pinyin(run, style=Style.NORMAL)
            full.extend(syllables)
            initials.extend(s[:1] for s in syllables)
        else:
            kept = _NOT_ALNUM.sub("", run.lower())
            full.append(kept)
            initials.append(kept)
    return "".join(initials)[:200], "".join(full)[:800]
