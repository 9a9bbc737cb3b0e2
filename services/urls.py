"""HTML pages of the services app, mounted at /services/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/new/checklist/", views.request_checklist, name="request-checklist"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/receipt/", views.request_receipt, name="request-receipt"),
    path("requests/<int:pk>/notice/", views.request_notice, name="request-notice"),
    path("requests/<int:pk>/supplement-notice/", views.supplement_notice, name="supplement-notice"),
    path("requests/<int:pk>/<slug:verb>/", views.request_act, name="request-act"),
    path("materials/<int:pk>/", views.material_download, name="material-download"),
    path("queue/", views.queue, name="queue"),
    path("appointments/", views.appointments, name="appointments"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel, name="appointment-cancel"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification-detail"),
    path("rectifications/<int:pk>/<slug:verb>/", views.rectification_act, name="rectification-act"),
    path("ratings/", views.ratings, name="ratings"),
    path("stages/", views.stages, name="stages"),
    path("settings/", views.settings_page, name="settings"),
]
