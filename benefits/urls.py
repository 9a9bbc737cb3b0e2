"""HTML pages of benefits, vouchers and financing, mounted at /benefits/."""

from django.urls import path

from . import views

app_name = "benefits"
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
    path("financing/", views.financing, name="financing"),
    path("financing/loans/<int:pk>/", views.loan_detail, name="loan"),
]
