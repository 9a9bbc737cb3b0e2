from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zone_portal.accounts"
    label = "accounts"
