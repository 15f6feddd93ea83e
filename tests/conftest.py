"""Fixtures of every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _spanish_after_each_test() -> Iterator[None]:
    """The test client runs a request in the test's thread and the language middleware leaves
    the request's language active: a test that browsed in English must not make the next one
    (in random order) read English messages from the services."""
    yield
    translation.deactivate()
