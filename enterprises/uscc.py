"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from the code alphabet (digits and capital letters without I, O, Z, S, V):
1 registration authority, 1 entity type, 6 administrative division digits, 9 organisation code,
1 check character computed from the first 17 with weights 3^i mod 31.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


def uscc_check_char(first17: str) -> str:
    total = sum(_VALUE[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_normalize(raw: str) -> str:
    return (raw or "").strip().upper()


def uscc_validate(raw: str) -> str:
    """Return the normalised code, or raise ValidationError saying which rule failed."""
    code = uscc_normalize(raw)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="uscc_length",
            params={"n": len(code)},
        )
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        raise ValidationError(
            _(
                "Character(s) %(chars)s cannot appear in a unified social credit code (I, O, Z, S, V are never used)."
            ),
            code="uscc_alphabet",
            params={"chars": "、".join(bad)},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 must be the six digits of an administrative division code."),
            code="uscc_division",
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("The check character (the 18th) does not match: expected %(expected)s, got %(got)s."),
            code="uscc_check",
            params={"expected": expected, "got": code[17]},
        )
    return code
