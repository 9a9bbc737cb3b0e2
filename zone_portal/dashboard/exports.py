"""The dashboard's tables as one .xlsx workbook (openpyxl): one sheet per table of the page.

Rates are written as numbers with a percentage format, so Excel can compute with them; a rate
without a denominator is written "—", as on the page.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .parts import parts, score_labels

NO_RATE = "—"


class Rate(float):
    """Marks a value to be formatted as a percentage."""


def _rate(value):
    return NO_RATE if value is None else Rate(value)


def _sheet(workbook, title: str, headers: list, rows: list[list]) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([v if not isinstance(v, Rate) else float(v) for v in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=True):
            if isinstance(value, Rate):
                cell.number_format = "0.0%"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(10, width * 1.6), 50)
    sheet.freeze_panes = "A2"


def dashboard_workbook(summary: dict, *, scope, period) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    services, ratings = summary["service_requests"], summary["ratings"]
    rect = ratings["rectifications"]
    problems = summary["tickets"]
    overview = [
        [_("Scope"), scope.label],
        [_("Period"), f"{period.first.isoformat()} – {period.last.isoformat()}"],
        [_("Problems received"), problems["received"]],
        [_("Problems resolved"), problems["resolved"]],
        [_("Resolution rate (办结率)"), _rate(problems["resolution_rate"])],
        [_("Problems resolved on time"), _rate(problems["on_time_rate"])],
        [_("Response rate (响应率)"), _rate(problems["response_rate"])],
        [_("Solution rate (解决率)"), _rate(problems["solution_rate"])],
        [_("Satisfaction rate (满意率)"), _rate(problems["satisfaction_rate"])],
        [_("Reopened"), problems["reopened"]],
        [_("Problems overdue now"), problems["overdue"]],
        *[
            [_("Problems overdue now, tier %(tier)s") % {"tier": tier}, n]
            for tier, n in problems["overdue_by_tier"].items()
        ],
        [_("Requests submitted"), services["submitted"]],
        [_("Requests completed"), services["completed"]],
        [_("Requests completed on time"), services["on_time"]],
        [_("On-time rate"), _rate(services["on_time_rate"])],
        [_("Help and agency requests"), services["agency"]],
        [_("Requests asked for a supplement a second time"), services.get("second_supplement", 0)],
        [_("Requests overdue now"), services["overdue_now"]],
        [_("Rating coverage"), _rate(services["coverage"]["rate"])],
        [_("Ratings"), ratings["total"]],
        [_("Bad reviews"), ratings["bad"]],
        [_("Satisfaction rate"), _rate(ratings["satisfaction_rate"])],
        [_("Rectifications open now"), rect["open"]],
        [_("Rectifications overdue now"), rect["overdue"]],
        [_("Rectifications replied on time"), _rate(rect["on_time_rate"])],
    ]
    if services["bundles"] is not None:
        overview += [
            [_("Start-up bundles completed"), services["bundles"]["completed"]],
            [_("Start-up bundles within their limit"), _rate(services["bundles"]["rate"])],
        ]
    if scope.department is not None:
        overview += [
            [_("Whistled"), problems["whistled"]],
            [_("Reported on time"), _rate(problems["report_on_time_rate"])],
            [_("Answered on time"), _rate(problems["answer_on_time_rate"])],
            [_("Whistles overdue now"), problems["pending_overdue"]],
            [_("Public notices (通报)"), problems["noticed"]],
        ]
    _sheet(workbook, _("Overview"), [_("Figure"), _("Value")], overview)

    _sheet(
        workbook,
        _("Requests by service"),
        [
            _("Service"),
            _("Department"),
            _("Promised time limit"),
            _("Submitted"),
            _("Completed"),
            _("Completed on time"),
            _("On-time rate"),
            _("Median handling time (working hours)"),
            _("Help and agency"),
            _("Overdue now"),
        ],
        [
            [
                row["service"]["name"],
                row["department"]["name"],
                row["service"]["limit"],
                row["submitted"],
                row["completed"],
                row["on_time"],
                _rate(row["on_time_rate"]),
                row["median_hours"] if row["median_hours"] is not None else NO_RATE,
                row["agency"],
                row["overdue_now"],
            ]
            for row in services["by_service"]
        ],
    )
    _sheet(
        workbook,
        _("Problems by week"),
        [_("Week of"), _("Received"), _("Resolved")],
        [[w["week"], w["received"], w["resolved"]] for w in problems["by_week"]],
    )
    _sheet(
        workbook,
        _("Requests by week"),
        [_("Week of"), _("Submitted"), _("Completed")],
        [[w["week"], w["submitted"], w["completed"]] for w in services["by_week"]],
    )
    _sheet(
        workbook,
        _("Ratings"),
        [_("Level"), _("Ratings")],
        [[str(label), ratings["counts"][str(value)]] for value, label in score_labels()],
    )
    if summary.get("by_park") is not None:
        _sheet(
            workbook,
            _("By park"),
            [
                _("Park"),
                _("Problems received"),
                _("Resolution rate (办结率)"),
                _("Problems overdue now"),
                _("Requests submitted"),
                _("Completed"),
                _("On-time rate"),
                _("Overdue now"),
                _("Help and agency"),
                _("Rating coverage"),
                _("Ratings"),
                _("Bad reviews"),
                _("Satisfaction rate"),
                _("Rectifications open now"),
                _("Rectifications overdue now"),
            ],
            [
                [
                    row["park"]["name"]
                    if row["park"]
                    else _("No park yet (companies being founded, hotline problems to route)"),
                    row["tickets_received"],
                    _rate(row["resolution_rate"]),
                    row["tickets_overdue"],
                    row["submitted"],
                    row["completed"],
                    _rate(row["on_time_rate"]),
                    row["overdue_now"],
                    row["agency"],
                    _rate(row["coverage"]),
                    row["ratings"],
                    row["bad"],
                    _rate(row["satisfaction_rate"]),
                    row["rectifications_open"],
                    row["rectifications_overdue"],
                ]
                for row in summary["by_park"]
            ],
        )
    if summary.get("by_department") is not None:
        _sheet(
            workbook,
            _("By department"),
            [
                _("Rank"),
                _("Department"),
                _("Score"),
                _("Whistled"),
                _("Reported on time"),
                _("Answered on time"),
                _("Public notices (通报)"),
                _("Requests handled"),
                _("Completed"),
                _("On-time rate"),
                _("Overdue now"),
                _("Ratings"),
                _("Satisfaction rate"),
                _("Rectifications due"),
                _("Rectifications replied on time"),
                _("Rectifications open now"),
            ],
            [
                [
                    row["rank"] if row["rank"] is not None else NO_RATE,
                    row["name"],
                    row["score"] if row["score"] is not None else NO_RATE,
                    row["whistled"],
                    _rate(row["report_on_time_rate"]),
                    _rate(row["answer_on_time_rate"]),
                    row["noticed"],
                    row["submitted"],
                    row["completed"],
                    _rate(row["on_time_rate"]),
                    row["overdue_now"],
                    row["ratings"],
                    _rate(row["satisfaction_rate"]),
                    row["rectifications_due"],
                    _rate(row["rectification_on_time_rate"]),
                    row["rectifications_open"],
                ]
                for row in summary["by_department"]
            ],
        )
    enterprises = summary.get("enterprises")
    if enterprises is not None:
        _sheet(
            workbook,
            _("Enterprises"),
            [_("Figure"), _("Value")],
            [
                [_("Enterprises in the register"), enterprises["total"]],
                [_("High-tech enterprises"), enterprises["high_tech"]],
                [_("High-tech reserve"), enterprises["reserve"]],
                [_("Tech SMEs"), enterprises["tech_sme"]],
                [_("Above designated size"), enterprises["above_scale"]],
                [_("Enterprises holding patents"), enterprises["with_patents"]],
                [_("Patents"), enterprises["patents"]],
                [_("Enterprises without an officer"), enterprises["without_officer"]],
                *[[officer["name"], officer["enterprises"]] for officer in enterprises["officers"]],
            ],
        )
    projects = summary.get("projects")
    if projects is not None:
        _sheet(
            workbook,
            _("Key projects"),
            [_("Figure"), _("Value")],
            [
                [_("Key projects"), projects["total"]],
                [_("Delayed"), projects["delayed"]],
                [_("At risk"), projects["at_risk"]],
                [_("Project difficulties raised"), projects["difficulties"]["received"]],
                [_("Project difficulties solved"), projects["difficulties"]["resolved"]],
                *[[row["label"], row["count"]] for row in projects["by_stage"]],
            ],
        )
        _sheet(
            workbook,
            _("Park ranking"),
            [_("Rank"), _("Park"), _("Projects"), _("Score")],
            [
                [row["rank"], row["park"]["name"], row["projects"], row["score"]]
                for row in projects["ranking"]["parks"]
            ],
        )
    for part in parts():  # the sections the apps add (Part.sheets)
        if part.sheets and summary.get(part.name) is not None:
            for title, headers, rows in part.sheets(summary[part.name]):
                _sheet(workbook, title, headers, rows)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
