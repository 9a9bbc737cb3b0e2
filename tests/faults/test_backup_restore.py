"""Backups (README, "Faults and scale-out"): `deploy/backup.sh` (pg_dump + the media folder) and
`deploy/restore.sh` into a fresh database of a PostgreSQL cluster of the test's own and a fresh
media folder; the restored portal passes `check`, and a case opens through the API with its file."""

import json
import subprocess

import pytest

from .servers import ROOT, PgCluster, free_port, gunicorn, http, portal_env

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cluster():
    pg = PgCluster().init().start()
    yield pg
    pg.destroy()


def test_a_backup_restores_into_a_fresh_database_and_a_case_opens(
    demo, ent_a, enterprise_a, settings, cluster, processes, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from services.actions import material_add, request_submit
    from services.demo import seed_catalog
    from zone_portal.accounts.actions import token_issue

    from ..services.conftest import PDF_BYTES

    request = request_submit(
        actor=ent_a,
        service=seed_catalog(demo)["seal-engraving"],
        enterprise=enterprise_a,
        description="备份演练",
    )
    [material] = material_add(
        actor=ent_a,
        service_request=request,
        uploads=[SimpleUploadedFile("营业执照.pdf", PDF_BYTES, content_type="application/pdf")],
    )
    token = token_issue(user=ent_a).key

    env = portal_env(MEDIA_ROOT=str(settings.MEDIA_ROOT), ZP_PYTHON=__import__("sys").executable)
    backup = subprocess.run(
        ["bash", str(ROOT / "deploy/backup.sh"), str(tmp_path / "backups")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert backup.returncode == 0, backup.stderr
    folder = backup.stdout.strip().splitlines()[-1]

    cluster.psql('CREATE DATABASE "restored"')
    restored = {
        **env,
        "DATABASE_URL": cluster.url("restored"),
        "MEDIA_ROOT": str(tmp_path / "media-restored"),
    }
    restore = subprocess.run(
        ["bash", str(ROOT / "deploy/restore.sh"), folder],
        env=restored,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "System check identified no issues" in restore.stdout
    again = subprocess.run(
        ["bash", str(ROOT / "deploy/restore.sh"), folder],
        env=restored,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 1 and "not empty" in again.stderr  # never over a live database

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    processes.add(gunicorn(restored, tmp_path / "web.log", port=port))
    status, _, body = http("GET", f"{base}/api/v1/service-requests/{request.pk}/", token=token)
    assert status == 200, body
    case = json.loads(body)
    assert case["number"] == request.number and case["description"] == "备份演练"
    download = http("GET", f"{base}/api/v1/service-materials/{material.pk}/download/", token=token)
    assert download[0] == 200 and download[2].encode() == PDF_BYTES
