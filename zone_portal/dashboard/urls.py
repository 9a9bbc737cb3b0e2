"""Dashboard pages, mounted at /dashboard/: the zone, a park, a department, the drill-down lists,
the .xlsx export, and the public figures page (no sign-in)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("park/", views.park, name="park"),
    path("department/", views.department, name="department"),
    path("cases/<slug:metric>/", views.drill, name="drill"),
    path("export.xlsx", views.export, name="export"),
    path("public/", views.public, name="public"),
]
