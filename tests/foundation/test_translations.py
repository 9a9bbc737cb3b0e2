"""Every visible string has its Chinese translation, and every compiled .mo matches its .po."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "var", "staticfiles", "node_modules", ".git", "media"}

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext (msgfmt)")


def catalogues(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("locale/zh_Hans/LC_MESSAGES/django.po") if not SKIP_DIRS.intersection(p.parts)
    )


def compile_to(po: Path, mo: Path) -> str:
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", str(mo), str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def untranslated(stats: str) -> bool:
    return "untranslated" in stats or "fuzzy" in stats


def test_there_are_catalogues():
    assert (ROOT / "locale/zh_Hans/LC_MESSAGES/django.po") in catalogues(ROOT)


@pytest.mark.parametrize("po", catalogues(ROOT), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated_and_the_mo_is_fresh(po, tmp_path):
    stats = compile_to(po, tmp_path / "fresh.mo")
    assert not untranslated(stats), f"{po}: {stats.strip()}"
    committed = po.with_suffix(".mo")
    assert committed.exists(), f"{committed} is missing: run compilemessages"
    with open(tmp_path / "fresh.mo", "rb") as fresh, open(committed, "rb") as old:
        assert gettext.GNUTranslations(fresh)._catalog == gettext.GNUTranslations(old)._catalog, (
            f"{committed} is stale: run compilemessages"
        )


def test_no_source_string_is_missing_from_the_catalogues(tmp_path):
    """Extract again from a copy of the tree: any new msgid without Chinese fails here."""
    copy = tmp_path / "tree"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*SKIP_DIRS, "__pycache__", "*.mo"))
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            *[f"--ignore={d}" for d in SKIP_DIRS],
            "--ignore=tests",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    problems = []
    for po in catalogues(copy):
        stats = compile_to(po, tmp_path / "x.mo")
        if untranslated(stats):
            problems.append(f"{po.relative_to(copy)}: {stats.strip()}")
    assert problems == [], "run makemessages and translate: " + "; ".join(problems)
