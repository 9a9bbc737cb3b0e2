"""Factories for the foundation's models. Apps add theirs in tests/<app>/factories.py."""

import factory

from enterprises.models import CsoAssignment, Enterprise, EnterpriseMembership
from enterprises.uscc import uscc_check_char
from zone_portal.accounts.models import User, UserRole
from zone_portal.org.models import Department, Park


def make_uscc(n: int) -> str:
    first17 = f"91410400MA{n:07d}"
    return first17 + uscc_check_char(first17)


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Park
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"p{n}")
    name = factory.Sequence(lambda n: f"园区{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"部门{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """`UserFactory(roles=["clerk"], parks=[p], departments=[d])`."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda o: o.username)
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.django.Password("pw-for-tests-1")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            UserRole.objects.get_or_create(user=self, role=role)

    @factory.post_generation
    def parks(self, create, extracted, **kwargs):
        if extracted:
            self.parks.add(*extracted)

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if extracted:
            self.departments.add(*extracted)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    uscc = factory.Sequence(lambda n: make_uscc(n + 1000))
    park = factory.SubFactory(ParkFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseMembership

    user = factory.SubFactory(UserFactory, roles=["enterprise_staff"])
    enterprise = factory.SubFactory(EnterpriseFactory)


class CsoAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CsoAssignment

    enterprise = factory.SubFactory(EnterpriseFactory)
    officer = factory.SubFactory(UserFactory, roles=["cso"])
    started_at = factory.Faker("past_datetime", tzinfo=__import__("datetime").timezone.utc)
