import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from enterprises.uscc import ALPHABET, uscc_check_char, uscc_validate

# Real-world shaped codes: the foundation's demo enterprises and well-known published examples.
VALID = [
    "91410400MA44L8KX5B",
    "91410400MA45D4GTX1",
    "91350100M000100Y43",
    "91110000600037341L",
    "91440300708461136T",
]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass_and_come_back_normalised(code):
    assert uscc_validate(code) == code
    assert uscc_validate(f"  {code.lower()} ") == code


@pytest.mark.parametrize("code", VALID)
def test_every_single_character_substitution_is_refused(code):
    refused = 0
    for position in range(18):
        for replacement in ALPHABET + "IOZSV":
            if replacement == code[position]:
                continue
            mutated = code[:position] + replacement + code[position + 1 :]
            with pytest.raises(ValidationError):
                uscc_validate(mutated)
            refused += 1
    assert refused == 18 * 35


@given(
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=9, max_size=9),
)
def test_any_code_with_its_computed_check_character_passes(head, division, organisation):
    first17 = head + division + organisation
    assert uscc_validate(first17 + uscc_check_char(first17)) == first17 + uscc_check_char(first17)


def _message(code):
    with pytest.raises(ValidationError) as caught:
        uscc_validate(code)
    return caught.value.error_list[0].code, " ".join(caught.value.messages)


def test_each_rule_says_what_failed(settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        assert _message("91410400MA44L8KX5")[0] == "uscc_length"
        assert "17" in _message("91410400MA44L8KX5")[1]
        code, text = _message("91410400MA44L8KO5B")
        assert code == "uscc_alphabet" and "O" in text
        assert _message("9141A400MA44L8KX5B")[0] == "uscc_division"
        code, text = _message("91410400MA44L8KX5C")
        assert code == "uscc_check" and "expected B" in text
    with translation.override("zh-hans"):
        assert "校验码" in _message("91410400MA44L8KX5C")[1]
