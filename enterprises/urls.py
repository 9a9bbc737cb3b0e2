"""HTML pages of the enterprises app, mounted at /enterprises/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.directory, name="directory"),
    path("export.xlsx", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("own/", views.own, name="own"),
    path("officers/", views.workload, name="officers"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/status/", views.status_change, name="status"),
    path("<int:pk>/visits/new/", views.visit_add, name="visit-add"),
    path("<int:pk>/staff/", views.staff, name="staff"),
    path("<int:pk>/staff/<int:membership_id>/remove/", views.staff_remove, name="staff-remove"),
    path("account-request/", views.account_request, name="account-request"),
    path("account-request/sent/", views.account_request_sent, name="account-request-sent"),
    path("account-requests/", views.account_requests, name="account-requests"),
    path(
        "account-requests/<int:pk>/approve/",
        views.account_request_decide,
        {"decision": "approve"},
        name="account-request-approve",
    ),
    path(
        "account-requests/<int:pk>/refuse/",
        views.account_request_decide,
        {"decision": "refuse"},
        name="account-request-refuse",
    ),
    path("account-link/<str:token>/", views.account_link, name="account-link"),
    path("import/", views.import_list, name="import"),
    path("import/<int:pk>/", views.import_detail, name="import-detail"),
    path("import/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("import/<int:pk>/errors.xlsx", views.import_errors, name="import-errors"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
]
