"""HTML pages of social supervision, mounted at /supervision/."""

from django.urls import path

from . import views

urlpatterns = [
    path("observations/", views.observation_list, name="observations"),
    path("observations/new/", views.observation_new, name="observation-new"),
    path("observations/<int:pk>/", views.observation_detail, name="observation"),
    path("observations/<int:pk>/<slug:verb>/", views.observation_act, name="observation-act"),
    path("photos/<int:pk>/", views.photo_download, name="photo"),
    path("roster/", views.roster, name="roster"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/<int:pk>/enter/", views.indicator_enter, name="indicator-enter"),
    path("entries/<int:pk>/decide/", views.entry_decide, name="entry-decide"),
    path("entries/<int:pk>/evidence/", views.entry_evidence, name="entry-evidence"),
    path("ranking/", views.ranking, name="ranking"),
    path("ranking/xlsx/", views.ranking_xlsx, name="ranking-xlsx"),
    path("settings/", views.settings_page, name="settings"),
]
