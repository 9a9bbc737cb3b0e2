"""HTML pages of the feedback app, mounted at /problems/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_new, name="new"),
    path("new/from-visit/<int:visit_id>/", views.ticket_from_visit, name="ticket-from-visit"),
    path("board/", views.park_board, name="board"),
    path("leader/", views.leader_desk, name="leader"),
    path("department/", views.department_inbox, name="department"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path("action-items/<int:pk>/complete/", views.action_item_done, name="action-item-complete"),
    path("policies/", views.policy_list, name="policies"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:pk>/", views.ticket_detail, name="detail"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/<slug:verb>/", views.ticket_act, name="act"),
]
