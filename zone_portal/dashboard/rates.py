"""How every rate of the dashboard is computed (one definition for all of them)."""


def rate(part: int | None, whole: int | None) -> float | None:
    """part ÷ whole in [0, 1] (four decimals), or None when there is nothing to divide by."""
    if not whole:
        return None
    return round((part or 0) / whole, 4)
