"""HTML pages of benefits, vouchers and financing, mounted at /benefits/."""

from django.urls import path

from . import financing_views, views

urlpatterns = [
    path("", views.policy_list, name="policies"),
    path("policies/new/", views.policy_create, name="policy-create"),
    path("policies/<int:pk>/", views.policy_detail, name="policy"),
    path("policies/<int:pk>/apply/", views.policy_apply, name="policy-apply"),
    path("policies/<int:pk>/propose/", views.policy_propose, name="policy-propose"),
    path("applications/", views.application_list, name="applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/materials/", views.application_material, name="application-material"),
    path(
        "applications/<int:pk>/materials/<int:material_id>/",
        views.application_material_download,
        name="application-material-download",
    ),
    path("applications/<int:pk>/<slug:verb>/", views.application_act, name="application-act"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger-xlsx"),
    path("vouchers/", views.voucher_list, name="vouchers"),
    path("vouchers/apply/", views.voucher_apply, name="voucher-apply"),
    path("vouchers/rounds/new/", views.round_create, name="round-create"),
    path("vouchers/<int:pk>/", views.voucher_detail, name="voucher"),
    path("vouchers/<int:pk>/files/<int:material_id>/", views.voucher_file, name="voucher-file"),
    path("vouchers/<int:pk>/<slug:verb>/", views.voucher_act, name="voucher-act"),
    path("vouchers/rounds/<int:pk>/city-total/", views.round_city_total, name="round-city-total"),
    path("financing/", financing_views.financing, name="financing"),
    path("financing/banks/", financing_views.bank_list, name="banks"),
    path("financing/events/", financing_views.event_list, name="matching-events"),
    path("financing/events/new/", financing_views.event_create, name="matching-event-create"),
    path("financing/credit-lines/", financing_views.credit_line_list, name="credit-lines"),
    path("financing/credit-lines/new/", financing_views.credit_line_create, name="credit-line-create"),
    path("financing/loans/", financing_views.loan_list, name="loans"),
    path("financing/loans/new/", financing_views.loan_create, name="loan-create"),
    path("financing/loans/<int:pk>/", financing_views.loan_detail, name="loan"),
    path("financing/loans/<int:pk>/subsidies/", financing_views.loan_subsidy, name="loan-subsidy"),
    path("financing/loans/<int:pk>/tickets/", financing_views.loan_ticket_link, name="loan-ticket-link"),
    path(
        "financing/loans/<int:pk>/tickets/new/", financing_views.loan_ticket_raise, name="loan-ticket-raise"
    ),
]
