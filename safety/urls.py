"""HTML pages of the safety app, mounted at /safety/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.inspection_list, name="inspections"),
    path("inspections/new/", views.inspection_new, name="inspection-new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/<slug:verb>/", views.inspection_act, name="inspection-act"),
    path("hazards/", views.hazard_list, name="hazards"),
    path("hazards/<int:pk>/", views.hazard_detail, name="hazard"),
    path("hazards/<int:pk>/<slug:verb>/", views.hazard_act, name="hazard-act"),
    path("files/<int:pk>/", views.file_download, name="file"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("exposure/", views.exposure_list, name="exposure"),
]
