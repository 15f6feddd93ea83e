"""The one number rule of DESIGN §4 (``cascada.imports.numbers``)."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cascada.imports.numbers import (
    NUMBER_EXPECTED,
    MissingNumberError,
    NumberFormatError,
    parse_number,
    parse_optional_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trailing % = already percent points
        ("60,67%", D("60.67")),
        ("00,00%", D(0)),
        ("75%", D(75)),
        ("60,67 %", D("60.67")),  # Spanish typography puts a space before %
        ("0.5%", D("0.5")),
        # with a comma: decimal comma, points group thousands by three
        ("0,18", D("0.18")),
        ("46,00", D(46)),
        ("1.234,5", D("1234.5")),
        ("12.345.678,9", D("12345678.9")),
        ("1234,5", D("1234.5")),
        # without a comma: one point is a decimal point, several group thousands
        ("1.234", D("1.234")),
        ("0.18", D("0.18")),
        ("1.234.567", D(1234567)),
        ("1234", D(1234)),
        ("007", D(7)),
        # negatives
        ("-5", D(-5)),
        ("-1.234,5", D("-1234.5")),
        ("-0,5%", D("-0.5")),
        # cleaning first
        ("<p>0,27</p>", D("0.27")),
        ("  46,00\n", D(46)),
        ("&nbsp;5&nbsp;", D(5)),
        ("<span style='x'>1.234,5</span>", D("1234.5")),
    ],
)
def test_text_numbers(text: str, expected: D) -> None:
    assert parse_number(text) == expected


def test_exact_decimal_text_is_kept() -> None:
    assert str(parse_number("0,18")) == "0.18"
    assert str(parse_number("1.234,50")) == "1234.50"


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "12a",
        "1,2,3",
        "1,2.3",
        "1.23,5",  # a thousands group must have three digits
        "1.2345,6",
        "1.234.56",
        "+5",
        "--5",
        "5-",
        "1 234",
        "1e5",
        ",5",
        "5,",
        "1.",
        ".5",
        "5%%",
        "%",
        "-",
        "١٢٣",  # digits of another script
        "N/A",
        "No aplica",
        "=1+1",
    ],
)
def test_invalid_text_is_an_error_with_spanish_expectation(text: str) -> None:
    with pytest.raises(NumberFormatError) as raised:
        parse_number(text)
    assert raised.value.expected == NUMBER_EXPECTED
    assert raised.value.value == text.strip()
    assert "se esperaba un número" in str(raised.value)
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize("blank", [None, "", "   ", "<p></p>", "<p> </p>\n"])
def test_blank_is_absent_not_an_error(blank: object) -> None:
    assert parse_optional_number(blank) is None
    with pytest.raises(MissingNumberError):
        parse_number(blank)


def test_missing_is_a_number_format_error() -> None:
    assert issubclass(MissingNumberError, NumberFormatError)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (0.18, "0.18"),  # not the binary expansion 0.179999…
        (0.1 + 0.2, "0.30000000000000004"),  # the float as it really is, no rounding
        (46.0, "46.0"),
        (5, "5"),
        (-3, "-3"),
        (D("1.50"), "1.50"),
        (1e20, "1E+20"),
    ],
)
def test_number_cells(cell: object, expected: str) -> None:
    assert str(parse_number(cell)) == expected


@pytest.mark.parametrize(
    "cell", [True, False, math.nan, math.inf, -math.inf, D("NaN"), date(2026, 3, 31)]
)
def test_non_number_cells_are_errors(cell: object) -> None:
    with pytest.raises(NumberFormatError):
        parse_number(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (0.6067, D("60.67")),
        (1, D(100)),
        (0.18, D(18)),
        (0, D(0)),
        (-0.05, D(-5)),
        (0.8089, D("80.89")),
    ],
)
def test_percent_formatted_cells_are_scaled_exactly(cell: float, expected: D) -> None:
    assert parse_number(cell, percent_format=True) == expected


def test_percent_scaling_is_exact_not_float_arithmetic() -> None:
    assert str(parse_number(0.6067, percent_format=True)) == "60.67"  # 0.6067 * 100 = 60.67…01
    assert str(parse_number(0.07, percent_format=True)) == "7"  # 0.07 * 100 = 7.000000000000001


def test_percent_format_does_not_apply_to_text() -> None:
    # text carries its own % sign; a percent-formatted cell holding text is read as written
    assert parse_number("0,5", percent_format=True) == D("0.5")
    assert parse_number("60,67%", percent_format=True) == D("60.67")


# --- round trips -------------------------------------------------------------------------------

decimals = st.decimals(
    min_value=D("-1e12"), max_value=D("1e12"), allow_nan=False, allow_infinity=False, places=6
)


def es_co(number: D) -> str:
    """es-CO: points group thousands, comma decimal (always written, so "1.234" is never
    ambiguous)."""
    sign = "-" if number < 0 else ""
    integer, _, fraction = format(abs(number), "f").partition(".")
    groups: list[str] = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    return f"{sign}{'.'.join(groups)},{fraction or '0'}"


@given(decimals)
def test_round_trip_es_co(number: D) -> None:
    assert parse_number(es_co(number)) == number
    assert parse_number(es_co(number) + "%") == number


@given(decimals)
def test_round_trip_decimal_point(number: D) -> None:
    assert parse_number(format(number, "f")) == number


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_round_trip_float_cells(value: float) -> None:
    number = parse_number(value)
    assert number == D(repr(value))
    assert float(number) == value


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_round_trip_grouped_integers(value: int) -> None:
    grouped = f"{value:,}".replace(",", ".")
    if grouped.lstrip("-").count(".") != 1:  # one point alone is a decimal point, by the rule
        assert parse_number(grouped) == value
