"""Django merges every app's catalogue into one: the same English text translated two ways in two
apps would silently show one app's Chinese in the other. Such texts need a context (pgettext)."""

import gettext
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "var", "staticfiles", ".git"}


def test_no_english_text_is_translated_two_ways():
    seen = defaultdict(set)
    for mo in ROOT.rglob("locale/zh_Hans/LC_MESSAGES/django.mo"):
        if SKIP.intersection(mo.parts):
            continue
        with open(mo, "rb") as handle:
            for msgid, msgstr in gettext.GNUTranslations(handle)._catalog.items():
                if msgid:
                    seen[msgid].add((msgstr, str(mo.relative_to(ROOT).parts[0])))
    conflicts = {
        msgid: sorted(found) for msgid, found in seen.items() if len({msgstr for msgstr, _ in found}) > 1
    }
    assert conflicts == {}, "\n".join(f"{k!r}: {v}" for k, v in sorted(conflicts.items()))
