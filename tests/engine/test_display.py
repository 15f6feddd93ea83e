"""es-CO display, half-up to two decimals, in one place."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cascada.engine.display import (
    format_date,
    format_number,
    format_percent,
    round_half_up,
    status_label,
)
from cascada.engine.model import Status


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D(1100) / 6, "183,33%"),
        (D(800) / 3, "266,67%"),
        (D(800) / 17, "47,06%"),
        (D("98.485"), "98,49%"),  # half-up, not banker's rounding
        (D("0.005"), "0,01%"),
        (D(60), "60,00%"),
        (D(0), "0,00%"),
        (D("-0.001"), "0,00%"),  # never "-0,00%"
        (D("123456.789"), "123.456,79%"),
    ],
)
def test_percent(value, text):
    assert format_percent(value) == text


def test_numbers_group_thousands_with_a_point():
    assert format_number(D("1234.5")) == "1.234,50"
    assert format_number(D("1234567.125")) == "1.234.567,13"
    assert format_number(D("-1234.5")) == "-1.234,50"
    assert format_number(D("0.18"), places=2) == "0,18"


def test_english_is_available():
    assert format_percent(D(1100) / 6, lang="en") == "183.33%"
    assert format_number(D("1234.5"), lang="en") == "1,234.50"
    assert format_date(date(2026, 3, 31), lang="en") == "March 31, 2026"
    assert status_label(Status.EN_REZAGO, lang="en") == "Lagging"


def test_none_is_empty_so_callers_say_why():
    assert format_percent(None) == ""
    assert format_number(None) == ""


def test_dates_in_words():
    assert format_date(date(2026, 3, 31)) == "31 de marzo de 2026"
    assert format_date(date(2026, 12, 1)) == "1 de diciembre de 2026"


def test_every_status_has_a_label_in_both_languages():
    for status in Status:
        assert status_label(status, "es") and status_label(status, "en")
    assert status_label(Status.NO_PROGRAMADA) == "No programada al corte"


@given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False))
def test_rounding_is_half_up_and_within_half_a_cent(value):
    rounded = round_half_up(value)
    assert abs(rounded - value) <= D("0.005")
    text = format_number(value)
    back = D(text.replace(".", "").replace(",", "."))
    assert back == rounded
