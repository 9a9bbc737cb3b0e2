"""The production settings of the deployment guide (docs/deploy.md): a replica, Redis Sentinel and
an S3-compatible upload store are configuration only, and `check --deploy` stays clean with them."""

import json
import os
import subprocess
import sys

from .servers import ROOT

PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k" * 20 + "-Zq8!x#Lr2@vN5$wT9^bY3&cF7*hJ1(mP4)sD6",
    "ALLOWED_HOSTS": "portal.example.cn",
    "CSRF_TRUSTED_ORIGINS": "https://portal.example.cn",
    "DATABASE_URL": "postgres://portal:pw@db1.internal:5432/zone_portal",
    "DATABASE_REPLICA_URL": "postgres://portal:pw@db2.internal:5432/zone_portal",
    "REDIS_URL": "sentinel://10.0.0.11:26379/0;sentinel://10.0.0.12:26379/0;sentinel://10.0.0.13:26379/0",
    "REDIS_SENTINEL_MASTER": "zone-portal",
    "STORAGE_BACKEND": "s3",
    "S3_BUCKET": "zone-portal-media",
    "S3_ENDPOINT_URL": "https://minio.internal:9000",
    "S3_ACCESS_KEY": "portal",
    "S3_SECRET_KEY": "secret",
}
_DROP = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_ENV",
    "DEBUG",
    "ZP_VAR_DIR",
    "MEDIA_ROOT",
    "DATABASE_REPLICA_URL",
    # the browser tests' setting for Playwright in the test process; never a deployment's
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in _DROP}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_with_replica_sentinel_and_s3_passes_check_deploy(tmp_path):
    out = _run(
        {**PRODUCTION, "ZP_VAR_DIR": str(tmp_path)},
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_the_scale_out_settings_read_from_the_environment(tmp_path):
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({'dbs': sorted(s.DATABASES), 'mirror': s.DATABASES['replica']['TEST']['MIRROR'],"
        "'health': s.DATABASES['replica']['CONN_HEALTH_CHECKS'], 'broker': s.CELERY_BROKER_URL,"
        "'master': s.CELERY_BROKER_TRANSPORT_OPTIONS['master_name'],"
        "'storage': s.STORAGES['default']['BACKEND'], 'bucket': s.STORAGES['default']['OPTIONS']['bucket_name']}))"
    )
    out = _run({**PRODUCTION, "ZP_VAR_DIR": str(tmp_path)}, "-c", code)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {
        "dbs": ["default", "replica"],
        "mirror": "default",
        "health": True,
        "broker": PRODUCTION["REDIS_URL"],
        "master": "zone-portal",
        "storage": "storages.backends.s3.S3Storage",
        "bucket": "zone-portal-media",
    }


def test_a_wrong_storage_setting_is_refused_at_start(tmp_path):
    for env, says in [
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND"),
        ({"STORAGE_BACKEND": "s3"}, "S3_BUCKET"),
    ]:
        out = _run({**env, "ZP_VAR_DIR": str(tmp_path)}, "-c", "import django; django.setup()")
        assert out.returncode != 0 and says in out.stderr
