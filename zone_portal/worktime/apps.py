from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    name = "zone_portal.worktime"
    label = "worktime"
