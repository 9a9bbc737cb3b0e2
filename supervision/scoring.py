"""The indicators' formula, in one place (shown beside the figures on every page that has them).

- An indicator's **attainment** in a quarter is its figure ÷ its quarterly target, capped at 100 %.
- Its **points** are weight × attainment.
- A department's (or park's) **score** is Σ points ÷ Σ weights of the counted indicators × 100.
- An indicator measured from the portal's figures that had no case in the quarter (no
  denominator) is left out, and the other weights count for more, as the dashboard's score does;
  an entered indicator without a confirmed entry counts 0: entering it is the department's duty.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

FORMULA = _(
    "Attainment = figure ÷ quarterly target (at most 100 %); points = weight × attainment; "
    "score = Σ points ÷ Σ weights × 100. A portal figure without cases in the quarter is left out; "
    "an entered indicator without a confirmed entry counts 0."
)
CENT = Decimal("0.01")
FOUR = Decimal("0.0001")


def attainment(actual: Decimal | None, target: Decimal) -> Decimal | None:
    if actual is None:
        return None
    if target <= 0:
        return Decimal(1)
    return min(Decimal(actual) / Decimal(target), Decimal(1)).quantize(FOUR, ROUND_HALF_UP)


def points(weight: Decimal, attained: Decimal | None) -> Decimal | None:
    return None if attained is None else (Decimal(weight) * attained).quantize(FOUR, ROUND_HALF_UP)


def owner_score(rows) -> float | None:
    """`rows`: (weight, points, attainment) of one owner's indicators; None when none counts."""
    counted = [(Decimal(weight), Decimal(p)) for weight, p, _a in rows if p is not None]
    total_weight = sum((weight for weight, _p in counted), Decimal(0))
    if not total_weight:
        return None
    score = sum((p for _w, p in counted), Decimal(0)) * 100 / total_weight
    return float(score.quantize(CENT, ROUND_HALF_UP))
