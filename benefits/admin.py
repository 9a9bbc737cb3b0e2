"""Read-only admin screens: policies, applications, the ledger, vouchers and financing change only
through their actions (which lock, check the money rules and record the timeline). Banks and the
experts' declared conflicts are plain reference rows that administrators keep here."""

from django.contrib import admin

from zone_portal.admin import ReadOnlyAdmin

from .models import (
    Bank,
    CreditLine,
    Disbursement,
    ExpertConflict,
    Loan,
    MatchingEvent,
    Policy,
    PolicyApplication,
    Voucher,
    VoucherRound,
)


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ["name", "department", "kind", "amount_rule", "opens_on", "closes_on", "automatic"]
    list_filter = ["kind", "amount_rule", "automatic"]
    search_fields = ["name"]


@admin.register(PolicyApplication)
class PolicyApplicationAdmin(ReadOnlyAdmin):
    list_display = ["policy", "enterprise", "status", "amount", "due_at"]
    list_filter = ["status"]
    list_select_related = ["policy", "enterprise"]


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ["paid_on", "policy", "enterprise", "park", "amount"]
    list_select_related = ["policy", "enterprise", "park"]
    date_hierarchy = "paid_on"


@admin.register(VoucherRound)
class VoucherRoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "opens_on", "closes_on", "budget", "reserved", "cap_per_enterprise"]


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdmin):
    list_display = ["number", "enterprise", "round", "status", "amount", "paid_amount", "expires_at"]
    list_filter = ["status", "round"]
    list_select_related = ["enterprise", "round"]


@admin.register(MatchingEvent)
class MatchingEventAdmin(ReadOnlyAdmin):
    list_display = ["title", "held_on", "park"]


@admin.register(CreditLine)
class CreditLineAdmin(ReadOnlyAdmin):
    list_display = ["bank", "enterprise", "amount", "granted_on"]
    list_select_related = ["bank", "enterprise"]


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ["kind", "bank", "enterprise", "amount", "drawn_on", "subsidy_share"]
    list_select_related = ["bank", "enterprise"]


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(ExpertConflict)
class ExpertConflictAdmin(admin.ModelAdmin):
    list_display = ["expert", "enterprise", "note"]
    autocomplete_fields = ["enterprise"]
    raw_id_fields = ["expert"]
