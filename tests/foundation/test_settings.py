"""Settings come from the environment; production refuses to start without a real secret."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from zone_portal.config import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]
# Variables of this test process that must not leak into the "fresh process" checks below.
_DROP = {"DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "ZP_STRICT"}


def _clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in _DROP}


def test_env_parsers(monkeypatch):
    monkeypatch.setenv("ZP_FLAG", "Yes")
    monkeypatch.setenv("ZP_NUM", "42")
    monkeypatch.setenv("ZP_HOSTS", "a.example.cn, b.example.cn,")
    assert env_bool("ZP_FLAG") is True
    assert env_int("ZP_NUM", 1) == 42
    assert env_list("ZP_HOSTS", []) == ["a.example.cn", "b.example.cn"]
    assert env_bool("ZP_MISSING", default=True) is True


@pytest.mark.parametrize(
    ("name", "value", "parser"), [("ZP_FLAG", "maybe", env_bool), ("ZP_NUM", "4x", env_int)]
)
def test_bad_values_are_refused_with_the_variable_named(monkeypatch, name, value, parser):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        parser(name, 1) if parser is env_int else parser(name)


def _run_settings(env: dict, code: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "SECRET_KEY"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "zone_portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_database_and_broker_urls_are_read(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.CELERY_BROKER_URL, s.TIME_ZONE, s.USE_TZ)"
    )
    out = _run_settings(
        {"DATABASE_URL": "postgres://u:p@db.local:5432/zp", "REDIS_URL": "redis://r.local:6379/3"}, code
    )
    assert out.stdout.split() == [
        "django.db.backends.postgresql",
        "zp",
        "redis://r.local:6379/3",
        "Asia/Shanghai",
        "True",
    ]
    default = _run_settings({"ZP_VAR_DIR": str(tmp_path)}, code)
    engine, name, broker, *_ = default.stdout.split()
    assert (
        engine == "django.db.backends.sqlite3"
        and name.startswith(str(tmp_path))
        and broker == "filesystem://"
    )


def test_production_refuses_the_development_secret():
    out = _run_settings({"DJANGO_ENV": "production"}, "import django; django.setup()")
    assert out.returncode != 0 and "SECRET_KEY" in out.stderr


def test_production_check_deploy_is_clean(tmp_path):
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "k" * 20 + "-Zq8!x#Lr2@vN5$wT9^bY3&cF7*hJ1(mP4)sD6",
        "ALLOWED_HOSTS": "portal.example.cn",
        "ZP_VAR_DIR": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**_clean_env(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_the_test_suite_has_a_broker_folder_and_queue_of_its_own(tmp_path):
    from django.conf import settings

    code = (
        "from django.conf import settings as s; o = s.CELERY_BROKER_TRANSPORT_OPTIONS;"
        "print(s.CELERY_TASK_DEFAULT_QUEUE, o['data_folder_in'], o['control_folder'])"
    )
    # A plain process (dev.py up's web, worker and beat) and a worker started by the test suite.
    dev = _run_settings({"ZP_VAR_DIR": str(tmp_path)}, code).stdout.split()
    suite_worker = _run_settings({"ZP_VAR_DIR": str(tmp_path), "DJANGO_ENV": "test"}, code).stdout.split()
    assert dev == ["celery", str(tmp_path / "broker" / "out"), str(tmp_path / "broker" / "control")]
    assert suite_worker == [
        "zone-portal-tests",
        str(tmp_path / "test-broker" / "out"),
        str(tmp_path / "test-broker" / "control"),
    ]
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "zone-portal-tests"  # this pytest process


def test_development_mail_is_written_to_files_under_var(tmp_path):
    code = "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH)"
    out = _run_settings({"ZP_VAR_DIR": str(tmp_path)}, code).stdout.split()
    assert out == ["django.core.mail.backends.filebased.EmailBackend", str(tmp_path / "mail")]
