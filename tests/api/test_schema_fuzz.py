"""Schema fuzzing: schemathesis generates requests for every operation of `/api/schema/` and checks
that the server never answers 5xx and always answers what the schema says (status codes declared,
content types and bodies matching their schemas). Run as an administrator and as enterprise staff.

The number of examples per operation is bounded (`FUZZ_EXAMPLES`, default 4) so that the whole run
fits CI's time on a small machine; raise it locally to dig deeper (`FUZZ_EXAMPLES=50`).
"""

import os
from collections import Counter

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
ONLY = os.environ.get("FUZZ_ONLY", "")  # a part of an operation's label, to dig into one
# Revoking the token would leave the rest of the run at 401; revocation has tests of its own.
SIGN_OUT = {"DELETE /api/v1/auth/token/"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _token(schema, user, password):
    """A token obtained as a client would (through the app, not Django's test client, which would
    reconnect the signals that close the connection after each request)."""
    operation = schema["/api/v1/auth/token/"]["POST"]
    case = operation.Case(
        body={"username": user.username, "password": password}, media_type="application/json"
    )
    response = case.call()
    assert response.status_code == 200, response.text
    return response.json()["token"]


def _examples(operation, strategy, headers, failures) -> int:
    """Run `EXAMPLES` generated cases of one operation; record each failed check; count requests."""
    sent = []

    @hypothesis.given(case=strategy)
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[hypothesis.Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        # A savepoint per request, as each request would be its own transaction on a server.
        with transaction.atomic():
            response = case.call(headers=headers)
            sent.append(case)
            try:
                case.validate_response(response, checks=CHECKS)
            except (AssertionError, BaseExceptionGroup) as exc:  # a Failure, or a FailureGroup of them
                for failure in getattr(exc, "exceptions", (exc,)):
                    title = getattr(failure, "title", type(failure).__name__)
                    detail = f"{response.status_code} {case.method} {case.formatted_path} {case.query}"
                    failures.append(
                        (
                            operation.label,
                            title,
                            f"{detail} {getattr(failure, 'message', str(failure))[:1500]}",
                        )
                    )
            transaction.set_rollback(True)

    run()
    return len(sent)


def _fuzz(schema, headers, cases):
    """Every operation, `EXAMPLES` generated cases (plus as many on the real objects of `cases`);
    returns (operations, requests, failures) where a failure is (operation, check, detail)."""
    operations = requests = 0
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if ONLY not in operation.label or operation.label in SIGN_OUT:
            continue
        operations += 1
        requests += _examples(operation, operation.as_strategy(), headers, failures)
        names = {p.name for p in operation.path_parameters}
        known = cases.get(operation.path.removeprefix("/api/v1/").split("/")[0], {})
        if names and names <= known.keys():
            pinned = operation.as_strategy(path_parameters={n: known[n] for n in names})
            requests += _examples(operation, pinned, headers, failures)
    return operations, requests, failures


@pytest.fixture
def cases(demo):
    """Real objects of enterprise A (which ent_a may see), so that generated requests reach the
    views' work and not only their 404: {first path segment: {path parameter: value}}."""
    from django.utils import timezone

    from feedback.actions import escalation_defaults_install, ticket_raise
    from services.actions import request_submit
    from services.demo import seed_catalog
    from tests.projects.factories import MilestoneFactory, ProjectFactory

    escalation_defaults_install()
    enterprise = demo.enterprises["A"]
    catalog = seed_catalog(demo)
    ent_a = demo.users["ent_a"]
    request = request_submit(actor=ent_a, service=catalog["seal-engraving"], enterprise=enterprise)
    ticket = ticket_raise(
        actor=ent_a,
        enterprise=enterprise,
        category="land",
        title="用地",
        description="容积率",
        now=timezone.now(),
    )
    project = ProjectFactory(enterprise=enterprise, park=enterprise.park)
    milestone = MilestoneFactory(project=project)
    hazard = _safety_hazard(demo)
    return {
        "enterprises": {"id": enterprise.pk},
        "service-requests": {"id": request.pk},
        "tickets": {"id": ticket.pk},
        "projects": {"id": project.pk, "milestone_id": milestone.pk},
        "services": {"code": "seal-engraving"},
        "safety": {"id": hazard.pk},  # a hazard (and, usually, its inspection) of enterprise A
    }


def _safety_hazard(demo):
    from django.utils import timezone

    from safety.actions import hazard_add, inspection_plan, inspection_record
    from safety.demo import seed_people
    from safety.models import ChecklistPoint

    seed_people(demo)
    inspector, enterprise = demo.users["dept_emergency"], demo.enterprises["A"]
    inspection = inspection_plan(actor=inspector, enterprise=enterprise, planned_on=timezone.localdate())
    checklist = {point: {"result": "fail", "note": ""} for point in ChecklistPoint.values}
    inspection_record(actor=inspector, inspection=inspection, checklist=checklist)
    return hazard_add(actor=inspector, inspection=inspection, severity="general", description="隐患")


@pytest.fixture
def schema(demo, cases):
    # As Django's test client does: the test's transaction must outlive each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("who", ["admin", "ent_a"])
def test_schema_fuzzing_finds_no_server_error_and_no_schema_violation(demo, schema, cases, who):
    user = demo.users[who]
    token = _token(schema, user, demo.password)
    operations, requests, failures = _fuzz(schema, {"Authorization": f"Token {token}"}, cases)
    summary = Counter((op, title) for op, title, _ in failures)
    report = "\n".join(f"{n:4d}  {op}  {title}" for (op, title), n in sorted(summary.items()))
    details = "\n".join(sorted({f"{op} | {title} | {d}" for op, title, d in failures}))
    print(f"\n{who}: {operations} operations, {requests} requests, {len(failures)} failures\n{report}")
    assert not failures, f"{len(failures)} failures in {requests} requests:\n{report}\n\n{details[:20000]}"
