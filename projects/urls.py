"""HTML pages of the projects app, mounted at /projects/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.board, name="board"),
    path("list/", views.project_list, name="list"),
    path("mine/", views.project_list, {"scope": "mine"}, name="mine"),
    path("park/", views.project_list, {"scope": "park"}, name="park"),
    path("new/", views.project_create, name="create"),
    path("ranking/", views.ranking, name="ranking"),
    path("summary.xlsx", views.summary_xlsx, name="summary-xlsx"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/stage/", views.stage_change, name="stage"),
    path("<int:pk>/milestones/", views.milestone_create, name="milestone-create"),
    path("<int:pk>/milestones/<int:milestone_id>/reach/", views.milestone_reach, name="milestone-reach"),
    path("<int:pk>/ledger/", views.ledger_create, name="ledger-create"),
    path("<int:pk>/ledger.xlsx", views.ledger_xlsx, name="ledger-xlsx"),
    path("<int:pk>/photos/<int:photo_id>/", views.ledger_photo, name="ledger-photo"),
    path("<int:pk>/supervisions/", views.supervision_create, name="supervision-create"),
    path("<int:pk>/observations/", views.observation_create, name="observation-create"),
]
