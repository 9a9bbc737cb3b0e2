"""Factories for key projects. `ProjectFactory()` builds a project with all six ones: a leader and a
service trio drawn from the investment, enterprise-service and platform departments."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from projects.models import LedgerEntry, Milestone, Project, Stage, Supervision, week_start
from tests.factories import DepartmentFactory, EnterpriseFactory, ParkFactory, UserFactory


def member_of(code: str, **kwargs):
    return UserFactory(roles=["department_officer"], departments=[DepartmentFactory(code=code)], **kwargs)


def leader(**kwargs):
    return UserFactory(roles=["leader"], **kwargs)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"重点项目{n}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    park = factory.SubFactory(ParkFactory)
    industry = "新材料"
    content = "新建厂房及生产线"
    total_investment = Decimal("100000000")
    leader = factory.LazyFunction(leader)
    investment_member = factory.LazyFunction(lambda: member_of("investment"))
    service_member = factory.LazyFunction(lambda: member_of("enterprise_service"))
    platform_member = factory.LazyFunction(lambda: member_of("platform"))
    goal = "按期建成投产"
    target_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    stage = Stage.UNDER_CONSTRUCTION
    stage_changed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    construction_started_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"节点{n}")
    planned_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerEntry

    project = factory.SubFactory(ProjectFactory)
    entry_date = factory.LazyFunction(timezone.localdate)
    investment_completed = Decimal("1000000")
    progress_percent = 10


class SupervisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervision

    project = factory.SubFactory(ProjectFactory)
    supervised_on = factory.LazyFunction(timezone.localdate)
    week_start = factory.LazyAttribute(lambda o: week_start(o.supervised_on))
    supervisor = factory.LazyAttribute(lambda o: o.project.leader)
    findings = "现场施工有序"
