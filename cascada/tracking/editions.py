"""Editions of a published cut (DESIGN §5): the one place that says which edition a cut is in.

Corrections to a published cut, each a new edition with a mandatory reason, arrive with the
workflow issue. Until then a published cut has exactly one edition, number 1, and a cut that is
not published has none. Everything that names an edition (open data file names and URLs, the
API's ``edicion``) asks these functions, so editions change here only.
"""

from __future__ import annotations

from cascada.tracking.models import Cut, CutState

FIRST_EDITION = 1


def current_edition(cut: Cut) -> int | None:
    """The edition in force of ``cut``: ``None`` while it is not published."""
    return FIRST_EDITION if cut.state == CutState.PUBLICADO else None


def edition_of_state(state: str) -> int | None:
    """``current_edition`` from a cut's state alone (for rows read with ``values()``)."""
    return FIRST_EDITION if state == CutState.PUBLICADO else None


def is_current_edition(cut: Cut, edition: int) -> bool:
    """Whether ``edition`` of ``cut`` can be read (only the one in force, for now)."""
    return current_edition(cut) == edition
