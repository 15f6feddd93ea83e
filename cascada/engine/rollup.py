"""Weighted means that explain themselves (DESIGN §3)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from cascada.engine.model import HUNDRED, Rollup, Term

ZERO = Decimal(0)


def weighted_mean(items: Iterable[tuple[str, Decimal, Decimal]], *, cap: Decimal | None) -> Rollup:
    """Mean of ``(code, value, weight)`` items, each value capped at ``cap`` first.

    Weights are renormalised over the items given, so callers pass only what is included.
    ``value`` is ``None`` when nothing is included or every included weight is 0 (there is
    nothing to average; the terms still show why).
    """
    items = list(items)
    total = sum((weight for _, _, weight in items), ZERO)
    terms = tuple(
        Term(
            code=code,
            value=value,
            value_used=value if cap is None else min(value, cap),
            weight=weight,
            effective_weight=weight / total * HUNDRED if total else ZERO,
        )
        for code, value, weight in items
    )
    if not total:
        return Rollup(None, terms)
    return Rollup(sum((t.value_used * t.weight for t in terms), ZERO) / total, terms)
