"""The access matrix: every object endpoint and page of the URL configuration, requested for demo
objects of every kind as every demo role (and anonymous), against the access policy.

The routes come from `get_resolver()`, not from a hand-picked list: a route with an object in its
path must be claimed by `OBJECT_ROUTES` (which kind of object its `pk` names) or listed in `EXEMPT`
with a reason, so a new endpoint without a rule fails `test_every_route_has_a_rule`. The answers
are held to the declaring app's `visible_to(user)`: an object the user may not read never answers
200 (404, 403, 401 or a redirect to sign-in instead), and the object's read routes answer 200 to
everyone who may read it. List endpoints list nothing outside the policy either.
"""

import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from zone_portal.access.policy import object_kind, object_kinds, visible
from zone_portal.accounts.models import User

PASSWORD = "pw-for-the-matrix-1"

# route name → (kind of the object named by `pk`, is it a read route that answers 200 to readers,
# how the route's other path parameters come from the object)
OBJECT_ROUTES = {
    # enterprises
    "enterprises:detail": ("enterprise", True, {}),
    "enterprises:edit": ("enterprise", False, {}),
    "enterprises:assign": ("enterprise", False, {}),
    "enterprises:status": ("enterprise", False, {}),
    "enterprises:visit-add": ("enterprise", False, {}),
    "enterprises:staff": ("enterprise", False, {}),
    "enterprise-detail": ("enterprise", True, {}),
    "enterprise-assign-cso": ("enterprise", False, {}),
    "enterprise-cso-history": ("enterprise", True, {}),
    "enterprise-visits": ("enterprise", True, {}),
    "enterprises:staff-remove": ("membership", False, {"pk": "enterprise_id", "membership_id": "pk"}),
    "enterprises:account-request-approve": ("account_request", False, {}),
    "enterprises:account-request-refuse": ("account_request", False, {}),
    "enterprises:import-detail": ("enterprise_import", True, {}),
    "enterprises:import-progress": ("enterprise_import", True, {}),
    "enterprises:import-confirm": ("enterprise_import", False, {}),
    "enterprises:import-errors": ("enterprise_import", True, {}),
    "feedback:ticket-from-visit": ("visit", False, {"visit_id": "pk"}),
    # services
    "services:request-detail": ("service_request", True, {}),
    "services:request-receipt": ("service_request", False, {}),
    "services:request-notice": ("service_request", False, {}),
    "services:supplement-notice": ("service_request", False, {}),
    "services:request-act": ("service_request", False, {"verb": "=withdraw"}),
    "api-service-request": ("service_request", True, {}),
    "api-service-request-materials": ("service_request", True, {}),
    "services:material-download": ("material", False, {}),
    "api-service-material-download": ("material", False, {}),
    "services:appointment-cancel": ("appointment", False, {}),
    "api-appointment-cancel": ("appointment", False, {}),
    "services:rectification-detail": ("rectification", False, {}),
    "services:rectification-act": ("rectification", False, {"verb": "=appeal"}),
    "api-rectification": ("rectification", True, {}),
    # projects
    "projects:detail": ("project", True, {}),
    "projects:edit": ("project", False, {}),
    "projects:stage": ("project", False, {}),
    "projects:milestone-create": ("project", False, {}),
    "projects:ledger-create": ("project", False, {}),
    "projects:ledger-xlsx": ("project", True, {}),
    "projects:supervision-create": ("project", False, {}),
    "projects:observation-create": ("project", False, {}),
    "api-project": ("project", True, {}),
    "api-project-stage": ("project", False, {}),
    "api-project-milestones": ("project", True, {}),
    "api-project-ledger": ("project", True, {}),
    "api-project-ledger-xlsx": ("project", True, {}),
    "api-project-supervisions": ("project", True, {}),
    "api-project-observations": ("project", True, {}),
    # feedback
    "feedback:detail": ("ticket", True, {}),
    "feedback:act": ("ticket", False, {"verb": "=comment"}),
    "feedback:attachment": ("attachment", False, {"pk": "ticket_id", "attachment_pk": "pk"}),
    "ticket-detail": ("ticket", True, {}),
    "ticket-attachments": ("ticket", False, {}),
    "feedback:meeting": ("meeting", True, {}),
    "feedback:meeting-minutes": ("meeting", False, {}),
    "meeting-detail": ("meeting", True, {}),
    "meeting-minutes": ("meeting", False, {}),
    "feedback:action-item-complete": ("action_item", False, {}),
    "action-item-complete": ("action_item", False, {}),
    # supervision
    "supervision:observation": ("supervisor_observation", True, {}),
    "supervision:observation-act": ("supervisor_observation", False, {"verb": "=rate"}),
    "api-observation": ("supervisor_observation", True, {}),
    "supervision:indicator-enter": ("indicator", False, {}),
    "api-indicator-entries": ("indicator", False, {}),
    "supervision:entry-decide": ("indicator_entry", False, {}),
    "supervision:entry-evidence": ("indicator_entry", False, {}),
    "api-indicator-entry-decide": ("indicator_entry", False, {}),
    # safety
    "safety:inspection": ("safety_inspection", True, {}),
    "safety:inspection-act": ("safety_inspection", False, {"verb": "=cancel"}),
    "safety:hazard": ("hazard", True, {}),
    "safety:hazard-act": ("hazard", False, {"verb": "=expose"}),
    "safety:file": ("safety_file", False, {}),
    "safety:campaign": ("safety_campaign", True, {}),
    "api-safety-campaign": ("safety_campaign", True, {}),
    "api-safety-inspection": ("safety_inspection", True, {}),
    "api-safety-hazard": ("hazard", True, {}),
    "api-safety-file": ("safety_file", False, {}),
    # benefits, vouchers, financing
    "benefits:policy": ("benefit_policy", True, {}),
    "benefits:policy-apply": ("benefit_policy", False, {}),
    "benefits:policy-propose": ("benefit_policy", False, {}),
    "api-benefit-policy": ("benefit_policy", True, {}),
    "api-benefit-policy-matches": ("benefit_policy", True, {}),
    "benefits:application": ("policy_application", True, {}),
    "benefits:application-material": ("policy_application", False, {}),
    "benefits:application-act": ("policy_application", False, {"verb": "=accept"}),
    "api-policy-application": ("policy_application", True, {}),
    "benefits:voucher": ("voucher", True, {}),
    "benefits:voucher-act": ("voucher", False, {"verb": "=issue"}),
    "api-voucher": ("voucher", True, {}),
    "benefits:loan": ("loan", True, {}),
    "api-loan": ("loan", True, {}),
    "benefits:loan-subsidy": ("loan", False, {}),
    "benefits:loan-ticket-link": ("loan", False, {}),
    "benefits:loan-ticket-raise": ("loan", False, {}),
    "benefits:round-city-total": ("voucher_round", False, {}),
    "api-voucher-round-city-total": ("voucher_round", False, {}),
    # the foundation
    "api-notification-read": ("notification", False, {}),
    "inbox-read": ("notification", False, {}),
    "inbox-open": ("notification", False, {}),
}
# Action endpoints (POST only) of the API whose object is the route's `pk`, by name prefix.
OBJECT_ROUTE_PREFIXES = {
    "api-service-request-": "service_request",
    "api-rectification-": "rectification",
    "ticket-": "ticket",
    "api-observation-": "supervisor_observation",
    "api-safety-inspection-": "safety_inspection",
    "api-safety-hazard-": "hazard",
    "api-policy-application-": "policy_application",
    "api-voucher-": "voucher",
    "api-loan-": "loan",
}
EXEMPT = {
    "account-session-end": "a person's own session by an opaque handle, not an object id; "
    "tests/foundation/test_tokens_and_sessions.py::test_nobody_ends_another_users_session",
    "enterprises:account-link": "a capability link: the emailed token is the credential of the "
    "enterprise's registered contact (tests/enterprises/test_accounts.py)",
    "calendar-delete": "a working-calendar override: configuration, administrators only (role_required)",
    "dashboard:drill": "metric slugs, not objects: each drill-down's rows are held to the policy by "
    "tests/dashboard/test_drilldown_access.py",
    "api-service": "the service catalog is public (no sign-in needed)",
    "projects:milestone-reach": "a milestone of a project: the project's rule (projects:milestone-create)",
    "api-project-milestone": "a milestone of a project: the project's rule (api-project-milestones)",
    "projects:ledger-photo": "a ledger photo: the project's rule, tested by tests/projects (ledger_photo_for)",
    "api-project-photo": "a ledger photo: the project's rule, tested by tests/projects (ledger_photo_for)",
    "supervision:photo": "an observation's photo: the observation's rule (observation_photos_visible_to), "
    "tested by tests/supervision/test_pages.py",
    "benefits:application-material-download": "a material of an application: the application's rule "
    "(application_for, then the file among its own), tested by tests/benefits",
    "benefits:voucher-file": "a redemption file of a voucher: the voucher's rule (voucher_for, then the file "
    "among its own), tested by tests/benefits",
}
# Routes of Django's admin (staff only, Django's own permissions) and DRF's format suffixes.
EXEMPT_PATTERNS = (re.compile(r"^admin/"), re.compile(r"\(\?P<format>"))

# Every demo role, two of them on either side of a scope (park 1 and park 2, two departments, two
# enterprises).
IDENTITIES = [
    "admin",
    "clerk1",
    "cso1",
    "cso3",
    "park1",
    "park2",
    "dept_market",
    "dept_tax",
    "dept_emergency",
    "leader1",
    "supervisor1",
    "expert1",
    "hotline",
    "ent_a",
    "ent_b",
    None,
]
# List endpoints and the kind they list: nothing outside the policy.
LIST_ROUTES = {
    "/api/v1/enterprises/": "enterprise",
    "/api/v1/service-requests/": "service_request",
    "/api/v1/appointments/": "appointment",
    "/api/v1/ratings/": "rating",
    "/api/v1/rectifications/": "rectification",
    "/api/v1/tickets/": "ticket",
    "/api/v1/meetings/": "meeting",
    "/api/v1/projects/": "project",
    "/api/v1/notifications/": "notification",
    "/api/v1/observations/": "supervisor_observation",
    "/api/v1/supervisors/": "supervisor",
    "/api/v1/indicators/": "indicator",
    "/api/v1/indicator-entries/": "indicator_entry",
    "/api/v1/safety/inspections/": "safety_inspection",
    "/api/v1/safety/hazards/": "hazard",
    "/api/v1/safety/campaigns/": "safety_campaign",
    "/api/v1/benefit-policies/": "benefit_policy",
    "/api/v1/policy-applications/": "policy_application",
    "/api/v1/benefit-ledger/": "disbursement",
    "/api/v1/vouchers/": "voucher",
    "/api/v1/loans/": "loan",
    "/api/v1/credit-lines/": "credit_line",
    "/api/v1/matching-events/": "matching_event",
}
SAMPLES_PER_KIND = 3
DENIED = {302, 401, 403, 404, 405}


def routes():
    """Every (route, name) of the URL configuration, namespaced."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name or ""
                yield prefix + str(pattern.pattern), name, pattern

    yield from walk(get_resolver().url_patterns, "", "")


def has_parameters(route: str) -> bool:
    return "<" in route


def exempt(route: str, name: str) -> bool:
    return name in EXEMPT or any(p.search(route) for p in EXEMPT_PATTERNS)


def rule_for(name: str):
    if name in OBJECT_ROUTES:
        return OBJECT_ROUTES[name]
    for prefix, kind in OBJECT_ROUTE_PREFIXES.items():
        if name.startswith(prefix):
            return kind, False, {}
    return None


def test_every_route_has_a_rule():
    uncovered = [
        f"{name or '(unnamed)'}  {route}"
        for route, name, _pattern in routes()
        if has_parameters(route) and not exempt(route, name) and rule_for(name) is None
    ]
    assert not uncovered, "Object routes without an access rule (add them to OBJECT_ROUTES or EXEMPT):\n" + (
        "\n".join(uncovered)
    )


def test_every_kind_in_the_rules_is_declared():
    declared = {kind.name for kind in object_kinds()}
    used = {rule[0] for rule in OBJECT_ROUTES.values()} | set(OBJECT_ROUTE_PREFIXES.values())
    assert used <= declared


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo data, seeded once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


def _url(route: str, params: dict) -> str:
    def fill(match):
        return str(params[match.group(2)])

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(params[m.group(1)]), route)
    path = re.sub(r"<(?:(\w+):)?(\w+)>", fill, path)
    return "/" + path.replace("^", "").replace("$", "")


def _params(obj, extra: dict) -> dict:
    params = {"pk": obj.pk}
    for key, source in extra.items():
        params[key] = source[1:] if source.startswith("=") else getattr(obj, source)
    return params


def _samples(kind):
    """A few objects of the kind, from both ends of the table (different enterprises and parks)."""
    qs = kind.model.objects.order_by("pk")
    first, last = list(qs[:2]), list(qs.reverse()[: SAMPLES_PER_KIND - 2 or 1])
    return list({obj.pk: obj for obj in first + last}.values())


def _client(username):
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def test_every_object_route_answers_as_the_policy_says(seeded, db):
    kinds = {kind.name: kind for kind in object_kinds()}
    samples = {name: _samples(kind) for name, kind in kinds.items()}
    checked = [(route, name, rule_for(name)) for route, name, _ in routes() if has_parameters(route)]
    checked = [(route, name, rule) for route, name, rule in checked if rule and not exempt(route, name)]
    cells, requests, disagreements = 0, 0, []
    for username in IDENTITIES:
        client = _client(username)
        user = User.objects.get(username=username) if username else None
        machine = bool(user and user.is_machine_client)
        readable = {}
        for route, _name, (kind_name, read_route, extra) in checked:
            if kind_name not in readable:
                readable[kind_name] = (
                    set(visible(user, kind_name).values_list("pk", flat=True)) if user else set()
                )
            cells += 1
            for obj in samples[kind_name]:
                url = _url(route, _params(obj, extra))
                status = client.get(url).status_code
                requests += 1
                may_read = obj.pk in readable[kind_name]
                if status >= 500:
                    disagreements.append((username, url, status, "server error"))
                elif not may_read and status not in DENIED:
                    disagreements.append((username, url, status, "answers what the policy hides"))
                elif may_read and read_route and status != 200 and not machine:
                    # A machine client (the hotline) reads what it took in through its own
                    # endpoint only; every other route refuses it (PeopleOnly).
                    disagreements.append((username, url, status, "refuses what the policy shows"))
    print(
        f"\naccess matrix: {cells} route × role cells, {requests} requests, {len(disagreements)} disagreements"
    )
    assert not disagreements, "\n".join(map(str, disagreements[:40]))


def _identity_users():
    return [User.objects.get(username=name) for name in IDENTITIES if name]


def test_each_selector_keeps_to_its_declared_scopes(seeded, db):
    """A role the policy gives nothing reads nothing; a role given everything reads everything."""
    wrong = []
    for kind in object_kinds():
        everything = kind.model.objects.count()
        for user in _identity_users():
            roles = set(user.role_codes) | ({"admin"} if user.is_superuser else set())
            scopes = {scope for role in roles for scope in kind.read.get(role, ())}
            count = kind.visible_to(user).count()
            if not scopes and count:
                wrong.append((kind.name, user.username, f"reads {count} with no rule"))
            if "all" in scopes and count != everything:
                wrong.append((kind.name, user.username, f"reads {count} of {everything} with 'all'"))
    assert not wrong, "\n".join(map(str, wrong))


def test_every_list_lists_only_what_the_policy_shows(seeded, db):
    wrong = []
    for username in IDENTITIES:
        client = _client(username)
        user = User.objects.get(username=username) if username else None
        for url, kind_name in LIST_ROUTES.items():
            response = client.get(url, {"page_size": 100})
            if user is None:
                assert response.status_code in (401, 403), url
                continue
            if response.status_code != 200:
                assert response.status_code in (403, 404), (username, url, response.status_code)
                continue
            listed = {row["id"] for row in response.json()["results"]}
            readable = set(visible(user, kind_name).values_list("pk", flat=True))
            if not listed <= readable:
                wrong.append((username, url, sorted(listed - readable)[:5]))
    assert not wrong, "\n".join(map(str, wrong))


def _post(client, url):
    if url.startswith("/api/"):
        return client.post(url, data="{}", content_type="application/json")
    return client.post(url, {})


def test_every_action_route_refuses_what_the_policy_hides(seeded, db):
    """An empty POST to every action route: an object the user may not read is refused before its
    input is looked at (no 400 that tells it exists, no 5xx), as every role."""
    kinds = {kind.name: kind for kind in object_kinds()}
    samples = {name: _samples(kind) for name, kind in kinds.items()}
    checked = [(route, name, rule_for(name)) for route, name, _ in routes() if has_parameters(route)]
    checked = [
        (route, rule) for route, name, rule in checked if rule and not rule[1] and not exempt(route, name)
    ]
    requests, disagreements = 0, []
    for username in IDENTITIES:
        client = _client(username)
        user = User.objects.get(username=username) if username else None
        readable = {}
        for route, (kind_name, _read_route, extra) in checked:
            for obj in samples[kind_name]:
                if kind_name not in readable:
                    readable[kind_name] = (
                        set(visible(user, kind_name).values_list("pk", flat=True)) if user else set()
                    )
                url = _url(route, _params(obj, extra))
                status = _post(client, url).status_code
                requests += 1
                if status >= 500:
                    disagreements.append((username, url, status, "server error"))
                elif obj.pk not in readable[kind_name] and status not in DENIED:
                    disagreements.append((username, url, status, "acts on what the policy hides"))
                if status < 300:
                    readable.clear()  # an action may change what the user reads
    print(f"\naction routes: {len(checked)} routes × {len(IDENTITIES)} identities, {requests} POSTs")
    assert not disagreements, "\n".join(map(str, disagreements[:40]))


def _served(user):
    from enterprises.models import CsoAssignment

    return CsoAssignment.objects.filter(officer=user, ended_at=None).values("enterprise_id")


# The declared scopes, restated as database conditions for the kinds that carry personal data and
# complaints (the test's own reading of the README's words, independent of the apps' selectors).
ORACLE = {
    "enterprise": {
        "all": lambda u: Q(pk__isnull=False),
        "park": lambda u: Q(park_id__in=u.park_ids),
        "assigned": lambda u: Q(pk__in=_served(u)),
        "enterprise": lambda u: Q(pk__in=u.enterprise_ids),
    },
    "visit": {
        "all": lambda u: Q(pk__isnull=False),
        "park": lambda u: Q(enterprise__park_id__in=u.park_ids),
        "assigned": lambda u: Q(enterprise_id__in=_served(u)),
        "enterprise": lambda u: Q(enterprise_id__in=u.enterprise_ids),
    },
    "service_request": {
        "all": lambda u: Q(pk__isnull=False),
        "park": lambda u: Q(enterprise__park_id__in=u.park_ids),
        "department": lambda u: Q(department_id__in=u.department_ids),
        "assigned": lambda u: Q(enterprise_id__in=_served(u)),
        "enterprise": lambda u: Q(enterprise_id__in=u.enterprise_ids),
        "own": lambda u: Q(submitted_by=u) | Q(agent=u),
    },
    "rating": {
        "all": lambda u: Q(pk__isnull=False),
        "park": lambda u: Q(enterprise__park_id__in=u.park_ids),
        "department": lambda u: Q(handler_department_id__in=u.department_ids),
        "assigned": lambda u: Q(handler=u),
        "enterprise": lambda u: Q(enterprise_id__in=u.enterprise_ids),
        "own": lambda u: Q(rater=u),
    },
    "rectification": {
        "all": lambda u: Q(pk__isnull=False),
        "park": lambda u: Q(rating__enterprise__park_id__in=u.park_ids),
        "department": lambda u: Q(department_id__in=u.department_ids),
        "assigned": lambda u: Q(handler=u),
        "enterprise": lambda u: Q(rating__enterprise_id__in=u.enterprise_ids),
        "own": lambda u: Q(rating__rater=u),
        "appeals": lambda u: Q(status="appealed") | Q(appeal_decided_by=u),
    },
}


def test_the_selectors_of_personal_data_are_their_declared_scopes(seeded, db):
    """For every demo user, the rows a selector returns are exactly the union of the scopes the
    policy gives the user's roles (a chief service officer filed under 企业服务部 holds no
    department scope, so another officer's bad review stays out of reach)."""
    from zone_portal.ratings.actions import rating_submit

    demo = {u.username: u for u in _identity_users()}
    cso2 = User.objects.get(username="cso2")
    from enterprises.models import Enterprise

    ticket_like = Enterprise.objects.get(pk=demo["ent_b"].enterprise_ids[0])  # any case will do
    rating_submit(
        actor=demo["ent_b"],
        case=ticket_like,
        score=1,
        comment="敷衍了事",
        handler=cso2,
        handler_department=cso2.departments.first(),
        enterprise=ticket_like,
    )
    wrong = []
    for name, scopes in ORACLE.items():
        kind = object_kind(name)
        for user in demo.values():
            roles = set(user.role_codes) | ({"admin"} if user.is_superuser else set())
            condition = Q(pk__in=[])
            for scope in {s for role in roles for s in kind.read.get(role, ())}:
                condition |= scopes[scope](user)
            expected = set(kind.model.objects.filter(condition).values_list("pk", flat=True))
            actual = set(kind.visible_to(user).values_list("pk", flat=True))
            if expected != actual:
                wrong.append(
                    (name, user.username, sorted(actual - expected)[:5], sorted(expected - actual)[:5])
                )
    assert not wrong, "\n".join(map(str, wrong))
