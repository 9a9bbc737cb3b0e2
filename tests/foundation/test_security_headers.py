"""Content-Security-Policy without inline scripts, a Permissions-Policy, and a Swagger UI that
never calls an outside validator."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "var", "staticfiles", "node_modules", ".git", "media"}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def test_pages_and_the_api_send_a_policy_without_inline_scripts(client, api, demo, clerk1):
    client.force_login(clerk1)
    for response in (
        client.get("/accounts/login/"),
        client.get("/"),
        client.get("/services/queue/"),
        api(clerk1).get("/api/v1/me/"),
        client.get("/api/docs/"),
    ):
        directives = _directives(response)
        assert directives["script-src"] == "script-src 'self'"
        assert "'none'" in directives["object-src"] and "'none'" in directives["frame-ancestors"]
        assert "default-src 'self'" in directives["default-src"]
        permissions = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in permissions


def test_no_template_has_an_inline_script_or_event_handler():
    found = []
    for template in ROOT.rglob("*.html"):
        if SKIP_DIRS.intersection(template.relative_to(ROOT).parts) or "templates" not in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER):
            found += [f"{template.relative_to(ROOT)}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
        if "javascript:" in text:
            found.append(f"{template.relative_to(ROOT)}: javascript: URL")
    assert found == []


def test_rendered_pages_have_no_inline_script(client, demo, clerk1):
    client.force_login(clerk1)
    for url in ("/", "/services/queue/", "/services/appointments/", "/api/docs/", "/accounts/sessions/"):
        body = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(body), url
        assert not EVENT_HANDLER.search(body), url


def test_swagger_ui_never_calls_an_outside_validator(client, demo, clerk1):
    client.force_login(clerk1)
    page = client.get("/api/docs/").content.decode()
    script_url = re.search(r'<script src="([^"]*script=[^"]*)"', page).group(1).replace("&amp;", "&")
    script = client.get(script_url).content.decode()
    assert re.search(r'"validatorUrl":\s*null', script)
    assert "validator.swagger.io" not in page + script
