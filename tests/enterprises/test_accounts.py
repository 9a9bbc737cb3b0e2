import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.urls import reverse

from enterprises.actions import account_request_approve, account_request_refuse, account_request_submit
from enterprises.models import AccountRequest, Enterprise, EnterpriseMembership
from tests.factories import make_uscc
from zone_portal.accounts.models import User
from zone_portal.errors import InvalidInput, PermissionDeniedError, TransitionForbidden
from zone_portal.notifications.models import Notification

pytestmark = pytest.mark.django_db

PASSWORD = "Hidden-Lotus-5821"


def _request_form(**overrides):
    return {
        "uscc": make_uscc(900),
        "enterprise_name": "启明星电子有限公司",
        "contact_name": "郑晓红",
        "phone": "13903750999",
        "email": "qmx@example.cn",
        "username": "qimingxing",
        "password": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def test_a_company_asks_on_the_public_page_and_clerks_are_told(client, register, clerk1):
    response = client.post(reverse("enterprises:account-request"), _request_form())
    assert response.url == reverse("enterprises:account-request-sent")
    request = AccountRequest.objects.get()
    assert request.status == "pending" and request.password_hash and PASSWORD not in request.password_hash
    assert Notification.objects.filter(recipient=clerk1, kind="account_request").exists()
    # a second request for the same company waits for the first decision
    again = client.post(reverse("enterprises:account-request"), _request_form(username="other"))
    assert again.status_code == 400 and "uscc" in again.context["form"].errors


def test_the_public_page_refuses_a_wrong_code_with_the_rule(client, register):
    response = client.post(
        reverse("enterprises:account-request"), _request_form(uscc=make_uscc(900)[:-1] + "0")
    )
    assert response.status_code == 400
    assert "校验码" in " ".join(response.context["form"].errors["uscc"])


def test_the_public_page_does_not_tell_whether_a_username_exists(client, register, clerk1):
    taken = client.post(reverse("enterprises:account-request"), _request_form(username="admin"))
    assert taken.status_code == 302, "the page must not answer 该用户名已被使用"
    free = client.post(
        reverse("enterprises:account-request"),
        _request_form(uscc=make_uscc(901), username="nobody_has_this"),
        REMOTE_ADDR="10.2.2.2",
    )
    assert free.status_code == taken.status_code
    # the clash is resolved at review: the clerk sees it and gives another username
    client.force_login(clerk1)
    page = client.get(reverse("enterprises:account-requests")).content.decode()
    assert "已被占用" in page
    request = AccountRequest.objects.get(username="admin")
    with pytest.raises(InvalidInput) as caught:
        account_request_approve(actor=clerk1, request=request, park=register.parks["park5"])
    assert "username" in caught.value.fields
    account_request_approve(actor=clerk1, request=request, park=register.parks["park5"], username="qmx_zheng")
    request.refresh_from_db()
    assert request.username == "qmx_zheng" and request.user.username == "qmx_zheng"
    assert not User.objects.get(username="admin").enterprise_memberships.exists()


def test_approval_registers_the_enterprise_and_makes_the_requester_its_owner(client, register, clerk1):
    request = account_request_submit(**{k: v for k, v in _request_form().items() if k != "password2"})
    with pytest.raises(InvalidInput) as caught:
        account_request_approve(actor=clerk1, request=request)
    assert "park" in caught.value.fields
    account_request_approve(actor=clerk1, request=request, park=register.parks["park5"])

    user = authenticate(username="qimingxing", password=PASSWORD)
    assert user is not None and user.has_role("enterprise_staff")
    enterprise = Enterprise.objects.get(uscc=make_uscc(900))
    assert enterprise.name_initials.startswith("qmxdz")
    assert EnterpriseMembership.objects.get(user=user).kind == "owner"
    request.refresh_from_db()
    assert (request.status, request.reviewed_by, request.password_hash) == ("approved", clerk1, "")
    with pytest.raises(TransitionForbidden):
        account_request_refuse(actor=clerk1, request=request, reason="重复")


def _submit(**overrides):
    return account_request_submit(**{k: v for k, v in _request_form(**overrides).items() if k != "password2"})


def test_a_request_for_a_registered_enterprise_joins_it_only_once_its_owner_confirms(
    client, register, clerk1, ent_a, enterprise_a
):
    request = _submit(uscc=enterprise_a.uscc, username="zj_2", enterprise_name="中金科技")
    account_request_approve(actor=clerk1, request=request)
    newcomer = User.objects.get(username="zj_2")
    assert not EnterpriseMembership.objects.filter(user=newcomer).exists(), (
        "a clerk's click alone links nothing"
    )
    client.force_login(newcomer)
    assert client.get(reverse("enterprises:detail", args=[enterprise_a.pk])).status_code == 404
    # the owner is asked in the portal, with the link to confirm
    notice = Notification.objects.get(recipient=ent_a, kind="account_link")
    client.logout()
    page = client.get(notice.url)
    assert page.status_code == 200 and "郑晓红" in page.content.decode()
    client.post(notice.url, {"accept": "yes"})
    assert EnterpriseMembership.objects.get(user=newcomer).kind == "staff"
    request.refresh_from_db()
    assert request.link == "confirmed"
    again = client.post(notice.url, {"accept": "no"})
    assert again.status_code == 409 and EnterpriseMembership.objects.filter(user=newcomer).exists()


def test_without_an_owner_the_registered_contact_confirms_by_email(
    client, register, clerk1, django_capture_on_commit_callbacks
):
    from tests.enterprises.factories import make_enterprise

    enterprise = make_enterprise(register.parks["park2"], name="登记名称有限公司", contact_email="boss@dj.cn")
    request = _submit(uscc=enterprise.uscc, enterprise_name="随便写的名字")
    client.force_login(clerk1)
    page = client.get(reverse("enterprises:account-requests")).content.decode()
    # the clerk sees the registered name beside the typed one, and who will confirm
    assert "登记名称有限公司" in page and "随便写的名字" in page and "boss@dj.cn" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("enterprises:account-request-approve", args=[request.pk]))
    newcomer = User.objects.get(username="qimingxing")
    assert not EnterpriseMembership.objects.filter(user=newcomer).exists()
    sent = [m for m in mail.outbox if m.to == ["boss@dj.cn"]]
    assert len(sent) == 1
    link = next(word for word in sent[0].body.split() if "/enterprises/account-link/" in word)
    client.logout()
    forged = link.rstrip("/")[:-3] + "xyz/"
    assert client.get(forged.replace("http://testserver", "")).status_code == 404
    client.post(link.replace("http://testserver", ""), {"accept": "yes"})
    assert EnterpriseMembership.objects.get(user=newcomer).kind == "owner"


def test_a_declined_account_is_closed(client, register, clerk1, ent_a, enterprise_a):
    request = _submit(uscc=enterprise_a.uscc, username="stranger")
    account_request_approve(actor=clerk1, request=request)
    notice = Notification.objects.get(recipient=ent_a, kind="account_link")
    client.post(notice.url, {"accept": "no"})
    stranger = User.objects.get(username="stranger")
    assert not stranger.is_active and not EnterpriseMembership.objects.filter(user=stranger).exists()


def test_no_owner_and_no_contact_email_means_the_clerk_cannot_approve_yet(register, clerk1):
    from tests.enterprises.factories import make_enterprise

    enterprise = make_enterprise(register.parks["park2"])
    request = _submit(uscc=enterprise.uscc)
    with pytest.raises(InvalidInput):
        account_request_approve(actor=clerk1, request=request)
    assert not User.objects.filter(username="qimingxing").exists()
    assert not EnterpriseMembership.objects.filter(enterprise=enterprise).exists()


def test_refusal_needs_a_reason_which_is_emailed(
    client, register, clerk1, cso1, django_capture_on_commit_callbacks
):
    request = account_request_submit(**{k: v for k, v in _request_form().items() if k != "password2"})
    with pytest.raises(PermissionDeniedError):
        account_request_refuse(actor=cso1, request=request, reason="x")
    client.force_login(clerk1)
    url = reverse("enterprises:account-request-refuse", args=[request.pk])
    client.post(url, {"reason": ""})
    request.refresh_from_db()
    assert request.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "营业执照信息与代码不符"})
    request.refresh_from_db()
    assert (request.status, request.refusal_reason) == ("refused", "营业执照信息与代码不符")
    assert mail.outbox[-1].to == ["qmx@example.cn"] and "营业执照信息与代码不符" in mail.outbox[-1].body
    assert not User.objects.filter(username="qimingxing").exists()
    assert "营业执照信息与代码不符" in client.get(reverse("enterprises:account-requests")).content.decode()


def test_account_requests_page_is_for_clerks(client, register, cso1):
    client.force_login(cso1)
    assert client.get(reverse("enterprises:account-requests")).status_code == 404


def test_owner_adds_and_removes_staff(client, register, ent_a, enterprise_a):
    client.force_login(ent_a)
    url = reverse("enterprises:staff", args=[enterprise_a.pk])
    weak = client.post(url, {"username": "zj_li", "display_name": "李会计", "password": "123"})
    assert weak.status_code == 400 and "password" in weak.context["form"].errors
    response = client.post(url, {"username": "zj_li", "display_name": "李会计", "password": PASSWORD})
    assert response.status_code == 302
    colleague = User.objects.get(username=f"zj_li@e{enterprise_a.pk}")
    assert colleague.enterprise_ids == [enterprise_a.pk] and colleague.has_role("enterprise_staff")

    membership = EnterpriseMembership.objects.get(user=colleague)
    client.post(reverse("enterprises:staff-remove", args=[enterprise_a.pk, membership.pk]))
    assert not EnterpriseMembership.objects.filter(user=colleague).exists()
    colleague.refresh_from_db()
    assert colleague.is_active is False  # no enterprise left: no sign-in
    owner = EnterpriseMembership.objects.get(user=ent_a)
    client.post(reverse("enterprises:staff-remove", args=[enterprise_a.pk, owner.pk]))
    assert EnterpriseMembership.objects.filter(pk=owner.pk).exists()


def test_plain_staff_cannot_manage_accounts(client, register, ent_a, enterprise_a, enterprise_b):
    from enterprises.actions import membership_add_staff

    membership_add_staff(
        actor=ent_a, enterprise=enterprise_a, username="zj_wang", display_name="王", password=PASSWORD
    )
    colleague = User.objects.get(username=f"zj_wang@e{enterprise_a.pk}")
    client.force_login(colleague)
    assert client.get(reverse("enterprises:staff", args=[enterprise_a.pk])).status_code == 404
    with pytest.raises(PermissionDeniedError):
        membership_add_staff(
            actor=ent_a, enterprise=enterprise_b, username="x1", display_name="x", password=PASSWORD
        )


def test_the_public_page_takes_only_a_few_requests_from_one_address(client, register, settings):
    settings.ACCOUNT_REQUEST_LIMIT = 2
    url = reverse("enterprises:account-request")
    for n in range(2):
        response = client.post(url, _request_form(uscc=make_uscc(910 + n), username=f"firm{n}"))
        assert response.status_code == 302
    refused = client.post(url, _request_form(uscc=make_uscc(920), username="firm9"))
    assert refused.status_code == 429
    assert "60" in " ".join(refused.context["form"].non_field_errors())  # try again in 60 minutes
    assert AccountRequest.objects.count() == 2  # nothing of the refused one is kept
    other = client.post(url, _request_form(uscc=make_uscc(920), username="firm9"), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302  # another network is not held back


def test_the_limit_counts_only_the_window(register, settings, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    from zone_portal.errors import TooManyRequests

    settings.ACCOUNT_REQUEST_LIMIT = 1
    data = {k: v for k, v in _request_form().items() if k != "password2"}
    account_request_submit(**data, address="10.9.9.9")
    with pytest.raises(TooManyRequests):
        account_request_submit(**{**data, "uscc": make_uscc(930), "username": "again1"}, address="10.9.9.9")
    time_machine.move_to(timezone.now() + timedelta(seconds=settings.ACCOUNT_REQUEST_WINDOW_SECONDS + 60))
    account_request_submit(**{**data, "uscc": make_uscc(930), "username": "again1"}, address="10.9.9.9")


def test_adding_a_colleague_tells_nothing_of_other_peoples_usernames(client, register, ent_a, enterprise_a):
    """Staff names live in the enterprise's namespace: 'admin' exists elsewhere, yet the owner's
    request succeeds (as admin@e<id>); only a clash with this enterprise's own account is refused."""
    from enterprises.actions import membership_add_staff
    from zone_portal.errors import InvalidInput

    client.force_login(ent_a)
    url = reverse("enterprises:staff", args=[enterprise_a.pk])
    form = {"username": "admin", "display_name": "王", "password": PASSWORD}
    response = client.post(url, form, follow=True)
    assert response.status_code == 200
    assert f"admin@e{enterprise_a.pk}" in response.content.decode()
    assert User.objects.filter(username=f"admin@e{enterprise_a.pk}").exists()
    assert client.post(url, form).status_code == 400  # taken, and it is this enterprise's own account
    with pytest.raises(InvalidInput):  # nobody can pick a name inside a namespace
        membership_add_staff(
            actor=ent_a, enterprise=enterprise_a, username="x@e1", display_name="x", password=PASSWORD
        )
